"""What users do with unit models and personal commitments: check, validate, write, audit,
each in one transaction (nothing is half-saved when a check fails)."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lantoa.core import audit
from lantoa.core.errors import ValidationError, require
from lantoa.orgs.models import Organization, Person
from lantoa.orgs.rules import Perm, can
from lantoa.programs.models import (
    Commitment,
    CommitmentDeadline,
    CommitmentItem,
    CommitmentResult,
    CommitmentStatus,
    EvaluationResult,
    UnitModel,
    UnitModelStatus,
)
from lantoa.programs.models.registration import YEAR_MAX, YEAR_MIN
from lantoa.programs.queries.registration import deadline_for

MAX_ITEMS = 20

# The only status changes allowed: registered → being carried out → evaluated.
TRANSITIONS: dict[str, frozenset[str]] = {
    UnitModelStatus.REGISTERED: frozenset({UnitModelStatus.IN_PROGRESS}),
    UnitModelStatus.IN_PROGRESS: frozenset({UnitModelStatus.EVALUATED}),
    UnitModelStatus.EVALUATED: frozenset(),
}


def _today() -> datetime.date:
    return timezone.localdate()


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def year_error() -> str:
    return _("Enter a year between %(min)s and %(max)s.") % {"min": YEAR_MIN, "max": YEAR_MAX}


def person_of(user: Any) -> Person | None:
    """The person record linked to the user's account, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.select_related("organization").filter(account=user).first()


# --- unit models -------------------------------------------------------------------------


