"""Forms for thematic topics and for recording a study session with its attendance."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lantoa.core.forms import DateInput, LantoaForm
from lantoa.orgs.forms import organization_field
from lantoa.orgs.models import Organization, Person
from lantoa.programs.forms.plans import ISSUER_KINDS
from lantoa.programs.models import Term, Theme, ThemeLevel


class ThemeForm(LantoaForm):
    title = forms.CharField(label=_("Title"), max_length=500, widget=forms.Textarea({"rows": 2}))
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=1930,
        max_value=2200,
        help_text=_("Either a year or a term."),
    )
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none(), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=ThemeLevel.choices)
    issuer = forms.CharField(
        label=_("Issuing body"), max_length=255, help_text=_("e.g. Ban Tuyên giáo Tỉnh ủy")
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea({"rows": 3}), max_length=5000
    )
    organization = organization_field(Organization.objects.none(), _("Kept by"))

    FIELDS = ("title", "year", "term", "level", "issuer", "note")

    def __init__(
        self, *args: Any, organizations: QuerySet[Organization] | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.order_by("-start_date", "id")
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations.filter(
                archived=False, kind__in=ISSUER_KINDS
            ).order_by("path")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("year") is None and data.get("term") is None and not self.has_error("year"):
            self.add_error("year", _("Give the year or the term of the topic."))
        elif data.get("year") is not None and data.get("term") is not None:
            self.add_error("year", _("Give either a year or a term, not both."))
        return data

    def theme_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class CellChoiceForm(forms.Form):
    """Which cell records a session (a GET form: nothing is written)."""

    org = organization_field(Organization.objects.none(), _("Party cell"))

    def __init__(self, *args: Any, cells: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = cells


class StudySessionForm(LantoaForm):
    """A session and, for each current member of the cell, present or absent with a reason.

    Members are ticked present by default; untick those absent and give each a reason.
    """

    date = forms.DateField(label=_("Date"), widget=DateInput())
    theme = forms.ModelChoiceField(
        label=_("Thematic topic"), queryset=Theme.objects.none(), required=False
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        required=False,
        help_text=_("Required when no topic is chosen."),
    )
    content = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea({"rows": 3}), max_length=20000
    )

    def __init__(
        self, *args: Any, themes: QuerySet[Theme], members: list[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes
        self.members = members
        for person in members:
            self.fields[f"present_{person.pk}"] = forms.BooleanField(
                label=person.full_name, required=False, initial=True
            )
            self.fields[f"reason_{person.pk}"] = forms.CharField(
                label=_("Reason for absence"),
                required=False,
                max_length=255,
                widget=forms.TextInput(
                    {"aria-label": _("Reason for the absence of %(name)s") % {"name": person}}
                ),
            )

    @property
    def session_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("date", "theme", "title", "content")]

    @property
    def member_rows(self) -> list[tuple[Person, forms.BoundField, forms.BoundField]]:
        return [
            (person, self[f"present_{person.pk}"], self[f"reason_{person.pk}"])
            for person in self.members
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("theme") and not data.get("title"):
            self.add_error("title", _("Choose a topic or enter a title."))
        for person in self.members:
            if not data.get(f"present_{person.pk}") and not data.get(f"reason_{person.pk}"):
                self.add_error(
                    f"reason_{person.pk}",
                    _("Give the reason why %(name)s was absent.") % {"name": person.full_name},
                )
        return data

    def present_ids(self) -> list[int]:
        return [p.pk for p in self.members if self.cleaned_data.get(f"present_{p.pk}")]

    def absences(self) -> dict[int, str]:
        return {
            p.pk: self.cleaned_data.get(f"reason_{p.pk}", "")
            for p in self.members
            if not self.cleaned_data.get(f"present_{p.pk}")
        }
