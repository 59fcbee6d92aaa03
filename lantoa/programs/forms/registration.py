"""Forms for unit models, personal commitments, assessments and deadlines."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lantoa.core.forms import DateInput, LantoaForm
from lantoa.orgs.forms import organization_field
from lantoa.orgs.models import Organization, Person
from lantoa.programs.models import (
    CommitmentResult,
    CommitmentStatus,
    EvaluationResult,
    UnitModelStatus,
)
from lantoa.programs.models.registration import YEAR_MAX, YEAR_MIN
from lantoa.programs.queries.registration import NOT_REGISTERED
from lantoa.programs.services.registration import MAX_ITEMS


def year_field(label: str, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 6}),
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} — {obj.organization.name}" if obj.organization else obj.full_name


class UnitModelForm(LantoaForm):
    organization = organization_field(Organization.objects.none(), _("Organization"))
    year_from = year_field(_("From year"))
    year_to = year_field(_("Until year"), required=False)
    title = forms.CharField(label=_("Title"), max_length=500)
    content = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    responsible = PersonChoiceField(
        queryset=Person.objects.none(), label=_("Person responsible"), required=False
    )

    FIELDS = ("year_from", "year_to", "title", "content", "responsible")

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization] | None,
        people: QuerySet[Person] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations.filter(archived=False).order_by(
                "path"
            )
        if people is None:
            del self.fields["responsible"]
        else:
            self.fields["responsible"].queryset = people.select_related("organization").sorted()
        self.fields["year_to"].help_text = _("Leave empty while it goes on.")

    def model_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS if name in self.fields}


class EvaluateForm(LantoaForm):
    result = forms.ChoiceField(label=_("Result"), choices=EvaluationResult.choices)
    comments = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class UnitModelFilterForm(forms.Form):
    """The list's filters, read from the query string; a bad value is ignored."""

    q = forms.CharField(required=False, max_length=200)
    year = forms.IntegerField(required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)
    status = forms.ChoiceField(required=False, choices=[("", ""), *UnitModelStatus.choices])
    org = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def value(self, name: str) -> Any:
        if not self.is_bound:
            return None
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get(name) if name not in self.errors else None


class YearFilterForm(UnitModelFilterForm):
    status = forms.ChoiceField(
        required=False,
        choices=[("", ""), (NOT_REGISTERED, _("Not registered")), *CommitmentStatus.choices],
    )


class CommitmentForm(LantoaForm):
    """The items of a commitment, one field each; empty fields are left out."""

    def __init__(self, *args: Any, items: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = items or []
        count = min(max(len(items) + 2, 5), MAX_ITEMS)
        for number in range(1, count + 1):
            self.fields[f"item_{number}"] = forms.CharField(
                label=_("Item %(number)s") % {"number": number},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=items[number - 1] if number <= len(items) else "",
            )

    def items(self) -> list[str]:
        return [
            self.cleaned_data[name]
            for name in self.fields
            if name.startswith("item_") and self.cleaned_data.get(name)
        ]


class AssessmentForm(LantoaForm):
    result = forms.ChoiceField(label=_("Result"), choices=CommitmentResult.choices)
    text = forms.CharField(
        label=_("Assessment"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class DeadlineForm(LantoaForm):
    deadline = forms.DateField(label=_("Registration deadline"), widget=DateInput())
    assessment_deadline = forms.DateField(
        label=_("Self-assessment deadline"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: members may assess themselves until the cell has assessed them."),
    )
