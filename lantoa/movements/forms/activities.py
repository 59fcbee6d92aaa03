"""Forms of the activity ledger: an activity with its figures and photos, photos added
later, and putting an activity forward for commendation. The services check everything
again; the forms read what was typed (figures as digits, money also as 1.500.000) and
check the photos' content before anything is written."""

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lantoa.core.forms import DateInput, LantoaForm
from lantoa.movements.forms.common import MoneyField
from lantoa.movements.models import Activity, ActivityType, BeneficiaryCategory, Movement
from lantoa.movements.photos import ProcessedPhoto, process_photo
from lantoa.movements.services.activities import MAX_PHOTOS
from lantoa.orgs.forms import OrganizationChoiceField
from lantoa.orgs.models import Organization

PHOTO_TYPES = "image/jpeg,image/png"
PHOTO_HELP = format_lazy(
    "{} {}",
    _("JPEG or PNG, at most 10 MB each; place and camera details are removed."),
    _("Hold Ctrl to choose several."),
)

_DIGITS = re.compile(r"^-?\d+$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class WholeNumberField(forms.CharField):
    """A whole number of zero or more typed as digits. Empty reads as 0."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "size": 16})

    def to_python(self, value: Any) -> int | None:
        text = _SPACES.sub("", super().to_python(value) or "")
        if not text:
            return None
        if len(text) > 30 or not _DIGITS.match(text) or len(text.lstrip("-")) > 18:
            raise forms.ValidationError(_("Enter a whole number in digits."), code="invalid")
        return int(text)

    def clean(self, value: Any) -> int:
        number = super().clean(value)
        if number is not None and number < 0:
            raise forms.ValidationError(_("This figure cannot be negative."), code="negative")
        return 0 if number is None else number


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"accept": PHOTO_TYPES, **(attrs or {})})


class PhotosField(forms.FileField):
    """Several photos at once, each checked and re-encoded (`process_photo`) while the form
    is validated: the cleaned value is a list of ProcessedPhoto."""

    widget = MultiplePhotoInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultiplePhotoInput())
        kwargs.setdefault("label", _("Photos"))
        kwargs.setdefault("help_text", PHOTO_HELP)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[ProcessedPhoto]:
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not uploads:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("Choose at most %(limit)s photos at once.") % {"limit": MAX_PHOTOS},
                code="too_many",
            )
        single_clean = super().clean
        processed, errors = [], []
        for upload in uploads:
            try:
                processed.append(process_photo(single_clean(upload, initial)))
            except forms.ValidationError as error:
                name = getattr(upload, "name", "") or "?"
                errors.extend(f"{name}: {message}" for message in error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return processed


class ActivityTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ActivityType) -> str:
        return f"{obj.name} ({obj.unit})"


class MovementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Movement) -> str:
        title = obj.title if len(obj.title) <= 90 else obj.title[:89] + "…"
        start, end = obj.start_date.strftime("%d/%m/%Y"), obj.end_date.strftime("%d/%m/%Y")
        return f"{title} ({start} – {end})"


class PartnerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


class ActivityForm(LantoaForm):
    """An activity. `organizations` None: the organization is fixed by the page (then the
    movements offered are those reaching it)."""

    organization = OrganizationChoiceField(
        label=_("Organization that held it"), queryset=Organization.objects.none()
    )
    activity_type = ActivityTypeChoiceField(
        label=_("Type of activity"), queryset=ActivityType.objects.none()
    )
    movement = MovementChoiceField(
        label=_("Movement"),
        queryset=Movement.objects.none(),
        required=False,
        help_text=_("The emulation movement it answers, if any."),
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=20000, widget=forms.Textarea({"rows": 4})
    )
    quantity = WholeNumberField(
        label=_("Quantity"), help_text=_("In the unit of the type: houses, blood units, gifts…")
    )
    money = MoneyField(
        label=_("Value (đồng)"), required=False, help_text=_("Whole đồng, e.g. 1.500.000.")
    )
    participants = WholeNumberField(label=_("Participants"))
    beneficiaries = WholeNumberField(label=_("Beneficiaries"))
    beneficiary_category = forms.ModelChoiceField(
        label=_("Beneficiaries' category"),
        queryset=BeneficiaryCategory.objects.order_by("position", "id"),
        required=False,
        help_text=_("Required when there are beneficiaries."),
    )
    partners = PartnerChoiceField(
        label=_("Partner organizations"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Organizations that took part (hold Ctrl to choose several)."),
        widget=forms.SelectMultiple({"size": 6}),
    )
    photos = PhotosField(required=False)

    FIELDS = (
        "activity_type",
        "movement",
        "title",
        "date",
        "place",
        "description",
        "participants",
        "beneficiary_category",
        "beneficiaries",
        "quantity",
        "money",
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization] | None,
        movements: QuerySet[Movement],
        partners: QuerySet[Organization],
        activity_types: QuerySet[ActivityType] | None = None,
        with_photos: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations
        if activity_types is None:
            activity_types = ActivityType.objects.filter(active=True)
        self.fields["activity_type"].queryset = activity_types.order_by("position", "id")
        self.fields["movement"].queryset = movements.order_by("-start_date", "id")
        self.fields["partners"].queryset = partners
        if not with_photos:
            del self.fields["photos"]
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("beneficiaries") and not data.get("beneficiary_category"):
            self.add_error("beneficiary_category", _("Choose the category of the beneficiaries."))
        return data

    def activity_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        if "organization" in self.fields:
            data["organization"] = self.cleaned_data["organization"]
        data["partners"] = list(self.cleaned_data.get("partners") or [])
        return data

    @property
    def processed_photos(self) -> Sequence[ProcessedPhoto]:
        return self.cleaned_data.get("photos") or []


def activity_initial(activity: Activity) -> dict[str, Any]:
    initial = {name: getattr(activity, name) for name in ActivityForm.FIELDS}
    for name in ("activity_type", "movement", "beneficiary_category"):
        initial[name] = getattr(activity, f"{name}_id")
    initial["organization"] = activity.organization_id
    initial["partners"] = list(activity.partners.values_list("pk", flat=True))
    return initial


class PhotoAddForm(LantoaForm):
    photos = PhotosField(required=True)
