"""Audit helpers for what django-auditlog's signals do not see: bulk operations,
named actions and viewings of private data."""

from collections.abc import Iterable, Mapping
from typing import Any

from auditlog.context import auditlog_value
from django.contrib.contenttypes.models import ContentType
from django.db import models

from lantoa.core.models import AuditEntry, organization_path_of

Action = AuditEntry.Action


def current_actor() -> Any:
    """The user set by auditlog's middleware for this request, if any."""
    try:
        return auditlog_value.get().get("actor")
    except LookupError:
        return None


def _entry(
    instance: models.Model,
    action: int,
    verb: str,
    changes: Mapping[str, Any] | None,
    actor: Any,
) -> AuditEntry:
    actor = actor if actor is not None else current_actor()
    return AuditEntry(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=str(instance.pk),
        object_id=instance.pk if isinstance(instance.pk, int) else None,
        object_repr=str(instance)[:2000],
        action=action,
        verb=verb,
        changes=dict(changes) if changes else None,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_email=getattr(actor, "email", None) or None,
        organization_path=organization_path_of(instance),
    )


def record(
    instance: models.Model,
    verb: str,
    *,
    changes: Mapping[str, Any] | None = None,
    action: int = Action.UPDATE,
    actor: Any = None,
) -> AuditEntry:
    """Write one audit entry for a named action, e.g. ``orgs.organization.merged``."""
    entry = _entry(instance, action, verb, changes, actor)
    entry.save()
    return entry


def record_many(
    instances: Iterable[models.Model],
    verb: str,
    *,
    changes: Mapping[str, Any] | None = None,
    action: int = Action.UPDATE,
    actor: Any = None,
) -> int:
    """Audit a bulk operation: one entry per object changed, written in one query."""
    entries = [_entry(obj, action, verb, changes, actor) for obj in instances]
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def record_access(instance: models.Model, verb: str, *, actor: Any) -> AuditEntry:
    """Record that a user viewed private data."""
    return record(instance, verb, action=Action.ACCESS, actor=actor)
