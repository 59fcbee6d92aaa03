"""Pages of the council vote: a member's ballot (the nominations before the council in the
rounds where they are seated, while voting is open), the round's tally for the staff with
the button that closes the vote, and the minutes of the count as DOCX."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lantoa.awards.documents.minutes import CONTENT_TYPE, build_minutes, minutes_filename
from lantoa.awards.forms.votes import VoteForm
from lantoa.awards.models import (
    Ballot,
    CouncilMember,
    Nomination,
    NominationStatus,
    Round,
    Vote,
    VoteChoice,
)
from lantoa.awards.services import votes as services
from lantoa.awards.tally import Tally, compute_many, describe_rule, put_to_council
from lantoa.core.errors import ValidationError
from lantoa.core.exports import Export
from lantoa.core.forms import submit_once
from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import nfc, search_key
from lantoa.orgs.rules import Perm, can, scope_q

NOMINATION_RELATED = ("person", "collective", "nominating_organization", "proposed_form")
MAX_PLACE = 100


def _search(request: HttpRequest, nominations: QuerySet[Nomination]) -> tuple[QuerySet, str]:
    """`?q=`: words of the nominee's name, diacritics ignored."""
    q = request.GET.get("q", "").strip()[:200]
    for word in search_key(q).split()[:10]:  # every word, in any order
        nominations = nominations.filter(nominee_key__contains=word)
    return nominations, q


# --- the ballot ---------------------------------------------------------------------------


@dataclass
class BallotRow:
    nomination: Nomination
    voted: bool
    choice: str = ""  # the member's choice, in an open vote
    form: VoteForm | None = None


def _open_seats(request: HttpRequest) -> QuerySet[CouncilMember]:
    today = timezone.localdate()
    return CouncilMember.objects.filter(
        scope_q(request.user, Perm.VIEW_PROGRAMS, "round__organization__path"),
        user_id=request.user.pk,
        round__voting_opens__lte=today,
        round__voting_closes__gte=today,
    )


def _ballot_rows(request: HttpRequest, nominations: list[Nomination]) -> list[BallotRow]:
    voted = set(
        Ballot.objects.filter(
            nomination__in=nominations, member__user_id=request.user.pk
        ).values_list("nomination_id", flat=True)
    )
    choices = dict(
        Vote.objects.filter(
            nomination__in=nominations, member__user_id=request.user.pk
        ).values_list("nomination_id", "choice")
    )
    labels = dict(VoteChoice.choices)
    return [
        BallotRow(
            nomination=n,
            voted=n.pk in voted,
            choice=str(labels.get(choices.get(n.pk), "")),
            form=None if n.pk in voted else VoteForm(nomination_pk=n.pk),
        )
        for n in nominations
    ]


