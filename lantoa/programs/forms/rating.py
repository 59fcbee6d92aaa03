"""Forms for rating lists, the scores of a page of members, and cap settings."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from lantoa.core.forms import DateInput, LantoaForm
from lantoa.orgs.forms import organization_field
from lantoa.orgs.models import Organization, Person
from lantoa.programs.forms.registration import year_field
from lantoa.programs.services.rating import ScoreEntry


class DecimalCommaField(forms.DecimalField):
    """A number typed as 92,5 (Vietnamese) or 92.5; no thousands separators."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 6}))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {}


def decimal_text(value: Decimal | None) -> str:
    """A stored number as typed back into a field: 92.50 → "92,5"."""
    if value is None:
        return ""
    return formats.number_format(value.normalize(), use_l10n=True, force_grouping=False)


def percent_field(label: str, required: bool = True) -> DecimalCommaField:
    return DecimalCommaField(
        label=label,
        required=required,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
    )


class RatingListForm(LantoaForm):
    organization = organization_field(Organization.objects.none(), _("Organization"))
    year = year_field(_("Year"))
    rated_on = forms.DateField(
        label=_("Date of the rating"),
        widget=DateInput(),
        help_text=_("The rules and caps in force on this day apply."),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations.filter(archived=False).order_by("path")


class RatedOnForm(LantoaForm):
    rated_on = forms.DateField(
        label=_("Date of the rating"),
        widget=DateInput(),
        help_text=_("The rules and caps in force on this day apply."),
    )


class ScoresForm(LantoaForm):
    """Scores of the members shown on one page of a rating list: `score_<person id>`,
    `disqualified_<id>`, `note_<id>`."""

    def __init__(self, *args: Any, rows: Iterable[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person_ids: list[int] = []
        for person in rows:
            self.person_ids.append(person.pk)
            score = percent_field(_("Score"), required=False)
            score.widget.attrs["aria-label"] = f"{_('Score')}: {person.full_name}"
            self.fields[f"score_{person.pk}"] = score
            self.fields[f"disqualified_{person.pk}"] = forms.BooleanField(
                label=_("Disqualified"),
                required=False,
                widget=forms.CheckboxInput(
                    attrs={"aria-label": f"{_('Disqualified')}: {person.full_name}"}
                ),
            )
            self.fields[f"note_{person.pk}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"aria-label": f"{_('Note')}: {person.full_name}"}),
            )
            self.initial.setdefault(f"score_{person.pk}", decimal_text(person.rating_score))
            self.initial.setdefault(f"disqualified_{person.pk}", bool(person.rating_disqualified))
            self.initial.setdefault(f"note_{person.pk}", person.rating_note or "")

    def row_fields(self, person_id: int) -> tuple[forms.BoundField, ...]:
        return tuple(self[f"{name}_{person_id}"] for name in ("score", "disqualified", "note"))

    def entries(self) -> list[ScoreEntry]:
        data = self.cleaned_data
        return [
            ScoreEntry(
                person_id=pk,
                score=data.get(f"score_{pk}"),
                disqualified=bool(data.get(f"disqualified_{pk}")),
                note=data.get(f"note_{pk}") or "",
            )
            for pk in self.person_ids
        ]


class CapSettingForm(LantoaForm):
    organization = organization_field(Organization.objects.none(), _("Organization"))
    year = year_field(_("Year"))
    cap_percent = percent_field(_("Cap on excellent, as a share of those rated good (%)"))
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput())
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    FIELDS = ("organization", "year", "cap_percent", "valid_from", "valid_to", "note")

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations.filter(archived=False).order_by("path")

    def setting_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
