"""Commendation: nominations, the council's tallies and the decisions, each seen by whom
its page is shown to."""

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from lantoa.api.pagination import Listing, Pages
from lantoa.api.routers.common import answers, org_or_none, text
from lantoa.api.schemas import DecisionOut, NominationOut, TallyOut, VoterOut
from lantoa.awards import tally as tallies
from lantoa.awards.models import (
    Ballot,
    CouncilMember,
    DecisionKind,
    DecisionStatus,
    Nomination,
    NominationStatus,
    NomineeKind,
    Round,
    Vote,
)
from lantoa.awards.services.nominations import visible_nominations
from lantoa.awards.services.rounds import can_view_round
from lantoa.awards.views.decisions import FIRST_YEAR, LAST_YEAR, visible_decisions
from lantoa.core.text import search_key
from lantoa.orgs.queries import in_subtree_q, subtree_q
from lantoa.orgs.rules import Perm, can, scope_q

router = Router(tags=["commendation"])

ID = {"ge": 1, "le": 2**31 - 1}


def _round(request: HttpRequest, pk: int | None, perm: Perm | None = None) -> Round | None:
    """The round asked for, if the user may see it (its tally, with `perm`); else 404."""
    if pk is None:
        return None
    round_ = Round.objects.select_related("organization").filter(pk=pk).first()
    if round_ is None:
        raise Http404
    if perm is not None:
        allowed = can(request.user, perm, round_.organization)
    else:
        allowed = can_view_round(request.user, round_)
    if not allowed:
        raise Http404
    return round_


# --- nominations ---------------------------------------------------------------------------


def nomination_out(n: Nomination) -> NominationOut:
    return NominationOut(
        id=n.pk,
        round_id=n.round_id,
        round_title=n.round.title,
        year=n.round.year,
        status=n.status,
        kind=NomineeKind.PERSON if n.person_id else NomineeKind.COLLECTIVE,
        nominee_name=str(n.nominee),
        person_id=n.person_id,
        person_code=n.person.code if n.person_id else None,
        collective_code=n.collective.code if n.collective_id else None,
        nominating_organization_code=n.nominating_organization.code,
        proposed_form=n.proposed_form.code,
        proposed_form_name=n.proposed_form.name,
        achievements=n.achievements,
        status_changed_at=n.status_changed_at,
    )


@router.get("/nominations", response=answers(list[NominationOut]))
@paginate(Pages)
def nominations(
    request: HttpRequest,
    round: int | None = Query(None, **ID),
    status: NominationStatus | None = None,
    kind: NomineeKind | None = None,
    org: str | None = None,
    q: str | None = None,
):
    """Nominations made by organizations in reach or in rounds run there: `round` (an id),
    `status`, `kind` (person or collective), `org` (a code: nominated by its subtree), `q`
    words of the nominee's name without diacritics."""
    found = visible_nominations(request.user)
    round_ = _round(request, round)
    if round_ is not None:
        found = found.filter(round=round_)
    if status:
        found = found.filter(status=status)
    if kind:
        found = found.filter(**{f"{kind}__isnull": False})
    unit = org_or_none(request, org, Perm.VIEW_PROGRAMS)
    if unit is not None:
        found = found.filter(subtree_q(unit.path, "nominating_organization__path"))
    key = search_key(text(q))
    if key:
        found = found.filter(nominee_key__contains=key)
    rows = found.select_related(
        "round", "nominating_organization", "person", "collective", "proposed_form"
    ).order_by("-round__year", "round_id", "nominating_organization__path", "id")
    return Listing(rows, lambda page: [nomination_out(n) for n in page])


# --- the council's tallies -------------------------------------------------------------------


