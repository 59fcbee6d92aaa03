"""The council's tally: counts of the stored votes, and the round's rule applied to them.

Quorum: at least `quorum_percent` % of the council's members voted. Selected: the quorum is
met and the agreeing votes are more than (or, if the rule says so, at least)
`approval_percent` % of the base — all council members, or the votes cast. Everything is
integer arithmetic: "agree > 50 % of 6" is `agree * 100 > 50 * 6`, with no rounding.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from lantoa.awards.models import (
    CouncilMember,
    Nomination,
    NominationStatus,
    Round,
    Vote,
    VoteChoice,
    VoteRule,
)

__all__ = [
    "COUNCIL_STATUSES",
    "Tally",
    "compute",
    "compute_many",
    "council_size",
    "describe_rule",
    "put_to_council",
]

S = NominationStatus
# the states of a nomination that has been put to the council's vote
COUNCIL_STATUSES = (S.VOTING, S.SELECTED, S.NOT_SELECTED, S.COMMENDED, S.HONORED)


@dataclass(frozen=True)
class Tally:
    members: int  # seats on the round's council
    cast: int  # votes stored
    agree: int
    disagree: int
    abstain: int
    quorum_met: bool
    selected: bool
    rule: str  # the rule in words
    quorum_needed: int = 0  # votes needed for the quorum
    agree_needed: int = 0  # agreeing votes needed, with the votes cast so far

    @property
    def not_voted(self) -> int:
        return max(self.members - self.cast, 0)

    @property
    def percent_agree_of_members(self) -> Decimal:
        """The agreeing votes as a percentage of all members, to two decimals (display)."""
        if not self.members:
            return Decimal("0.00")
        share = Decimal(self.agree * 100) / Decimal(self.members)
        return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def quorum_needed(rule: VoteRule, members: int) -> int:
    """The fewest votes that make the quorum: ceil(quorum_percent % × members)."""
    return _ceil_div(rule.quorum_percent * members, 100)


def agree_needed(rule: VoteRule, base: int) -> int:
    """The fewest agreeing votes that pass: more than (or at least) approval % of base."""
    if rule.strictly_more:
        return rule.approval_percent * base // 100 + 1
    return max(_ceil_div(rule.approval_percent * base, 100), 1)


def passes(rule: VoteRule, agree: int, base: int) -> bool:
    if agree <= 0:  # nobody agreeing never selects, whatever the percentages
        return False
    if rule.strictly_more:
        return agree * 100 > rule.approval_percent * base
    return agree * 100 >= rule.approval_percent * base


def describe_rule(rule: VoteRule) -> str:
    """The rule in words, e.g. "Quorum: 50% of the council members. Selected: more than
    50% of all council members agree."."""
    params = {
        "quorum": rule.quorum_percent,
        "share": rule.approval_percent,
        "base": rule.get_base_display(),
    }
    if rule.strictly_more:
        selected = _("Selected: more than %(share)s%% %(base)s agree.") % params
    else:
        selected = _("Selected: at least %(share)s%% %(base)s agree.") % params
    quorum = _("Quorum: at least %(quorum)s%% of the council members vote.") % params
    return f"{quorum} {selected}"


def _tally(rule: VoteRule, members: int, counts: dict[str, int]) -> Tally:
    cast, agree = counts.get("cast", 0), counts.get("agree", 0)
    quorum_met = members > 0 and cast * 100 >= rule.quorum_percent * members
    base = cast if rule.base == VoteRule.Base.CAST else members
    return Tally(
        members=members,
        cast=cast,
        agree=agree,
        disagree=counts.get("disagree", 0),
        abstain=counts.get("abstain", 0),
        quorum_met=quorum_met,
        selected=quorum_met and passes(rule, agree, base),
        rule=describe_rule(rule),
        quorum_needed=quorum_needed(rule, members),
        agree_needed=agree_needed(rule, base),
    )


def _counts():
    return {
        "cast": Count("pk"),
        "agree": Count("pk", filter=Q(choice=VoteChoice.AGREE)),
        "disagree": Count("pk", filter=Q(choice=VoteChoice.DISAGREE)),
        "abstain": Count("pk", filter=Q(choice=VoteChoice.ABSTAIN)),
    }


def compute(nomination: Nomination) -> Tally:
    """The tally of one nomination from its stored votes (one aggregate query) and the
    round's rule. Inside `workflow.transition` this runs in its transaction, with the
    nomination's row locked, so no vote comes in between the count and the result."""
    round_ = nomination.round
    counts = Vote.objects.filter(nomination_id=nomination.pk).aggregate(**_counts())
    return _tally(round_.vote_rule, council_size(round_), counts)


def compute_many(round_: Round, nominations: list[Nomination]) -> dict[int, Tally]:
    """Tallies of several nominations of a round: one grouped query, whatever their number."""
    rows = (
        Vote.objects.filter(nomination_id__in=[n.pk for n in nominations])
        .values("nomination_id")
        .order_by()
        .annotate(**_counts())
    )
    by_nomination = {row.pop("nomination_id"): row for row in rows}
    members = council_size(round_)
    rule = round_.vote_rule
    return {n.pk: _tally(rule, members, by_nomination.get(n.pk, {})) for n in nominations}


def council_size(round_: Round) -> int:
    return CouncilMember.objects.filter(round_id=round_.pk).count()


def put_to_council(round_: Round) -> QuerySet[Nomination]:
    """The round's nominations the council votes or voted on, in the order of the list."""
    return Nomination.objects.filter(round_id=round_.pk, status__in=COUNCIL_STATUSES).order_by("pk")
