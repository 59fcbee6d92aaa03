"""The council vote: each seated member votes once per nomination, within the round's
window; then the votes are counted (the workflow's TALLY step) by the round's rule.

One vote per member is the database's guarantee: the ballot (who voted on what) has a
unique constraint, and the ballot and the vote are written in one transaction, so a second
submission — however concurrent — fails on the constraint and leaves nothing behind.

Importing this module registers the TALLY step's check and outcome in the workflow (the
app's `ready()` imports it).
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.awards import workflow
from lantoa.awards.models import (
    Ballot,
    CouncilMember,
    Nomination,
    NominationStatus,
    Round,
    Vote,
    VoteChoice,
)
from lantoa.awards.tally import compute, council_size
from lantoa.awards.workflow import Action
from lantoa.core.errors import PermissionDenied, ValidationError, require
from lantoa.orgs.rules import Perm, User, can

__all__ = ["already_voted_message", "cast_vote", "seat_of", "tally_round", "voting_window"]

DATE = "%d/%m/%Y"


def already_voted_message() -> str:
    return _("You have already voted on this nomination.")


def voting_window(round_: Round) -> str:
    return _("Voting on this round is open from %(opens)s to %(closes)s.") % {
        "opens": round_.voting_opens.strftime(DATE),
        "closes": round_.voting_closes.strftime(DATE),
    }


def seat_of(user: User, round_: Round) -> CouncilMember | None:
    """The user's seat on the round's council, if they may vote there: seated, and allowed to
    see the programs of the organization running the round (an active account)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not can(user, Perm.VIEW_PROGRAMS, round_.organization):
        return None
    return CouncilMember.objects.filter(round_id=round_.pk, user_id=user.pk).first()


def _check_open(nomination: Nomination, today: datetime.date) -> None:
    if nomination.status != NominationStatus.VOTING:
        raise ValidationError(
            _("The council votes only on nominations sent to it; this one is “%(status)s”.")
            % {"status": nomination.get_status_display()},
            code="not_voting",
        )
    if not nomination.round.voting_open_on(today):
        raise ValidationError(
            _("You cannot vote on %(day)s. %(window)s")
            % {"day": today.strftime(DATE), "window": voting_window(nomination.round)},
            code="outside_window",
        )


def _write(nomination: Nomination, by: User, choice: str, today: datetime.date) -> Vote:
    locked = (
        Nomination.objects.select_for_update()
        .select_related("round__organization")
        .get(pk=nomination.pk)
    )
    seat = seat_of(by, locked.round)
    if seat is None:
        raise PermissionDenied
    _check_open(locked, today)
    try:
        with transaction.atomic():  # a savepoint: the constraint's refusal undoes only this
            Ballot.objects.create(nomination=locked, member=seat)
    except IntegrityError as error:  # ballot_one_per_member: this member has voted
        raise ValidationError(already_voted_message(), code="already_voted") from error
    return Vote.objects.create(
        nomination=locked,
        choice=choice,
        member=None if locked.round.secret_ballot else seat,
    )


def cast_vote(
    nomination: Nomination, *, by: User, choice: str, today: datetime.date | None = None
) -> Vote:
    """Record a council member's vote on a nomination, or refuse and write nothing.

    PermissionDenied: the user has no seat on the round's council. ValidationError: the
    nomination is not with the council, the day is outside the voting window, the choice
    is unknown, or the member has already voted.
    """
    if choice not in VoteChoice.values:
        raise ValidationError({"choice": _("Choose agree, disagree or abstain.")})
    today = today or timezone.localdate()
    with transaction.atomic():
        return _write(nomination, by, choice, today)


# --- counting: the workflow's TALLY step -------------------------------------------------


def _check_tally(nomination: Nomination, today: datetime.date) -> None:
    """Votes are counted once voting has closed, or earlier when every member has voted."""
    round_ = nomination.round
    if today < round_.voting_opens:
        raise ValidationError(
            _("Voting opens on %(opens)s: the votes cannot be counted before.")
            % {"opens": round_.voting_opens.strftime(DATE)},
            code="too_early",
        )
    members = council_size(round_)
    if not members:
        raise ValidationError(
            _("This round has no council members: seat the council before counting."),
            code="no_council",
        )
    voted = Ballot.objects.filter(nomination_id=nomination.pk).count()
    if today <= round_.voting_closes and voted < members:
        raise ValidationError(
            _(
                "Voting is open until %(closes)s and %(voted)s of the %(members)s council "
                "members have voted: the votes can be counted before then only when every "
                "member has voted."
            )
            % {"closes": round_.voting_closes.strftime(DATE), "voted": voted, "members": members},
            code="still_open",
        )


def _outcome(nomination: Nomination) -> str:
    """Selected or not, from the votes stored (read in the transition's transaction)."""
    selected = compute(nomination).selected
    return NominationStatus.SELECTED if selected else NominationStatus.NOT_SELECTED


workflow.CHECKS[Action.TALLY] = _check_tally
workflow.OUTCOMES[Action.TALLY] = _outcome


@transaction.atomic
def tally_round(round_: Round, *, by: User, today: datetime.date | None = None) -> dict[str, int]:
    """Close the vote of a round: count every nomination still with the council, each
    through the workflow's TALLY step. All of them, or none (the first refusal, naming the
    nominee, undoes the others). Returns how many were selected and not selected."""
    require(can(by, Perm.REVIEW_NOMINATIONS, round_.organization))
    voting = list(
        Nomination.objects.filter(round_id=round_.pk, status=NominationStatus.VOTING)
        .select_related("person", "collective")
        .order_by("pk")
    )
    if not voting:
        raise ValidationError(
            _("No nomination of this round is with the council."), code="nothing_to_count"
        )
    result = {NominationStatus.SELECTED.value: 0, NominationStatus.NOT_SELECTED.value: 0}
    for nomination in voting:
        try:
            counted = workflow.transition(nomination, Action.TALLY, by=by, today=today)
        except ValidationError as error:
            raise ValidationError(
                [f"{nomination.nominee}: {message}" for message in error.messages]
            ) from error
        result[counted.status] += 1
    return result
