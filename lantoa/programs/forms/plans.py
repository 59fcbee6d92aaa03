"""Forms for plans, their targets, pilots, follow-up notes and evaluations."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lantoa.core.forms import DateInput, LantoaForm
from lantoa.orgs.forms import organization_field
from lantoa.orgs.models import Organization, OrganizationKind
from lantoa.programs.models import Plan, TargetKind

ISSUER_KINDS = (
    OrganizationKind.PROVINCIAL_COMMITTEE,
    OrganizationKind.BLOC_COMMITTEE,
    OrganizationKind.BASE_COMMITTEE,
)


class PlanForm(LantoaForm):
    issuer = organization_field(Organization.objects.none(), _("Issued by"))
    symbol = forms.CharField(
        label=_("Number and symbol"), max_length=50, required=False, help_text=_("e.g. 45-KH/ĐU")
    )
    title = forms.CharField(label=_("Title"), max_length=500, widget=forms.Textarea({"rows": 2}))
    issued_on = forms.DateField(label=_("Date issued"), required=False, widget=DateInput())

    FIELDS = ("symbol", "title", "issued_on")

    def __init__(self, *args: Any, issuers: QuerySet[Organization] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if issuers is None:
            del self.fields["issuer"]
        else:
            self.fields["issuer"].queryset = issuers.filter(
                archived=False, kind__in=ISSUER_KINDS
            ).order_by("path")

    def plan_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class TargetForm(LantoaForm):
    kind = forms.ChoiceField(label=_("Indicator"), choices=TargetKind.choices)
    label = forms.CharField(
        label=_("Wording"),
        max_length=500,
        help_text=_("As written in the plan, e.g. base organizations registering a model: 100%"),
    )
    target_percent = forms.IntegerField(label=_("Target (%)"), min_value=1, max_value=100)
    year = forms.IntegerField(label=_("Year"), min_value=1930, max_value=2200)

    FIELDS = ("kind", "label", "target_percent", "year")

    def target_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class PilotForm(LantoaForm):
    organization = organization_field(Organization.objects.none(), _("Pilot organization"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea({"rows": 3}), max_length=5000
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        issuer = plan.issuer
        taken = plan.pilots.values("organization_id")
        self.fields["organization"].queryset = (
            Organization.objects.filter(
                path__startswith=issuer.path, depth__gt=issuer.depth, depth__lte=issuer.depth + 2
            )
            .filter(archived=False)
            .exclude(pk__in=taken)
            .order_by("path")
        )


class PilotNoteForm(LantoaForm):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    text = forms.CharField(label=_("Note"), widget=forms.Textarea({"rows": 4}), max_length=10000)


class EvaluationForm(LantoaForm):
    evaluation = forms.CharField(
        label=_("Evaluation"), widget=forms.Textarea({"rows": 5}), max_length=20000
    )
    lesson = forms.CharField(
        label=_("Lesson for the rollout"),
        required=False,
        widget=forms.Textarea({"rows": 4}),
        max_length=20000,
    )
    evaluated_on = forms.DateField(label=_("Date of the evaluation"), widget=DateInput())
