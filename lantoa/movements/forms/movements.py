"""Forms for launching a movement and for its targets."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.core.forms import DateInput, LantoaForm
from lantoa.movements.models import ActivityType, MovementKind
from lantoa.movements.services.movements import MAX_TARGET_QUANTITY
from lantoa.orgs.forms import organization_field
from lantoa.orgs.models import Organization, OrganizationKind
from lantoa.programs.models import Document

# Committees launch movements; so may a base party cell for its own unit.
LAUNCHER_KINDS = (
    OrganizationKind.PROVINCIAL_COMMITTEE,
    OrganizationKind.BLOC_COMMITTEE,
    OrganizationKind.BASE_COMMITTEE,
    OrganizationKind.BASE_CELL,
)


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Document) -> str:
        title = obj.title if len(obj.title) <= 90 else obj.title[:89] + "…"
        return f"{obj.symbol} — {title}"


class ActivityTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ActivityType) -> str:
        return f"{obj.name} ({obj.unit})"


class MovementForm(LantoaForm):
    organization = organization_field(Organization.objects.none(), _("Launched by"))
    title = forms.CharField(label=_("Title"), max_length=500, widget=forms.Textarea({"rows": 2}))
    kind = forms.ChoiceField(label=pgettext_lazy("record", "Kind"), choices=MovementKind.choices)
    start_date = forms.DateField(label=_("Start"), widget=DateInput())
    end_date = forms.DateField(label=_("End"), widget=DateInput())
    description = forms.CharField(
        label=_("Content"), required=False, max_length=20000, widget=forms.Textarea({"rows": 5})
    )
    document = DocumentChoiceField(
        label=_("Launching document"),
        queryset=Document.objects.none(),
        required=False,
        help_text=_("The plan or directive that launched the movement, if it is registered."),
    )

    FIELDS = ("title", "kind", "start_date", "end_date", "description", "document")

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization] | None,
        documents: QuerySet[Document],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations.filter(
                archived=False, kind__in=LAUNCHER_KINDS
            ).order_by("path")
        self.fields["document"].queryset = documents.order_by("-issued_on", "-id")

    def movement_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class TargetForm(LantoaForm):
    activity_type = ActivityTypeChoiceField(
        label=_("Activity type"), queryset=ActivityType.objects.none()
    )
    quantity = forms.IntegerField(
        label=_("Quantity for the whole subtree"),
        min_value=1,
        max_value=MAX_TARGET_QUANTITY,
        help_text=_("In the unit of the activity type: houses, blood units, gifts, people."),
    )
    per_base_organization = forms.IntegerField(
        label=_("Quantity for each base organization"),
        required=False,
        min_value=1,
        max_value=MAX_TARGET_QUANTITY,
        help_text=_("Optional: what each base organization is asked to reach."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    FIELDS = ("activity_type", "quantity", "per_base_organization", "note")

    def __init__(self, *args: Any, current_type_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].queryset = ActivityType.objects.filter(
            Q(active=True) | Q(pk=current_type_id)
        ).order_by("position", "id")

    def target_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
