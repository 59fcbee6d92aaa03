"""The nomination workflow: one table of steps, one function that performs any of them.

    draft ─submit→ submitted ─start_review→ in_review ─send_to_vote→ voting ─tally→ selected
      ↑               │ │                      │ │                          └────→ not_selected
      └──resubmit── returned ←─return_for_changes─┘ │
                      rejected ←─reject──────────────┘
    selected ─commend→ commended ─honor→ honored      (any open state) ─withdraw→ withdrawn

Who may take a step is the table `STEPS`: the permission it needs, and on which
organization — the nominating one (its staff) or the one running the round (the
committee). `transition` checks the state, the permission and the step's own rules, writes
the new status, records the event (with the reason) and leaves an audit entry, all in one
transaction with the nomination's row locked.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.awards.models import Nomination, NominationEvent, NominationStatus
from lantoa.core.errors import PermissionDenied, ValidationError
from lantoa.core.text import nfc
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, User, can

S = NominationStatus

__all__ = ["STEPS", "Action", "Step", "allowed_actions", "may", "transition"]


class Action(StrEnum):
    SUBMIT = "submit"
    RESUBMIT = "resubmit"
    WITHDRAW = "withdraw"
    START_REVIEW = "start_review"
    RETURN_FOR_CHANGES = "return_for_changes"
    REJECT = "reject"
    SEND_TO_VOTE = "send_to_vote"
    TALLY = "tally"
    COMMEND = "commend"
    HONOR = "honor"


NOMINATOR = "nominating"  # the permission is checked on the nominating organization
COMMITTEE = "round"  # ... on the organization running the round

# checks a step runs before it is taken: raise ValidationError to refuse
Check = Callable[[Nomination, datetime.date], None]
# the status a step leads to, when it depends on the nomination (the council's tally)
Outcome = Callable[[Nomination], str]


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str | None  # None: decided by `outcome`
    perm: Perm
    on: str  # NOMINATOR or COMMITTEE
    reason_required: bool = False
    label: str = ""


STEPS: dict[Action, Step] = {
    Action.SUBMIT: Step(frozenset({S.DRAFT}), S.SUBMITTED, Perm.NOMINATE, NOMINATOR),
    Action.RESUBMIT: Step(frozenset({S.RETURNED}), S.SUBMITTED, Perm.NOMINATE, NOMINATOR),
    Action.WITHDRAW: Step(
        frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.IN_REVIEW}),
        S.WITHDRAWN,
        Perm.NOMINATE,
        NOMINATOR,
    ),
    Action.START_REVIEW: Step(
        frozenset({S.SUBMITTED}), S.IN_REVIEW, Perm.REVIEW_NOMINATIONS, COMMITTEE
    ),
    Action.RETURN_FOR_CHANGES: Step(
        frozenset({S.SUBMITTED, S.IN_REVIEW}),
        S.RETURNED,
        Perm.REVIEW_NOMINATIONS,
        COMMITTEE,
        reason_required=True,
    ),
    Action.REJECT: Step(
        frozenset({S.SUBMITTED, S.IN_REVIEW}),
        S.REJECTED,
        Perm.REVIEW_NOMINATIONS,
        COMMITTEE,
        reason_required=True,
    ),
    Action.SEND_TO_VOTE: Step(
        frozenset({S.IN_REVIEW}), S.VOTING, Perm.REVIEW_NOMINATIONS, COMMITTEE
    ),
    Action.TALLY: Step(frozenset({S.VOTING}), None, Perm.REVIEW_NOMINATIONS, COMMITTEE),
    Action.COMMEND: Step(frozenset({S.SELECTED}), S.COMMENDED, Perm.ISSUE_DECISIONS, COMMITTEE),
    Action.HONOR: Step(frozenset({S.COMMENDED}), S.HONORED, Perm.MANAGE_ROUNDS, COMMITTEE),
}

# step-specific rules, registered by the services that own them (submission checks in
# services/nominations.py, the tally in services/votes.py): {action: check}
CHECKS: dict[Action, Check] = {}
OUTCOMES: dict[Action, Outcome] = {}


def _organization(nomination: Nomination, step: Step) -> Organization:
    return (
        nomination.nominating_organization
        if step.on == NOMINATOR
        else nomination.round.organization
    )


def may(user: User, action: Action, nomination: Nomination) -> bool:
    """Whether the user may take the step on this nomination in its present state."""
    step = STEPS[action]
    return nomination.status in step.sources and can(
        user, step.perm, _organization(nomination, step)
    )


def allowed_actions(user: User, nomination: Nomination) -> list[Action]:
    """The steps the user may take now (the buttons a page shows)."""
    return [action for action in Action if may(user, action, nomination)]


def _refuse_state(nomination: Nomination, action: Action) -> None:
    raise ValidationError(
        _("This cannot be done to a nomination that is “%(status)s”.")
        % {"status": nomination.get_status_display()},
        code="wrong_state",
    )


@transaction.atomic
def transition(
    nomination: Nomination,
    action: Action,
    *,
    by: User,
    reason: str = "",
    today: datetime.date | None = None,
) -> Nomination:
    """Take a step of the workflow: check, write, record, audit — or change nothing."""
    step = STEPS[action]
    locked = (
        Nomination.objects.select_for_update()
        .select_related("round__organization", "nominating_organization", "round__vote_rule")
        .get(pk=nomination.pk)
    )
    if not can(by, step.perm, _organization(locked, step)):
        raise PermissionDenied
    if locked.status not in step.sources:
        _refuse_state(locked, action)
    reason = nfc(reason or "").strip()
    if step.reason_required and not reason:
        raise ValidationError(
            {"reason": _("Give the reason: the nominating organization reads it.")}
        )
    today = today or timezone.localdate()
    if action in CHECKS:
        CHECKS[action](locked, today)
    target = step.target if step.target is not None else OUTCOMES[action](locked)
    previous = locked.status
    locked.status = target
    locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "status_changed_at", "duplicate_of"])
    NominationEvent.objects.create(
        nomination=locked,
        from_status=previous,
        to_status=target,
        by=by if getattr(by, "is_authenticated", False) else None,
        reason=reason,
    )
    return locked