def _check_unit_model(model: UnitModel) -> None:
    errors = {}
    if not (YEAR_MIN <= model.year_from <= YEAR_MAX):
        errors["year_from"] = year_error()
    if model.year_to is not None and model.year_to < model.year_from:
        errors["year_to"] = _("The last year cannot be before the first year.")
    person = model.responsible
    if person is not None and not (
        person.organization is not None
        and person.organization.path.startswith(model.organization.path)
    ):
        errors["responsible"] = _("The person responsible must belong to the organization.")
    if model.organization.archived:
        errors["organization"] = _("This organization is archived.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_unit_model(*, by, organization: Organization, **fields: Any) -> UnitModel:
    require(can(by, Perm.MANAGE_REGISTRATIONS, organization))
    model = UnitModel(organization=organization, **fields)
    _check_unit_model(model)
    model.save()
    return model


@transaction.atomic
def update_unit_model(model: UnitModel, *, by, **fields: Any) -> UnitModel:
    """Correct a unit model's description; an evaluated model is closed."""
    require(can(by, Perm.MANAGE_REGISTRATIONS, model.organization))
    if model.status == UnitModelStatus.EVALUATED:
        raise ValidationError(_("An evaluated model can no longer be changed."))
    for name, value in fields.items():
        setattr(model, name, value)
    _check_unit_model(model)
    model.save(update_fields=[*fields, "updated_at"])
    return model


@transaction.atomic
def change_unit_model_status(
    model: UnitModel, to: str, *, by, result: str = "", comments: str = ""
) -> UnitModel:
    """Move a unit model to its next status; evaluating it records the result.

    Allowed: registered → being carried out → evaluated (see TRANSITIONS).
    """
    require(can(by, Perm.MANAGE_REGISTRATIONS, model.organization))
    model = UnitModel.objects.select_for_update().select_related("organization").get(pk=model.pk)
    old = model.status
    if to not in TRANSITIONS.get(old, frozenset()):
        raise ValidationError(
            _("A model that is “%(old)s” cannot become “%(new)s”.")
            % {"old": UnitModelStatus(old).label, "new": _label(UnitModelStatus, to)}
        )
    fields = ["status", "updated_at"]
    if to == UnitModelStatus.EVALUATED:
        if result not in EvaluationResult.values:
            raise ValidationError({"result": _("Choose the result of the evaluation.")})
        model.result, model.comments = result, comments
        model.evaluated_at, model.evaluated_by = timezone.now(), by
        fields += ["result", "comments", "evaluated_at", "evaluated_by"]
    model.status = to
    model.save(update_fields=fields)
    audit.record(
        model,
        "programs.unit_model.status_changed",
        changes={"status": [old, to], **({"result": ["", result]} if result else {})},
        actor=by,
    )
    return model


def _label(choices, value: str) -> str:
    return choices(value).label if value in choices.values else value


# --- deadlines ---------------------------------------------------------------------------


@transaction.atomic
def set_commitment_deadline(
    org: Organization,
    year: int,
    *,
    by,
    deadline: datetime.date,
    assessment_deadline: datetime.date | None = None,
) -> CommitmentDeadline:
    """Set (or change) the organization's deadline for the year's commitments."""
    require(can(by, Perm.MANAGE_REGISTRATIONS, org))
    if not (YEAR_MIN <= year <= YEAR_MAX):
        raise ValidationError({"year": year_error()})
    if assessment_deadline is not None and assessment_deadline < deadline:
        raise ValidationError(
            {
                "assessment_deadline": _(
                    "The self-assessment deadline cannot be before the registration deadline."
                )
            }
        )
    record, created = CommitmentDeadline.objects.get_or_create(
        organization=org,
        year=year,
        defaults={"deadline": deadline, "assessment_deadline": assessment_deadline},
    )
    if not created:
        record.deadline, record.assessment_deadline = deadline, assessment_deadline
        record.save(update_fields=["deadline", "assessment_deadline"])
    return record


# --- commitments -------------------------------------------------------------------------


def _home_of(person: Person, commitment: Commitment | None) -> Organization | None:
    """The organization whose deadline governs: where it was registered, or where the
    person is now."""
    return commitment.organization if commitment is not None else person.organization


def registration_lock(
    person: Person, year: int, commitment: Commitment | None = None
) -> str | None:
    """Why the person may not register or change their commitment for the year (None: they
    may)."""
    if commitment is not None and commitment.status == CommitmentStatus.ASSESSED:
        return _("The cell has assessed this commitment: it can no longer be changed.")
    home = _home_of(person, commitment)
    if home is None:
        return _("Your record is not attached to a party cell.")
    deadline = deadline_for(home, year)
    if deadline is not None and _today() > deadline.deadline:
        return _(
            "The deadline for registering commitments for %(year)s was %(date)s: "
            "your commitment is locked."
        ) % {"year": year, "date": _day(deadline.deadline)}
    return None


def self_assessment_lock(person: Person, year: int, commitment: Commitment | None) -> str | None:
    """Why the person may not write their self-assessment (None: they may)."""
    if commitment is None:
        return _("Register your commitment first.")
    if commitment.status == CommitmentStatus.ASSESSED:
        return _("The cell has assessed this commitment: it can no longer be changed.")
    deadline = deadline_for(commitment.organization, year)
    if (
        deadline is not None
        and deadline.assessment_deadline
        and _today() > (deadline.assessment_deadline)
    ):
        return _("The deadline for self-assessments for %(year)s was %(date)s.") % {
            "year": year,
            "date": _day(deadline.assessment_deadline),
        }
    return None


def registrable_years() -> tuple[int, int]:
    """A member registers for the current year, or (late in the year) for the next."""
    year = _today().year
    return year, year + 1


def _own_person(by) -> Person:
    person = person_of(by)
    if person is None:
        raise ValidationError(_("Your account is not linked to a person record."))
    return person


def _locked_commitment(person: Person, year: int) -> Commitment | None:
    return (
        Commitment.objects.select_for_update()
        .select_related("organization")
        .filter(person=person, year=year)
        .first()
    )


def _clean_items(items: list[str]) -> list[str]:
    texts = [text.strip() for text in items if text and text.strip()]
    if not texts:
        raise ValidationError(_("Write at least one item you will follow."))
    if len(texts) > MAX_ITEMS:
        raise ValidationError(_("Write at most %(count)s items.") % {"count": MAX_ITEMS})
    return texts


def _replace_items(commitment: Commitment, texts: list[str]) -> None:
    """Keep the items as written: changed ones are updated, extra ones removed, new ones
    added (each change goes to the audit trail)."""
    existing = {item.order: item for item in commitment.items.all()}
    for order, text in enumerate(texts, start=1):
        item = existing.pop(order, None)
        if item is None:
            CommitmentItem.objects.create(commitment=commitment, order=order, text=text)
        elif item.text != text:
            item.text = text
            item.save(update_fields=["text"])
    for item in existing.values():
        item.delete()


@transaction.atomic
def save_own_commitment(*, by, year: int, items: list[str]) -> Commitment:
    """Register, or change, the user's own commitment for the year: only the person linked
    to the account, and only until the cell's deadline."""
    person = _own_person(by)
    if year not in registrable_years():
        raise ValidationError(_("Commitments are registered for the current or the next year."))
    texts = _clean_items(items)
    commitment = _locked_commitment(person, year)
    reason = registration_lock(person, year, commitment)
    if reason:
        raise ValidationError(reason)
    if commitment is None:
        commitment = Commitment.objects.create(
            person=person, year=year, organization=person.organization, submitted_at=timezone.now()
        )
    _replace_items(commitment, texts)
    return commitment


@transaction.atomic
def self_assess(*, by, year: int, text: str, result: str) -> Commitment:
    """The member's own assessment of their commitment at year end."""
    person = _own_person(by)
    commitment = _locked_commitment(person, year)
    reason = self_assessment_lock(person, year, commitment)
    if reason:
        raise ValidationError(reason)
    if result not in CommitmentResult.values:
        raise ValidationError({"result": _("Choose a result.")})
    commitment.self_assessment, commitment.self_result = text.strip(), result
    commitment.self_assessed_at = timezone.now()
    commitment.status = CommitmentStatus.SELF_ASSESSED
    commitment.save(
        update_fields=["self_assessment", "self_result", "self_assessed_at", "status", "updated_at"]
    )
    return commitment


def can_assess(user, commitment: Commitment) -> bool:
    """Staff of the cell where the commitment was registered, or where the person is now."""
    person_org = commitment.person.organization
    return can(user, Perm.MANAGE_REGISTRATIONS, commitment.organization) or (
        person_org is not None and can(user, Perm.MANAGE_REGISTRATIONS, person_org)
    )


@transaction.atomic
def assess_commitment(commitment: Commitment, *, by, text: str, result: str) -> Commitment:
    """The cell's assessment of a member's commitment (it can be corrected later)."""
    require(can_assess(by, commitment))
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if result not in CommitmentResult.values:
        raise ValidationError({"result": _("Choose a result.")})
    commitment.cell_assessment, commitment.cell_result = text.strip(), result
    commitment.cell_assessed_at, commitment.cell_assessed_by = timezone.now(), by
    commitment.status = CommitmentStatus.ASSESSED
    commitment.save(
        update_fields=[
            "cell_assessment",
            "cell_result",
            "cell_assessed_at",
            "cell_assessed_by",
            "status",
            "updated_at",
        ]
    )
    return commitment
