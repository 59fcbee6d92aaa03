"""Form pieces shared by activities, initiatives and good deeds: money typed as people
write it, the people picker's inputs, and the put-forward note."""

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.core.forms import LantoaForm
from lantoa.orgs.models import Person

_GROUPED = re.compile(r"^\d{1,3}([., \u00a0\u202f]\d{3})+$")  # 1.500.000, 1 500 000
_PLAIN = re.compile(r"^\d+$")
_CURRENCY = re.compile(r"\s*(đồng|đ|vnd|vnđ)\.?$", re.IGNORECASE)


def group_thousands(value: int) -> str:
    """1500000 -> "1.500.000", as the money is printed everywhere on the site."""
    return f"{value:,}".replace(",", ".")


class MoneyField(forms.Field):
    """A whole number of đồng typed as 1.500.000, 1 500 000 or 1500000."""

    default_error_messages = {
        "invalid": _("Enter a whole number of đồng, e.g. 1.500.000."),
        "negative": _("The amount cannot be negative."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput({"inputmode": "numeric", "size": 16}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return group_thousands(value) if isinstance(value, int) else value

    def clean(self, value: Any) -> int:
        """Empty reads as 0 when the field is optional."""
        number = super().clean(value)
        return 0 if number is None else number

    def to_python(self, value: Any) -> int | None:
        text = _CURRENCY.sub("", str(value or "")).strip()
        if not text:
            return None
        if text.startswith("-"):
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if _PLAIN.match(text):
            return int(text)
        if _GROUPED.match(text):
            return int(re.sub(r"\D", "", text))
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


def person_label(person: Person) -> str:
    """A person as offered in a choice: the name, then the organization."""
    organization = person.organization
    return f"{person.full_name} — {organization.name}" if organization else person.full_name


def tie_to(form: forms.Form, form_id: str) -> None:
    """Tie every input to the form element `form_id` (the HTML `form` attribute), so the
    page may lay them out around the people search, a form of its own."""
    for field in form.fields.values():
        field.widget.attrs["form"] = form_id


def parse_ids(values: Sequence[str]) -> list[int] | None:
    ids = []
    for value in values:
        value = value.strip()
        if not (value.isascii() and value.isdigit() and len(value) < 12):
            return None
        ids.append(int(value))
    return ids


class PickedPeople(forms.Widget):
    """The values of inputs the template lays out itself (the people chosen, and those
    ticked among search results): the widget renders nothing."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        return ""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return data.getlist(name) if hasattr(data, "getlist") else list(data.get(name) or [])

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


class PutForwardForm(LantoaForm):
    """Why the record deserves commendation (the commendation round reads it)."""

    note = forms.CharField(
        label=_("Why it deserves commendation"),
        max_length=5000,
        widget=forms.Textarea({"rows": 5}),
        error_messages={"required": _("Say why it deserves commendation.")},
    )
