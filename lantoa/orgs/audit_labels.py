"""Words for the audit trail: action and verb labels, readable change lists.

Change lists name fields by their verbose name, choices by their label, dates as
dd/mm/yyyy and related objects by name — resolved for a whole page in one query per
related model, so that the page's query count does not grow with its rows.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from lantoa.core.models import AuditEntry

ACTION_LABELS = {
    AuditEntry.Action.CREATE: _("Created"),
    AuditEntry.Action.UPDATE: _("Changed"),
    AuditEntry.Action.DELETE: _("Deleted"),
    AuditEntry.Action.ACCESS: _("Viewed"),
}

VERB_LABELS = {
    "orgs.organization.moved": _("Organization moved"),
    "orgs.organization.merged": _("Organizations merged"),
    "orgs.person.private_viewed": _("Private data viewed"),
    "orgs.membership.closed": _("Membership closed"),
}

EMPTY_VALUES = {"None", "", "[]"}


def action_label(entry: AuditEntry) -> str:
    if entry.verb in VERB_LABELS:
        return str(VERB_LABELS[entry.verb])
    return str(ACTION_LABELS.get(entry.action, entry.get_action_display()))


def _field(entry: AuditEntry, name: str) -> models.Field | None:
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if hasattr(field, "verbose_name") else None  # reverse relations have none


def _show(field: models.Field | None, value, names: dict) -> str:
    text = "" if value is None else str(value)
    if text in EMPTY_VALUES:
        return "—"
    if field is None:
        return text
    if field.is_relation and field.related_model is not None:
        return names.get((field.related_model, text), text)
    if field.choices:
        return str(dict(field.flatchoices).get(text, text))
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        try:
            return formats.date_format(datetime.date.fromisoformat(text), "SHORT_DATE_FORMAT")
        except ValueError:
            return text
    if isinstance(field, models.BooleanField):
        return str(_("Yes")) if text == "True" else str(_("No"))
    return text


def _related_names(entries: Iterable[AuditEntry]) -> dict:
    wanted: dict[type, set[str]] = defaultdict(set)
    for entry in entries:
        for name, values in (entry.changes or {}).items():
            field = _field(entry, name)
            if field is not None and field.is_relation and field.related_model is not None:
                wanted[field.related_model] |= {str(v) for v in values if str(v).isdigit()}
    names = {}
    for model, keys in wanted.items():
        for pk, obj in model._default_manager.in_bulk([int(k) for k in keys]).items():
            names[(model, str(pk))] = str(obj)
    return names


def describe(entries: list[AuditEntry]) -> None:
    """Set `label` and `lines` ("Field: before → after") on each entry of a page."""
    names = _related_names(entries)
    for entry in entries:
        entry.label = action_label(entry)
        entry.lines = []
        for name, values in (entry.changes or {}).items():
            field = _field(entry, name)
            label = str(field.verbose_name) if field is not None else name
            before, after = (
                [*values, None, None][:2] if isinstance(values, list) else (None, values)
            )
            entry.lines.append(
                f"{label}: {_show(field, before, names)} → {_show(field, after, names)}"
            )
