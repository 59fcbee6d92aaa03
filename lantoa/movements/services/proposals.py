"""Putting a good deed, an initiative or an activity forward for commendation.

The commendation rounds (lantoa.awards) list what was put forward in their scope and link
their nominations to it. Withdrawing clears the mark; auditlog records both changes.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.errors import ValidationError, require
from lantoa.core.text import nfc
from lantoa.movements.models import Activity, GoodDeed, Initiative
from lantoa.orgs.rules import Perm, can

Proposable = Activity | GoodDeed | Initiative

__all__ = ["Proposable", "put_forward", "withdraw"]


@transaction.atomic
def put_forward(record: Proposable, *, by, note: str) -> Proposable:
    """Mark the record as put forward for commendation, with the reason given."""
    require(can(by, Perm.RECORD_ACTIVITIES, record.organization))
    note = nfc(note).strip()
    if not note:
        raise ValidationError({"note": _("Say why it deserves commendation.")})
    if record.is_put_forward:
        raise ValidationError(_("It has already been put forward for commendation."))
    record.put_forward_at = timezone.now()
    record.put_forward_by = by
    record.put_forward_note = note
    record.save(update_fields=["put_forward_at", "put_forward_by", "put_forward_note"])
    return record


@transaction.atomic
def withdraw(record: Proposable, *, by) -> Proposable:
    require(can(by, Perm.RECORD_ACTIVITIES, record.organization))
    if not record.is_put_forward:
        raise ValidationError(_("It was not put forward for commendation."))
    record.put_forward_at = None
    record.put_forward_by = None
    record.put_forward_note = ""
    record.save(update_fields=["put_forward_at", "put_forward_by", "put_forward_note"])
    return record
