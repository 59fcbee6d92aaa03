"""Form plumbing shared by every app: NFC text, dd/mm/yyyy dates, one-time submit tokens."""

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from lantoa.core.models import FormToken
from lantoa.core.text import nfc


class DateInput(forms.DateInput):
    """A text field typed as dd/mm/yyyy (the browser's own date widget shows US order)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class LantoaForm(forms.Form):
    """Base form: every text value NFC-normalized; a hidden token against double submits."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4().hex)
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput) and not isinstance(
                field.widget, DateInput
            ):
                field.widget = DateInput()
            if field.required:
                field.widget.attrs.setdefault("required", "required")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = nfc(value)
        return data

    def apply_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError next to the fields it names."""
        if hasattr(error, "error_dict"):
            for field, messages in error.error_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error)


def submit_once(
    form: LantoaForm, action: Callable[[], Any], success_url: Callable[[Any], str]
) -> HttpResponse | None:
    """Run `action` once per form token; a repeated submit goes to the first result.

    Returns a redirect on success or on a repeat, or None when the action refused the
    input (its errors are then on the form).
    """
    token = form.cleaned_data.get("form_token") or uuid.uuid4().hex
    try:
        with transaction.atomic():
            claimed = FormToken.objects.create(token=token)
            result = action()
            claimed.result_url = success_url(result)
            claimed.save(update_fields=["result_url"])
    except IntegrityError:
        previous = FormToken.objects.filter(token=token).first()
        if previous is None:
            form.add_error(None, _("This record conflicts with one saved at the same time."))
            return None
        return HttpResponseRedirect(previous.result_url or ".")
    except ValidationError as error:
        form.apply_errors(error)
        return None
    return HttpResponseRedirect(claimed.result_url)
