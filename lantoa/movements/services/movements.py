"""What committee staff do with emulation movements: launch them for a period, set their
targets, correct and delete them.

Every write checks `Perm.MANAGE_MOVEMENTS` on the launching organization and validates
before saving anything; auditlog records each change.
"""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lantoa.core.errors import ValidationError, require
from lantoa.core.text import nfc
from lantoa.movements.models import ActivityType, Movement, MovementKind, MovementTarget
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, can
from lantoa.programs.models import Document
from lantoa.programs.models.documents import reach_q

__all__ = [
    "FIRST_YEAR",
    "MAX_TARGET_QUANTITY",
    "YEARS_AHEAD",
    "create_movement",
    "delete_movement",
    "delete_target",
    "last_year",
    "set_target",
    "update_movement",
]

FIRST_YEAR = 1930  # the Party's founding: no movement is older
YEARS_AHEAD = 5  # a movement may be planned up to five years after next year
MAX_TARGET_QUANTITY = 10_000_000  # beyond this a target is taken for a typing mistake
MOVEMENT_FIELDS = ("title", "kind", "start_date", "end_date", "description", "document")


def last_year() -> int:
    return timezone.localdate().year + 1 + YEARS_AHEAD


def _require_manager(by, movement: Movement) -> None:
    require(can(by, Perm.MANAGE_MOVEMENTS, movement.organization))


# --- movements ---------------------------------------------------------------------------


def _check_period(start: datetime.date | None, end: datetime.date | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if start is None:
        errors["start_date"] = _("Enter the start of the movement.")
    if end is None:
        errors["end_date"] = _("Enter the end of the movement.")
    if errors:
        return errors
    years = {"first": FIRST_YEAR, "last": last_year()}
    if not FIRST_YEAR <= start.year <= years["last"]:
        errors["start_date"] = _("Enter a year between %(first)s and %(last)s.") % years
    if not FIRST_YEAR <= end.year <= years["last"]:
        errors["end_date"] = _("Enter a year between %(first)s and %(last)s.") % years
    if not errors and end < start:
        errors["end_date"] = _("The end of the movement cannot be before its start.")
    return errors


def _check_movement(movement: Movement) -> None:
    errors = _check_period(movement.start_date, movement.end_date)
    if not movement.title:
        errors["title"] = _("Enter the title of the movement.")
    if movement.kind not in MovementKind.values:
        errors["kind"] = _("Choose whether the movement is regular or by topic.")
    if movement.organization.archived:
        errors["organization"] = _("This organization is archived.")
    document = movement.document
    if (
        document is not None
        and not Document.objects.filter(reach_q([movement.organization.path]), pk=document.pk)
        .order_by()
        .exists()
    ):
        errors["document"] = _("This document does not reach the launching organization.")
    if errors:
        raise ValidationError(errors)


def _check_activities_within(movement: Movement) -> None:
    """Refuse a period that would leave some of the movement's activities outside it."""
    if movement.pk is None:
        return
    outside = (
        movement.activities.filter(Q(date__lt=movement.start_date) | Q(date__gt=movement.end_date))
        .order_by()
        .count()
    )
    if outside:
        raise ValidationError(
            {
                "start_date": ngettext(
                    "%(count)s activity reported against this movement falls outside the new"
                    " period: change its date first, or keep the period.",
                    "%(count)s activities reported against this movement fall outside the new"
                    " period: change their dates first, or keep the period.",
                    outside,
                )
                % {"count": outside}
            }
        )


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(MOVEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown movement fields: {sorted(unknown)}")
    for name in ("title", "description"):
        if name in fields:
            fields[name] = nfc(fields[name] or "")
    return fields


@transaction.atomic
def create_movement(*, by, organization: Organization, **fields: Any) -> Movement:
    """Launch a movement from an organization: it reaches that organization's subtree."""
    require(can(by, Perm.MANAGE_MOVEMENTS, organization))
    movement = Movement(organization=organization, created_by=by, **_clean(fields))
    _check_movement(movement)
    movement.save()
    return movement


@transaction.atomic
def update_movement(movement: Movement, *, by, **fields: Any) -> Movement:
    """Correct a movement. Its period may change only if every activity reported against
    it still falls within the new one. The launching organization does not change."""
    _require_manager(by, movement)
    for name, value in _clean(fields).items():
        setattr(movement, name, value)
    _check_movement(movement)
    _check_activities_within(movement)
    movement.save(update_fields=[*fields, "updated_at"])
    return movement


@transaction.atomic
def delete_movement(movement: Movement, *, by) -> None:
    """Delete a movement launched by mistake, with its targets; refused once activities
    were reported against it."""
    _require_manager(by, movement)
    count = movement.activities.order_by().count()
    if count:
        raise ValidationError(
            ngettext(
                "%(count)s activity was reported against this movement: it cannot be deleted.",
                "%(count)s activities were reported against this movement: it cannot be deleted.",
                count,
            )
            % {"count": count}
        )
    movement.delete()


# --- targets -----------------------------------------------------------------------------


def _check_target(target: MovementTarget, type_changed: bool) -> None:
    errors: dict[str, str] = {}
    quantity = target.quantity
    bounds = {"max": number_format(MAX_TARGET_QUANTITY, force_grouping=True)}
    if quantity is None or not 1 <= quantity <= MAX_TARGET_QUANTITY:
        errors["quantity"] = _("Enter a quantity between 1 and %(max)s.") % bounds
    per_base = target.per_base_organization
    if per_base is not None:
        if per_base < 1:
            errors["per_base_organization"] = _(
                "Enter a quantity of at least 1, or leave it empty."
            )
        elif quantity is not None and per_base > quantity:
            errors["per_base_organization"] = _(
                "The quantity for each base organization cannot exceed the quantity for the"
                " whole subtree."
            )
    if type_changed and not target.activity_type.active:
        errors["activity_type"] = _("This activity type is no longer in use.")
    clash = MovementTarget.objects.filter(
        movement=target.movement, activity_type=target.activity_type
    )
    if target.pk:
        clash = clash.exclude(pk=target.pk)
    if clash.exists():
        errors["activity_type"] = _(
            "The movement already has a target for %(type)s: edit that one."
        ) % {"type": target.activity_type.name}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def set_target(
    movement: Movement,
    *,
    by,
    activity_type: ActivityType,
    quantity: int,
    per_base_organization: int | None = None,
    note: str = "",
    target: MovementTarget | None = None,
) -> MovementTarget:
    """Add a target to the movement (one per activity type), or change `target`."""
    _require_manager(by, movement)
    if target is None:
        target = MovementTarget(movement=movement)
        type_changed = True
    else:
        if target.movement_id != movement.pk:
            raise ValidationError(_("This target belongs to another movement."))
        type_changed = target.activity_type_id != activity_type.pk
    target.movement = movement
    target.activity_type = activity_type
    target.quantity = quantity
    target.per_base_organization = per_base_organization
    target.note = nfc(note or "")
    _check_target(target, type_changed)
    target.save()
    return target


@transaction.atomic
def delete_target(target: MovementTarget, *, by) -> None:
    _require_manager(by, target.movement)
    target.delete()
