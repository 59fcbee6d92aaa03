"""Forms for initiatives: the record with its ordered authors, and an attachment."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.core.forms import DateInput, LantoaForm
from lantoa.movements.forms.common import MoneyField, PickedPeople, parse_ids, tie_to
from lantoa.movements.models import InitiativeKind, RecognitionLevel
from lantoa.movements.services.initiatives import FIRST_YEAR, MAX_AUTHORS
from lantoa.orgs.forms import organization_field
from lantoa.orgs.models import Organization, Person


class InitiativeForm(LantoaForm):
    """An initiative and its authors.

    The authors are the `authors` values of the request, in their order: those already
    chosen (each with a position that may be changed), then those ticked among the results
    of the people search (`_people_choices.html`, inside this form or tied to it by its id).
    """

    title = forms.CharField(label=_("Title"), max_length=500, widget=forms.Textarea({"rows": 2}))
    kind = forms.ChoiceField(label=pgettext_lazy("record", "Kind"), choices=InitiativeKind.choices)
    organization = organization_field(Organization.objects.none(), _("Organization"))
    year = forms.IntegerField(
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=2200,
        widget=forms.NumberInput({"inputmode": "numeric", "size": 6}),
    )
    field = forms.CharField(
        label=_("Field"), max_length=200, required=False, help_text=_("e.g. Administrative reform")
    )
    level = forms.ChoiceField(label=_("Recognized at"), choices=RecognitionLevel.choices)
    recognized_on = forms.DateField(
        label=_("Date recognized"),
        required=False,
        widget=DateInput(),
        help_text=_("Required when it has been recognized."),
    )
    effect = forms.CharField(
        label=_("Effect"), required=False, max_length=20000, widget=forms.Textarea({"rows": 4})
    )
    benefit = MoneyField(
        label=_("Estimated benefit (đồng)"),
        required=False,
        help_text=_("A whole number, e.g. 1.500.000."),
    )
    authors = forms.Field(label=_("Authors"), required=False, widget=PickedPeople)
    file = forms.FileField(
        label=_("Attachment (PDF or DOCX, at most 20 MB)"),
        required=False,
        widget=forms.ClearableFileInput({"accept": ".pdf,.docx"}),
    )

    FORM_ID = "initiative-form"
    FIELDS = (
        "organization",
        "kind",
        "title",
        "year",
        "field",
        "level",
        "recognized_on",
        "effect",
        "benefit",
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        people: QuerySet[Person],
        authors: Sequence[Person] = (),
        with_file: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations.order_by("path")
        if not with_file:
            del self.fields["file"]
        tie_to(self, self.FORM_ID)
        self.initial_authors = list(authors)
        # People the user may see, and the authors already recorded (kept even if moved away).
        known = [person.pk for person in self.initial_authors]
        self.people = Person.objects.filter(Q(pk__in=people.values("pk")) | Q(pk__in=known))
        self.chosen: list[Person] | None = None
        self.authors_error = ""

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in ("form_token", "authors")]

    def _positions(self, ids: list[int]) -> list[int]:
        """The ids sorted by the positions typed; those without one keep their place after."""

        def key(item: tuple[int, int]) -> tuple[int, int]:
            index, pk = item
            typed = self.data.get(f"position_{pk}", "").strip()
            if typed.isascii() and typed.isdigit() and len(typed) < 6:
                return (int(typed), index)
            return (100_000 + index, index)

        unique = list(dict.fromkeys(ids))
        return [pk for _index, pk in sorted(enumerate(unique), key=key)]

    def _resolve_authors(self) -> list[Person]:
        """The chosen people, in order; `authors_error` says what is wrong, if anything."""
        values = self.fields["authors"].widget.value_from_datadict(self.data, self.files, "authors")
        ids = parse_ids([str(value) for value in values])
        if ids is None:
            self.authors_error = str(_("Choose the authors among the people you may see."))
            return []
        ids = self._positions(ids)[: MAX_AUTHORS + 1]
        found = self.people.select_related("organization").in_bulk(ids)
        if set(ids) - set(found):
            self.authors_error = str(_("Choose the authors among the people you may see."))
        elif not ids:
            self.authors_error = str(_("Choose at least one author."))
        elif len(ids) > MAX_AUTHORS:
            self.authors_error = str(_("At most %(count)s authors.") % {"count": MAX_AUTHORS})
        return [found[pk] for pk in ids if pk in found]

    def clean_authors(self) -> list[Person]:
        self.chosen = self._resolve_authors()
        if self.authors_error:
            raise forms.ValidationError(self.authors_error)
        return self.chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("benefit") is None:
            data["benefit"] = 0
        return data

    @property
    def author_rows(self) -> list[tuple[int, Person]]:
        """The authors chosen so far, numbered, for the form to show them ticked."""
        if self.is_bound:
            if self.chosen is None:
                self.chosen = self._resolve_authors()
            people = self.chosen
        else:
            people = self.initial_authors
        return list(enumerate(people, 1))

    def initiative_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in (*self.FIELDS, "authors")}


class AttachmentForm(LantoaForm):
    file = forms.FileField(
        label=_("File (PDF or DOCX, at most 20 MB)"),
        widget=forms.ClearableFileInput({"accept": ".pdf,.docx"}),
    )
