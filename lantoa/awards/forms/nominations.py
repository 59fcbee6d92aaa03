"""Forms for nominations: the nomination (its nominee found by name, or a collective; the
records it rests on), an evidence file, a review, and the reason of a return or rejection."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lantoa.awards.models import AwardForm, Review
from lantoa.core.forms import LantoaForm
from lantoa.movements.forms.common import tie_to
from lantoa.movements.forms.deeds import PickedPerson
from lantoa.orgs.forms import organization_field
from lantoa.orgs.models import Organization, Person

LINKS_OFFERED = 100  # records offered per kind (those put forward first, then the latest)


def _put_forward(record: Any) -> str:
    if getattr(record, "put_forward_at", None) is None:
        return ""
    label = gettext("put forward")
    return f" ({label})"


def _day(value: Any) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


class _Records(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class DeedChoices(_Records):
    def label_from_instance(self, obj: Any) -> str:
        return f"{_day(obj.date)} — {obj.title} — {obj.organization.name}{_put_forward(obj)}"


class InitiativeChoices(_Records):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.year} — {obj.title} — {obj.organization.name}{_put_forward(obj)}"


class ActivityChoices(_Records):
    def label_from_instance(self, obj: Any) -> str:
        return f"{_day(obj.date)} — {obj.title} — {obj.organization.name}{_put_forward(obj)}"


class UnitModelChoices(_Records):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.year_from} — {obj.title} — {obj.organization.name}"


class AwardFormChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AwardForm) -> str:
        if obj.for_people and not obj.for_collectives:
            only = gettext("individuals only")
            return f"{obj.name} ({only})"
        if obj.for_collectives and not obj.for_people:
            only = gettext("collectives only")
            return f"{obj.name} ({only})"
        return obj.name


class NominationForm(LantoaForm):
    """A nomination. The nominee is the person ticked (among the one chosen and the results
    of the people search, tied to this form by its id) or else the collective chosen."""

    nominating_organization = organization_field(
        Organization.objects.none(), _("Nominating organization")
    )
    person = forms.Field(label=_("Individual"), required=False, widget=PickedPerson)
    collective = organization_field(
        Organization.objects.none(),
        _("or a collective"),
        required=False,
        help_text=_("Choose a person or a collective, not both."),
    )
    proposed_form = AwardFormChoiceField(
        label=_("Proposed form of commendation"), queryset=AwardForm.objects.none()
    )
    achievements = forms.CharField(
        label=_("Achievements"), max_length=20000, widget=forms.Textarea({"rows": 8})
    )
    good_deeds = DeedChoices(label=_("Good deeds"), queryset=None, required=False)
    initiatives = InitiativeChoices(label=_("Initiatives"), queryset=None, required=False)
    activities = ActivityChoices(label=_("Activities"), queryset=None, required=False)
    unit_models = UnitModelChoices(label=_("Unit models"), queryset=None, required=False)

    FORM_ID = "nomination-form"
    FIELDS = ("nominating_organization", "person", "collective", "proposed_form", "achievements")
    LINKS = ("good_deeds", "initiatives", "activities", "unit_models")

    def __init__(
        self,
        *args: Any,
        nominating: QuerySet[Organization],
        collectives: QuerySet[Organization],
        people: QuerySet[Person],
        forms_offered: QuerySet[AwardForm],
        person: Person | None = None,
        links: dict[str, QuerySet] | None = None,
        linked: dict[str, list[int]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominating_organization"].queryset = nominating.order_by("path")
        self.fields["collective"].queryset = collectives.order_by("path")
        self.fields["proposed_form"].queryset = forms_offered
        if links is None:
            for name in self.LINKS:
                del self.fields[name]
        else:
            self._offer_links(links, linked or {})
        tie_to(self, self.FORM_ID)
        self.initial_person = person
        known = [person.pk] if person is not None else []
        self.people = Person.objects.filter(Q(pk__in=people.values("pk")) | Q(pk__in=known))
        self.chosen: Person | None = None

    def _offer_links(self, links: dict[str, QuerySet], linked: dict[str, list[int]]) -> None:
        """The first records of each kind, and those already linked wherever they are."""
        for name in self.LINKS:
            records = links[name]
            first = list(records.values_list("pk", flat=True)[:LINKS_OFFERED])
            kept = linked.get(name, [])
            model = records.model
            offered = model.objects.filter(pk__in=[*first, *kept]).select_related("organization")
            self.fields[name].queryset = offered.order_by(*records.query.order_by)

    @property
    def link_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.LINKS if name in self.fields]

    def clean_person(self) -> Person | None:
        value = self.cleaned_data.get("person") or ""
        if not value:
            return None
        if not (value.isascii() and value.isdigit() and len(value) < 12):
            raise forms.ValidationError(_("Choose the person among the people you may see."))
        self.chosen = self.people.select_related("organization").filter(pk=int(value)).first()
        if self.chosen is None:
            raise forms.ValidationError(_("Choose the person among the people you may see."))
        return self.chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        both_read = "person" in data and "collective" in data
        if both_read and (data["person"] is None) == (data["collective"] is None):
            self.add_error(
                "person", _("Choose either a person or a collective as the nominee, not both.")
            )
        return data

    @property
    def chosen_person(self) -> Person | None:
        return self.chosen if self.is_bound else self.initial_person

    def nomination_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        for name in self.LINKS:
            if name in self.fields:
                data[name] = list(self.cleaned_data[name])
        return data


class EvidenceForm(LantoaForm):
    file = forms.FileField(
        label=_("File (PDF or DOCX, at most 20 MB)"),
        widget=forms.ClearableFileInput({"accept": ".pdf,.docx"}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        required=False,
        help_text=_("e.g. Report of achievements, certificate of merit 2019"),
    )


class ReviewForm(LantoaForm):
    opinion = forms.ChoiceField(label=_("Opinion"), choices=Review.Opinion.choices)
    text = forms.CharField(
        label=_("Comments"),
        max_length=20000,
        widget=forms.Textarea({"rows": 6}),
        error_messages={"required": _("Give the reasons of the opinion.")},
    )


class ReasonForm(LantoaForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        widget=forms.Textarea({"rows": 5}),
        help_text=_("The nominating organization reads it."),
        error_messages={"required": _("Give the reason: the nominating organization reads it.")},
    )