@login_required
def ballot(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    seats = _open_seats(request)
    nominations = Nomination.objects.filter(
        round_id__in=seats.values("round_id"), status=NominationStatus.VOTING
    ).select_related("round", *NOMINATION_RELATED)
    nominations, q = _search(request, nominations)
    page = paginate(request, nominations.order_by("round__voting_closes", "round_id", "pk"))
    context = {
        "page": page,
        "rows": _ballot_rows(request, list(page)),
        "q": q,
        "query": query_without_page(request),
        "seated": seats.exists(),
    }
    return render(request, "awards/votes/ballot.html", context)


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_object_or_404(
        Nomination.objects.select_related("round__organization", *NOMINATION_RELATED), pk=pk
    )
    if services.seat_of(request.user, nomination.round) is None:
        raise Http404
    form = VoteForm(request.POST, nomination_pk=pk)
    back = reverse("awards:ballot")
    if form.is_valid():
        response = submit_once(
            form,
            lambda: services.cast_vote(
                nomination, by=request.user, choice=form.cleaned_data["choice"]
            ),
            lambda _vote: back,
        )
        if response:
            messages.success(
                request,
                _("Your vote on %(nominee)s is recorded.") % {"nominee": nomination.nominee},
            )
            return response
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect(back)


# --- the round's tally ----------------------------------------------------------------------


@dataclass
class TallyRow:
    nomination: Nomination
    tally: Tally
    voters: list[tuple[str, str]] = field(default_factory=list)  # (name, choice or "")
    waiting: list[str] = field(default_factory=list)  # members who have not voted


def _get_round(request: HttpRequest, pk: int, perm: Perm = Perm.REVIEW_NOMINATIONS) -> Round:
    round_ = get_object_or_404(Round.objects.select_related("organization", "vote_rule"), pk=pk)
    if not can(request.user, perm, round_.organization):
        raise Http404
    return round_


def _tally_rows(round_: Round, nominations: list[Nomination]) -> list[TallyRow]:
    tallies = compute_many(round_, nominations)
    council = list(CouncilMember.objects.filter(round_id=round_.pk))
    names = {member.pk: member.name for member in council}
    ballots: dict[int, set[int]] = {}
    for nomination_id, member_id in Ballot.objects.filter(nomination__in=nominations).values_list(
        "nomination_id", "member_id"
    ):
        ballots.setdefault(nomination_id, set()).add(member_id)
    choices: dict[tuple[int, int], str] = {}
    if not round_.secret_ballot:  # in a secret ballot the votes name nobody anyway
        labels = dict(VoteChoice.choices)
        for nomination_id, member_id, choice in Vote.objects.filter(
            nomination__in=nominations, member__isnull=False
        ).values_list("nomination_id", "member_id", "choice"):
            choices[nomination_id, member_id] = str(labels[choice])
    rows = []
    for nomination in nominations:
        voted = ballots.get(nomination.pk, set())
        rows.append(
            TallyRow(
                nomination=nomination,
                tally=tallies[nomination.pk],
                voters=[
                    (names[m.pk], choices.get((nomination.pk, m.pk), ""))
                    for m in council
                    if m.pk in voted
                ],
                waiting=[m.name for m in council if m.pk not in voted],
            )
        )
    return rows


@login_required
def round_tally(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _get_round(request, pk)
    nominations, q = _search(request, put_to_council(round_).select_related(*NOMINATION_RELATED))
    page = paginate(request, nominations)
    context: dict[str, Any] = {
        "round": round_,
        "rule": describe_rule(round_.vote_rule),
        "members": CouncilMember.objects.filter(round_id=round_.pk).count(),
        "page": page,
        "rows": _tally_rows(round_, list(page)),
        "q": q,
        "query": query_without_page(request),
        "can_export": can(request.user, Perm.EXPORT, round_.organization),
        "can_close": Nomination.objects.filter(
            Q(round_id=round_.pk) & Q(status=NominationStatus.VOTING)
        ).exists(),
    }
    return render(request, "awards/votes/round_tally.html", context)


TALLY_CHUNK = 500  # nominations tallied together in the export (one set of queries each)


def _tally_chunks(round_: Round, nominations: QuerySet[Nomination]) -> Iterator[TallyRow]:
    """The page's rows of every nomination, a chunk at a time (keyset on the primary key)."""
    last = 0
    while True:
        chunk = list(nominations.filter(pk__gt=last).order_by("pk")[:TALLY_CHUNK])
        if not chunk:
            return
        yield from _tally_rows(round_, chunk)
        last = chunk[-1].pk


def _voters_text(row: TallyRow) -> str:
    """Who voted; how, only in an open vote (`_tally_rows` never reads it in a secret one)."""
    return "; ".join(f"{name}: {choice}" if choice else name for name, choice in row.voters)


TALLY_EXPORT = Export(
    "kiem-phieu",
    gettext_lazy("Tally"),
    (
        (gettext_lazy("Nominee"), lambda r: str(r.nomination.nominee)),
        (
            gettext_lazy("Collective"),
            lambda r: not r.nomination.is_person,
        ),
        (gettext_lazy("Nominated by"), lambda r: r.nomination.nominating_organization.name),
        (gettext_lazy("Proposed form"), lambda r: r.nomination.proposed_form.name),
        (gettext_lazy("Agree"), lambda r: r.tally.agree),
        (gettext_lazy("Disagree"), lambda r: r.tally.disagree),
        (gettext_lazy("Abstain"), lambda r: r.tally.abstain),
        (gettext_lazy("Votes cast"), lambda r: r.tally.cast),
        (gettext_lazy("Council members"), lambda r: r.tally.members),
        (gettext_lazy("Quorum met"), lambda r: r.tally.quorum_met),
        (
            gettext_lazy("Result by the rule"),
            lambda r: _("Selected") if r.tally.selected else _("Not selected"),
        ),
        (gettext_lazy("Members agreeing (%)"), lambda r: r.tally.percent_agree_of_members),
        (gettext_lazy("Status"), lambda r: r.nomination.get_status_display()),
        (gettext_lazy("Voted"), _voters_text),
        (gettext_lazy("Not voted yet"), lambda r: ", ".join(r.waiting)),
    ),
)


@login_required
def round_tally_export(request: HttpRequest, pk: int, fmt: str | None = None) -> HttpResponse:
    """The tally page's rows (with its search) for the staff who may export the round's
    organization: in a secret ballot, who voted but never how, exactly like the page."""
    round_ = _get_round(request, pk)
    if not can(request.user, Perm.EXPORT, round_.organization):
        raise Http404
    nominations, _q = _search(request, put_to_council(round_).select_related(*NOMINATION_RELATED))
    rows = _tally_chunks(round_, nominations)
    return TALLY_EXPORT.response(request, rows, fmt)


@login_required
@require_POST
def round_tally_close(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _get_round(request, pk)
    try:
        counted = services.tally_round(round_, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The vote is closed: %(selected)s selected, %(not_selected)s not selected.")
            % {
                "selected": counted[NominationStatus.SELECTED],
                "not_selected": counted[NominationStatus.NOT_SELECTED],
            },
        )
    return redirect("awards:round_tally", pk=round_.pk)


@login_required
def round_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _get_round(request, pk)
    place = nfc(request.GET.get("place", "")).strip()[:MAX_PLACE] or None
    response = HttpResponse(build_minutes(round_, place=place), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{minutes_filename(round_)}"'
    return response