def tally_items(page: list[Nomination]) -> list[TallyOut]:
    """The tally page's rows for a page of nominations of any rounds: counts of the stored
    votes with each round's rule (`lantoa.awards.tally`), who voted and who has not, and
    how each voted only in an open vote. A fixed number of queries."""
    ids = [n.pk for n in page]
    rounds = {n.round_id: n.round for n in page}
    counts = {
        row.pop("nomination_id"): row
        for row in Vote.objects.filter(nomination_id__in=ids)
        .values("nomination_id")
        .order_by()
        .annotate(**tallies._counts())
    }
    council: dict[int, list[CouncilMember]] = defaultdict(list)
    for member in CouncilMember.objects.filter(round_id__in=rounds).order_by("position", "id"):
        council[member.round_id].append(member)
    voted: dict[int, set[int]] = defaultdict(set)
    for nomination_id, member_id in Ballot.objects.filter(nomination_id__in=ids).values_list(
        "nomination_id", "member_id"
    ):
        voted[nomination_id].add(member_id)
    open_ids = [n.pk for n in page if not n.round.secret_ballot]
    choices: dict[tuple[int, int], str] = {}
    if open_ids:  # a secret ballot's votes name nobody; never look
        for nomination_id, member_id, choice in Vote.objects.filter(
            nomination_id__in=open_ids, member__isnull=False
        ).values_list("nomination_id", "member_id", "choice"):
            choices[nomination_id, member_id] = choice
    items = []
    for n in page:
        round_ = rounds[n.round_id]
        members = council[n.round_id]
        result = tallies._tally(round_.vote_rule, len(members), counts.get(n.pk, {}))
        secret = round_.secret_ballot
        items.append(
            TallyOut(
                nomination_id=n.pk,
                round_id=n.round_id,
                round_title=round_.title,
                nominee_name=str(n.nominee),
                status=n.status,
                secret_ballot=secret,
                members=result.members,
                cast=result.cast,
                agree=result.agree,
                disagree=result.disagree,
                abstain=result.abstain,
                not_voted=result.not_voted,
                quorum_met=result.quorum_met,
                selected=result.selected,
                quorum_needed=result.quorum_needed,
                agree_needed=result.agree_needed,
                rule=result.rule,
                voters=[
                    VoterOut(
                        name=m.name,
                        choice=None if secret else choices.get((n.pk, m.pk)),
                    )
                    for m in members
                    if m.pk in voted[n.pk]
                ],
                waiting=[m.name for m in members if m.pk not in voted[n.pk]],
            )
        )
    return items


@router.get("/votes", response=answers(list[TallyOut]))
@paginate(Pages)
def votes(
    request: HttpRequest,
    round: int | None = Query(None, **ID),
    q: str | None = None,
):
    """The council's tally of each nomination put to the vote, in the rounds whose tally
    page the account may open (reviewers of the round's organization): the counts and the
    rule's result; in a secret ballot, who voted but never how (`choice` is null)."""
    found = Nomination.objects.filter(
        scope_q(request.user, Perm.REVIEW_NOMINATIONS, "round__organization__path"),
        status__in=tallies.COUNCIL_STATUSES,
    )
    round_ = _round(request, round, Perm.REVIEW_NOMINATIONS)
    if round_ is not None:
        found = found.filter(round=round_)
    for word in search_key(text(q)).split()[:10]:  # every word, in any order
        found = found.filter(nominee_key__contains=word)
    rows = found.select_related("round__vote_rule", "person", "collective").order_by(
        "-round__year", "round_id", "pk"
    )
    return Listing(rows, tally_items)


# --- decisions -------------------------------------------------------------------------------


def decision_out(d) -> DecisionOut:
    return DecisionOut(
        id=d.pk,
        symbol=d.symbol,
        date=d.date,
        status=d.status,
        kind=d.kind,
        subject=d.subject,
        organization_code=d.organization.code,
        round_id=d.round_id,
        refers_to_id=d.refers_to_id,
        awards_count=d.award_count,
        issued_at=d.issued_at,
    )


@router.get("/decisions", response=answers(list[DecisionOut]))
@paginate(Pages)
def decisions(
    request: HttpRequest,
    org: str | None = None,
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    status: DecisionStatus | None = None,
    kind: DecisionKind | None = None,
    q: str | None = None,
):
    """Issued decisions of organizations in reach, and drafts of those whose decisions the
    account may issue, latest first, with the number of awards each makes."""
    found = visible_decisions(request.user)
    unit = org_or_none(request, org, Perm.VIEW_PROGRAMS)
    if unit is not None:
        found = found.filter(in_subtree_q(unit.path))
    if year is not None:
        found = found.filter(
            date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
        )
    if status:
        found = found.filter(status=status)
    if kind:
        found = found.filter(kind=kind)
    key = search_key(text(q))
    if key:
        found = found.filter(Q(search_key__contains=key) | Q(round__search_key__contains=key))
    rows = (
        found.select_related("organization")
        .annotate(award_count=Count("awards"))
        .order_by("-date", "-id")
    )
    return Listing(rows, lambda page: [decision_out(d) for d in page])
