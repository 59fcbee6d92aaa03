"""What committee staff do with plans: targets, pilots, follow-up notes, evaluations.

Every write checks `Perm.MANAGE_PLANS` on the plan's issuing organization, validates,
saves only the fields it changes and leaves an audit entry.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core import audit
from lantoa.core.errors import ValidationError, require
from lantoa.core.text import nfc
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, can
from lantoa.programs.models import Pilot, PilotNote, PilotStatus, Plan, Target

FIRST_YEAR = 1930


def _today() -> datetime.date:
    return timezone.localdate()


def _require_manager(by, plan: Plan) -> None:
    require(can(by, Perm.MANAGE_PLANS, plan.issuer))


# --- plans -------------------------------------------------------------------------------


def _check_plan(plan: Plan) -> None:
    if plan.issued_on and plan.issued_on > _today():
        raise ValidationError({"issued_on": _("The date issued cannot be in the future.")})


@transaction.atomic
def create_plan(*, by, issuer: Organization, **fields: Any) -> Plan:
    require(can(by, Perm.MANAGE_PLANS, issuer))
    plan = Plan(issuer=issuer, **fields)
    _check_plan(plan)
    plan.save()
    return plan


@transaction.atomic
def update_plan(plan: Plan, *, by, **fields: Any) -> Plan:
    _require_manager(by, plan)
    for name, value in fields.items():
        setattr(plan, name, value)
    _check_plan(plan)
    plan.save(update_fields=list(fields))
    return plan


# --- targets -----------------------------------------------------------------------------


def _check_target(target: Target) -> None:
    errors = {}
    if not 1 <= (target.target_percent or 0) <= 100:
        errors["target_percent"] = _("Enter a share between 1 and 100 %.")
    if not FIRST_YEAR <= (target.year or 0) <= _today().year + 10:
        errors["year"] = _("Enter a year between %(first)s and ten years from now.") % {
            "first": FIRST_YEAR
        }
    clash = Target.objects.filter(plan=target.plan, kind=target.kind, year=target.year)
    if target.pk:
        clash = clash.exclude(pk=target.pk)
    if clash.exists():
        errors["kind"] = _("The plan already has a target for this indicator and year.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_target(plan: Plan, *, by, **fields: Any) -> Target:
    _require_manager(by, plan)
    target = Target(plan=plan, **fields)
    target.label = nfc(target.label)
    _check_target(target)
    target.save()
    return target


@transaction.atomic
def update_target(target: Target, *, by, **fields: Any) -> Target:
    _require_manager(by, target.plan)
    for name, value in fields.items():
        setattr(target, name, nfc(value) if isinstance(value, str) else value)
    _check_target(target)
    target.save(update_fields=list(fields))
    return target


@transaction.atomic
def delete_target(target: Target, *, by) -> None:
    _require_manager(by, target.plan)
    target.delete()


# --- pilots ------------------------------------------------------------------------------


@transaction.atomic
def add_pilot(plan: Plan, *, by, organization: Organization, note: str = "") -> Pilot:
    """Choose an organization of the plan's scope to carry it out first (làm điểm)."""
    _require_manager(by, plan)
    if organization.pk == plan.issuer_id or not organization.path.startswith(plan.issuer.path):
        raise ValidationError(
            {"organization": _("Choose a unit under the organization that issued the plan.")}
        )
    if organization.archived:
        raise ValidationError({"organization": _("This organization is archived.")})
    if plan.pilots.filter(organization=organization).exists():
        raise ValidationError({"organization": _("This unit is already a pilot of the plan.")})
    return Pilot.objects.create(plan=plan, organization=organization, note=nfc(note))


@transaction.atomic
def remove_pilot(pilot: Pilot, *, by) -> None:
    """Undo a choice made by mistake: only before any follow-up was recorded."""
    _require_manager(by, pilot.plan)
    if pilot.status != PilotStatus.CHOSEN or pilot.notes.exists():
        raise ValidationError(_("This pilot has a follow-up: it cannot be removed."))
    pilot.delete()


def _set_status(pilot: Pilot, status: PilotStatus, by, fields: tuple[str, ...] = ()) -> None:
    """The one place a pilot changes status: save what changed, write one audit entry."""
    old = pilot.status
    pilot.status = status
    pilot.save(update_fields=["status", *fields])
    changes = {"status": [old, status]} | {name: ["", str(getattr(pilot, name))] for name in fields}
    audit.record(pilot, f"programs.pilot.{status}", changes=changes, actor=by)


@transaction.atomic
def start_pilot(pilot: Pilot, *, by) -> Pilot:
    _require_manager(by, pilot.plan)
    if pilot.status != PilotStatus.CHOSEN:
        raise ValidationError(_("This pilot is already under way."))
    _set_status(pilot, PilotStatus.IN_PROGRESS, by)
    return pilot


@transaction.atomic
def add_pilot_note(pilot: Pilot, *, by, date: datetime.date, text: str) -> PilotNote:
    """A follow-up note; the first one marks a chosen pilot as being carried out."""
    _require_manager(by, pilot.plan)
    text = nfc(text or "")
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    if date > _today():
        raise ValidationError({"date": _("The date of a note cannot be in the future.")})
    note = PilotNote.objects.create(pilot=pilot, date=date, text=text, author=by)
    if pilot.status == PilotStatus.CHOSEN:
        _set_status(pilot, PilotStatus.IN_PROGRESS, by)
    return note


@transaction.atomic
def evaluate_pilot(
    pilot: Pilot, *, by, evaluation: str, lesson: str, on: datetime.date | None = None
) -> Pilot:
    """Record (or correct) the evaluation of a pilot and the lesson drawn for the rollout."""
    _require_manager(by, pilot.plan)
    on = on or _today()
    evaluation, lesson = nfc(evaluation or ""), nfc(lesson or "")
    if not evaluation:
        raise ValidationError({"evaluation": _("Write the evaluation.")})
    if on > _today():
        raise ValidationError({"evaluated_on": _("The date cannot be in the future.")})
    pilot.evaluation, pilot.lesson, pilot.evaluated_on = evaluation, lesson, on
    _set_status(pilot, PilotStatus.EVALUATED, by, ("evaluation", "lesson", "evaluated_on"))
    return pilot
