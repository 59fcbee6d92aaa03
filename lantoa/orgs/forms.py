"""Forms for organizations and people; validation messages are in Vietnamese via gettext."""

import re
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from lantoa.core.forms import DateInput, LantoaForm
from lantoa.orgs.models import Gender, HostKind, Organization, OrganizationKind

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    _("Use letters without diacritics, digits, dots, dashes or underscores."),
)
citizen_id_validator = RegexValidator(
    r"^(\d{12}|\d{9})$",
    _("A citizen ID number has 12 digits (an old ID card number has 9)."),
)
phone_validator = RegexValidator(
    r"^(\+84|0)\d{9,10}$", _("Enter a Vietnamese phone number, e.g. 0912345678.")
)
NAME_RE = re.compile(r"^[^\d<>{}\[\]@#$%^&*=+|\\/\"]+$")


def validate_name_part(value: str) -> None:
    if value and not NAME_RE.match(value):
        raise forms.ValidationError(_("A name cannot contain digits or symbols."))


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        indent = "— " * max(obj.depth - 1, 0)
        return f"{indent}{obj.name}"


def organization_field(queryset, label, **kwargs: Any) -> OrganizationChoiceField:
    return OrganizationChoiceField(
        queryset=queryset.filter(archived=False).order_by("path"), label=label, **kwargs
    )


class OrganizationForm(LantoaForm):
    code = forms.CharField(
        label=_("Code"), max_length=32, validators=[code_validator], help_text=_("e.g. DCD-BDV")
    )
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganizationKind.choices)
    host_name = forms.CharField(label=_("Agency or enterprise"), max_length=255, required=False)
    host_kind = forms.ChoiceField(
        label=_("Kind of host unit"), choices=HostKind.choices, required=False
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput())

    def __init__(self, *args: Any, instance: Organization | None = None, **kwargs: Any) -> None:
        self.instance = instance
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        clash = Organization.objects.filter(code=code)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another organization already uses this code."))
        return code


class MoveForm(LantoaForm):
    parent = organization_field(Organization.objects.none(), _("New parent organization"))

    def __init__(self, *args: Any, choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = choices.filter(archived=False).order_by("path")


class MergeForm(LantoaForm):
    target = organization_field(Organization.objects.none(), _("Merge into"))
    date = forms.DateField(label=_("Date of the merger"), widget=DateInput())

    def __init__(self, *args: Any, choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = choices.filter(archived=False).order_by("path")


class PersonForm(LantoaForm):
    code = forms.CharField(
        label=_("Personal code"),
        max_length=32,
        required=False,
        validators=[code_validator],
        help_text=_("e.g. the party card number; used to recognize this person in imports"),
    )
    family_name = forms.CharField(
        label=_("Family name"), max_length=50, validators=[validate_name_part]
    )
    middle_name = forms.CharField(
        label=_("Middle name"), max_length=100, required=False, validators=[validate_name_part]
    )
    given_name = forms.CharField(
        label=_("Given name"), max_length=50, validators=[validate_name_part]
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    party_joined_on = forms.DateField(
        label=_("Date of joining the party"), required=False, widget=DateInput()
    )
    party_official_on = forms.DateField(
        label=_("Date of full membership"), required=False, widget=DateInput()
    )
    position = forms.CharField(label=_("Position"), max_length=255, required=False)
    organization = organization_field(Organization.objects.none(), _("Organization"))
    citizen_id = forms.CharField(
        label=_("Citizen ID number"),
        max_length=12,
        required=False,
        validators=[citizen_id_validator],
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=13, required=False, validators=[phone_validator]
    )
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)

    PERSON_FIELDS = (
        "code",
        "family_name",
        "middle_name",
        "given_name",
        "gender",
        "birth_date",
        "party_joined_on",
        "party_official_on",
        "position",
    )
    PRIVATE_FIELDS = ("citizen_id", "phone", "email")

    def __init__(
        self,
        *args: Any,
        organizations,
        with_private: bool,
        with_organization: bool = True,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations.filter(archived=False).order_by("path")
        if not with_organization:
            del self.fields["organization"]
        if not with_private:
            for name in self.PRIVATE_FIELDS:
                del self.fields[name]

    def clean_code(self) -> str | None:
        return self.cleaned_data["code"].strip().upper() or None

    def person_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.PERSON_FIELDS}

    def private_data(self) -> dict[str, str] | None:
        if "email" not in self.fields:
            return None
        return {name: self.cleaned_data[name] for name in self.PRIVATE_FIELDS}


class TransferForm(LantoaForm):
    target = organization_field(Organization.objects.none(), _("Transfer to"))
    date = forms.DateField(label=_("Date of transfer"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args: Any, choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = choices.filter(archived=False).order_by("path")


class ConfirmForm(LantoaForm):
    """A POST with a token; used by archive and delete buttons."""
