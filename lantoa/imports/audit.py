"""Audit entries for rows an import created or changed: one entry per object, with the job
and the sheet line in `changes`, written in batches. Unchanged rows leave no entry."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from lantoa.core.audit import Action, _entry
from lantoa.core.models import AuditEntry

CREATED = "imports.created"
UPDATED = "imports.updated"


def audit_imported(
    changes: Iterable[tuple[models.Model, bool, Mapping[str, Any]]],
    *,
    job_id: int,
    actor: Any,
) -> int:
    """Write one entry per (object, created?, changed fields as {name: [old, new]}).

    For a created object pass its imported values as {name: [None, value]}; values are
    turned into text so that dates and decimals serialize."""
    entries = []
    for instance, created, fields in changes:
        payload = {name: [_text(old), _text(new)] for name, (old, new) in fields.items()}
        payload["import_job"] = [None, str(job_id)]
        entries.append(
            _entry(
                instance,
                Action.CREATE if created else Action.UPDATE,
                CREATED if created else UPDATED,
                payload,
                actor,
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)
