"""The form of a ceremony: who holds it, when and where, for which rounds, its program,
and (once planned) the awards honored there."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lantoa.awards.forms.decisions import Checklist
from lantoa.awards.models import Award, Ceremony, Round
from lantoa.core.forms import DateInput, LantoaForm
from lantoa.orgs.forms import organization_field
from lantoa.orgs.models import Organization

__all__ = ["CeremonyForm"]


class RoundChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Round) -> str:
        return f"{obj.year} — {obj.title} — {obj.organization.name}"


class CeremonyForm(LantoaForm):
    organization = organization_field(Organization.objects.none(), _("Held by"))
    title = forms.CharField(label=_("Title"), max_length=500)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=300)
    rounds = RoundChoices(label=_("Rounds honored"), queryset=Round.objects.none())
    program = forms.CharField(
        label=_("Program"),
        max_length=20000,
        required=False,
        widget=forms.Textarea({"rows": 8}),
        help_text=_("One item per line, e.g. “8 giờ 00: Khai mạc”."),
    )
    honored = forms.ModelMultipleChoiceField(
        label=_("Honored"), queryset=Award.objects.none(), required=False, widget=Checklist
    )

    MAIN = ("organization", "title", "date", "place", "rounds", "program")

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization] | None,
        rounds: QuerySet[Round],
        ceremony: Ceremony | None = None,
        honorable: QuerySet[Award] | None = None,
        **kwargs: Any,
    ) -> None:
        if ceremony is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": ceremony.title,
                    "date": ceremony.date,
                    "place": ceremony.place,
                    "program": ceremony.program,
                    "rounds": [r.pk for r in ceremony.rounds.all()],
                    "honored": [a.pk for a in ceremony.honored.all()],
                },
            )
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations
        self.fields["rounds"].queryset = rounds.select_related("organization")
        if honorable is None:
            del self.fields["honored"]
        else:
            self.fields["honored"].queryset = honorable

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MAIN if name in self.fields]

    def ticked(self) -> set[int]:
        if not self.is_bound:
            return set(self.initial.get("honored", []))
        return {int(v) for v in self.data.getlist("honored") if v.isascii() and v.isdigit()}

    def values(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in ("title", "date", "place")}
        data["program"] = self.cleaned_data.get("program") or ""
        data["rounds"] = list(self.cleaned_data.get("rounds") or [])
        return data
