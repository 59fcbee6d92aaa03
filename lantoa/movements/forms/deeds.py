"""The form of a good deed: the doer (a person found by name, or a collective), where it is
recorded, what they did and when."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lantoa.core.forms import DateInput, LantoaForm
from lantoa.movements.forms.common import PickedPeople, tie_to
from lantoa.orgs.forms import organization_field
from lantoa.orgs.models import Organization, Person


class PickedPerson(PickedPeople):
    """One person: the radio button ticked among the chosen one and the search results."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:
        return (data.get(name) or "").strip()


class DeedForm(LantoaForm):
    title = forms.CharField(label=_("Title"), max_length=500)
    person = forms.Field(label=_("Person"), required=False, widget=PickedPerson)
    collective = organization_field(
        Organization.objects.none(),
        _("or a collective"),
        required=False,
        help_text=_("Choose a person or a collective, not both."),
    )
    organization = organization_field(
        Organization.objects.none(),
        _("Recorded in"),
        required=False,
        help_text=_("Leave empty: the person's organization, or the collective itself."),
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    description = forms.CharField(
        label=_("What they did"), max_length=20000, widget=forms.Textarea({"rows": 5})
    )

    FORM_ID = "deed-form"
    FIELDS = ("title", "person", "collective", "organization", "date", "description")

    def __init__(
        self,
        *args: Any,
        collectives: QuerySet[Organization],
        organizations: QuerySet[Organization],
        people: QuerySet[Person],
        person: Person | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collective"].queryset = collectives.order_by("path")
        self.fields["organization"].queryset = organizations.order_by("path")
        self.initial_person = person
        tie_to(self, self.FORM_ID)
        known = [person.pk] if person is not None else []
        self.people = Person.objects.filter(Q(pk__in=people.values("pk")) | Q(pk__in=known))
        self.chosen: Person | None = None

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("collective", "organization", "date", "description")]

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
                "person", _("Choose either a person or a collective as the doer, not both.")
            )
        return data

    @property
    def chosen_person(self) -> Person | None:
        """The person ticked (or recorded), for the form to show them first."""
        return self.chosen if self.is_bound else self.initial_person

    def deed_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
