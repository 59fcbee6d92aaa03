"""The two shapes every write page takes: a form that runs an action once, and a confirmed
button that runs an action and reports its refusal or success."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lantoa.core.forms import LantoaForm, submit_once


def form_page(
    request: HttpRequest,
    form: LantoaForm,
    action: Callable[[], Any],
    success_url: Callable[[Any], str],
    context: dict[str, Any],
    template: str,
    done: str | None = None,
) -> HttpResponse:
    """Run a valid form's action once, or show the form (with the action's errors)."""
    if form.is_valid():
        response = submit_once(form, action, success_url)
        if response:
            messages.success(request, done or _("Saved."))
            return response
    return render(request, template, {"form": form, **context})


def post_action(
    request: HttpRequest,
    action: Callable[[], Any],
    done: str,
    next_url: str | Callable[[Any], str],
    refused_url: str | None = None,
) -> HttpResponse:
    """A confirmed button: run the action, report its refusal or success, go on.

    `next_url` may be a function of the action's result; a refusal goes to `refused_url`
    (by default the same place).
    """
    try:
        result = action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(refused_url or (next_url if isinstance(next_url, str) else "home"))
    messages.success(request, done)
    return redirect(next_url(result) if callable(next_url) else next_url)
