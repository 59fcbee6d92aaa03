"""The moderation queue's form: the comments ticked and the button pressed.

A bulk button sends `action=approved` (or rejected, spam) with the ticked comments; the
button on one comment sends `action=approved:<id>`, which acts on that comment alone."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.public.services.moderation import DECISIONS, MAX_AT_ONCE

__all__ = ["ModerationForm"]


def _id(value: str) -> int | None:
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) < 12:
        return int(value)
    return None


class CommentIds(forms.Field):
    """The ticked checkboxes named `comments`, as a list of ids."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        ids = []
        for item in values:
            pk = _id(str(item))
            if pk is None:
                raise forms.ValidationError(_("Tick the comments again."), code="invalid")
            if pk not in ids:
                ids.append(pk)
        if len(ids) > MAX_AT_ONCE:
            raise forms.ValidationError(
                _("At most %(limit)s comments at once.") % {"limit": MAX_AT_ONCE}, code="too_many"
            )
        return ids


class ModerationForm(forms.Form):
    comments = CommentIds(required=False)
    action = forms.CharField(max_length=40)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        action = data.get("action") or ""
        status, _sep, single = action.partition(":")
        if status not in DECISIONS:
            raise forms.ValidationError(_("Choose approve, reject or spam."), code="action")
        if single:
            pk = _id(single)
            if pk is None:
                raise forms.ValidationError(_("Tick the comments again."), code="invalid")
            data["ids"] = [pk]
        else:
            data["ids"] = data.get("comments") or []
        if not data["ids"]:
            raise forms.ValidationError(_("Tick at least one comment."), code="none")
        data["status"] = status
        return data
