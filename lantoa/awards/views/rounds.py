"""Pages of rounds of commendation: the list, opening and correcting a round, its quotas and
council, and its detail — criteria, deadlines, vote rule, quotas used, council members and
the nominations made in it."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lantoa.awards.forms.rounds import CouncilMemberForm, QuotaForm, RoundForm
from lantoa.awards.models import (
    CouncilMember,
    Nomination,
    NominationStatus,
    Round,
    RoundKind,
    RoundQuota,
    VoteRule,
    valid_on_q,
)
from lantoa.awards.services import rounds as services
from lantoa.awards.services.nominations import visible_nominations
from lantoa.core.actions import form_page, post_action
from lantoa.core.exports import Export
from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import search_key
from lantoa.orgs.models import Organization
from lantoa.orgs.queries import subtree_q
from lantoa.orgs.rules import Perm, User, can, granted_paths, visible_organizations
from lantoa.orgs.scope import current_scope
from lantoa.orgs.views.common import scoped_org_q
from lantoa.programs.models.documents import reach_q

FORM_TEMPLATE = "awards/rounds/form.html"


def get_round(request: HttpRequest, pk: int, manage: bool = False) -> Round:
    """A round the user may see (or manage); others answer 404."""
    round_ = get_object_or_404(
        Round.objects.select_related("organization", "vote_rule", "created_by"), pk=pk
    )
    allowed = (
        can(request.user, Perm.MANAGE_ROUNDS, round_.organization)
        if manage
        else services.can_view_round(request.user, round_)
    )
    if not allowed:
        raise Http404
    return round_


def detail_url(round_id: int) -> str:
    return reverse("awards:round_detail", args=[round_id])


def can_nominate_in(user: User, round_: Round) -> bool:
    """Whether the user may nominate for some organization of the round's subtree."""
    runner = round_.organization.path
    return any(
        path.startswith(runner) or runner.startswith(path)
        for path in granted_paths(user, Perm.NOMINATE)
    )


# --- the list ----------------------------------------------------------------------------


def asked_year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "").strip()
    if value.isascii() and value.isdigit() and services.FIRST_YEAR <= int(value) <= 2200:
        return int(value)
    return None


def _nomination_count() -> Coalesce:
    rows = (
        Nomination.objects.filter(round=OuterRef("pk"))
        .exclude(status=NominationStatus.DRAFT)
        .order_by()
        .values("round")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _listed_rounds(request: HttpRequest) -> tuple[QuerySet[Round], dict[str, Any]]:
    rounds = services.visible_rounds(request.user)
    scope = current_scope(request)
    if scope is not None:
        rounds = rounds.filter(reach_q([scope.path], "organization__path"))
    q = request.GET.get("q", "").strip()[:200]
    if q:
        rounds = rounds.filter(search_key__contains=search_key(q))
    year = asked_year(request)
    if year is not None:
        rounds = rounds.filter(year=year)
    kind = request.GET.get("kind", "")
    kind = kind if kind in RoundKind.values else ""
    if kind:
        rounds = rounds.filter(kind=kind)
    return rounds, {"q": q, "year": year, "kind": kind}


def filtered_rounds(request: HttpRequest) -> tuple[QuerySet[Round], dict[str, Any]]:
    """The list's rows with their nomination counts, shared by the page and its export."""
    rounds, filters = _listed_rounds(request)
    rounds = (
        rounds.select_related("organization")
        .annotate(nomination_count=_nomination_count())
        .order_by("-year", "-submissions_close", "-id")
    )
    return rounds, filters


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    """Rounds run at, above or under the user's reach, newest first."""
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    rounds, filters = filtered_rounds(request)
    context = {
        "filters": filters,
        "page": paginate(request, rounds),
        "query": query_without_page(request),
        "kinds": RoundKind.choices,
        "can_add": can(request.user, Perm.MANAGE_ROUNDS),
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "awards/rounds/list.html", context)


ROUNDS_EXPORT = Export(
    "dot-khen-thuong",
    gettext_lazy("Rounds"),
    (
        (gettext_lazy("Title"), lambda r: r.title),
        (gettext_lazy("Year"), lambda r: r.year),
        (gettext_lazy("Kind"), lambda r: r.get_kind_display()),
        (gettext_lazy("Organization"), lambda r: r.organization.name),
        (gettext_lazy("Submissions close"), lambda r: r.submissions_close),
        (gettext_lazy("Voting opens"), lambda r: r.voting_opens),
        (gettext_lazy("Voting closes"), lambda r: r.voting_closes),
        (gettext_lazy("Nominations"), lambda r: r.nomination_count),
    ),
)


@login_required
def round_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The filtered list (like documents: the rounds the page shows, with their counts)."""
    if not (can(request.user, Perm.VIEW_PROGRAMS) and can(request.user, Perm.EXPORT)):
        raise Http404
    rounds, _filters = filtered_rounds(request)
    return ROUNDS_EXPORT.response(request, rounds, fmt)


# --- opening and correcting --------------------------------------------------------------


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.MANAGE_ROUNDS):
        raise Http404
    organizations = visible_organizations(request.user, Perm.MANAGE_ROUNDS).filter(
        scoped_org_q(request, Perm.MANAGE_ROUNDS)
    )
    today = timezone.localdate()
    form = RoundForm(
        request.POST or None,
        organizations=organizations,
        initial={"year": today.year, "kind": RoundKind.YEARLY, "evidence_required": True},
    )
    return form_page(
        request,
        form,
        lambda: services.create_round(
            by=request.user, organization=form.cleaned_data["organization"], **form.round_data()
        ),
        lambda round_: detail_url(round_.pk),
        {"title": _("Open a round"), "cancel_url": reverse("awards:round_list")},
        FORM_TEMPLATE,
        done=_("The round was opened."),
    )


@login_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk, manage=True)
    initial = {name: getattr(round_, name) for name in RoundForm.FIELDS}
    rules = VoteRule.objects.filter(
        valid_on_q(round_.submissions_close) | Q(pk=round_.vote_rule_id)
    )
    form = RoundForm(request.POST or None, organizations=None, rules=rules, initial=initial)
    return form_page(
        request,
        form,
        lambda: services.update_round(round_, by=request.user, **form.round_data()),
        lambda round_: detail_url(round_.pk),
        {"title": _("Edit the round"), "round": round_, "cancel_url": detail_url(round_.pk)},
        FORM_TEMPLATE,
        done=_("The round was saved."),
    )


# --- quotas ------------------------------------------------------------------------------


def _quota_organizations(round_: Round, current: RoundQuota | None = None) -> QuerySet:
    query = subtree_q(round_.organization.path) & Q(archived=False)
    if current is not None:
        query |= Q(pk=current.organization_id)
    return Organization.objects.filter(query).order_by("path")


def _get_quota(request: HttpRequest, pk: int) -> RoundQuota:
    quota = get_object_or_404(
        RoundQuota.objects.select_related("round__organization", "organization"), pk=pk
    )
    if not can(request.user, Perm.MANAGE_ROUNDS, quota.round.organization):
        raise Http404
    return quota


@login_required
def round_quota_add(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk, manage=True)
    form = QuotaForm(request.POST or None, organizations=_quota_organizations(round_))
    return form_page(
        request,
        form,
        lambda: services.set_quota(round_, by=request.user, **form.quota_data()),
        lambda quota: detail_url(round_.pk) + "#quotas",
        {"title": _("New quota"), "round": round_, "cancel_url": detail_url(round_.pk)},
        FORM_TEMPLATE,
        done=_("The quota was saved."),
    )


@login_required
def round_quota_edit(request: HttpRequest, pk: int) -> HttpResponse:
    quota = _get_quota(request, pk)
    round_ = quota.round
    initial = {name: getattr(quota, name) for name in QuotaForm.FIELDS}
    form = QuotaForm(
        request.POST or None, organizations=_quota_organizations(round_, quota), initial=initial
    )
    return form_page(
        request,
        form,
        lambda: services.set_quota(round_, by=request.user, quota=quota, **form.quota_data()),
        lambda quota: detail_url(round_.pk) + "#quotas",
        {"title": _("Edit the quota"), "round": round_, "cancel_url": detail_url(round_.pk)},
        FORM_TEMPLATE,
        done=_("The quota was saved."),
    )


@login_required
@require_POST
def round_quota_delete(request: HttpRequest, pk: int) -> HttpResponse:
    quota = _get_quota(request, pk)
    return post_action(
        request,
        lambda: services.delete_quota(quota, by=request.user),
        _("The quota was deleted."),
        detail_url(quota.round_id) + "#quotas",
    )


# --- the council -------------------------------------------------------------------------


@login_required
def round_council_add(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk, manage=True)
    form = CouncilMemberForm(request.POST or None, accounts=services.council_candidates(round_))
    return form_page(
        request,
        form,
        lambda: services.add_council_member(round_, by=request.user, **form.member_data()),
        lambda member: detail_url(round_.pk) + "#council",
        {
            "title": _("New council member"),
            "round": round_,
            "cancel_url": detail_url(round_.pk),
            "note": _("Members are seated before voting opens; each has one vote."),
        },
        FORM_TEMPLATE,
        done=_("The member was seated on the council."),
    )


@login_required
@require_POST
def round_council_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(CouncilMember.objects.select_related("round__organization"), pk=pk)
    if not can(request.user, Perm.MANAGE_ROUNDS, member.round.organization):
        raise Http404
    return post_action(
        request,
        lambda: services.remove_council_member(member, by=request.user),
        _("The member was removed from the council."),
        detail_url(member.round_id) + "#council",
    )


# --- the detail --------------------------------------------------------------------------


def _sees_everything(user: User, round_: Round) -> bool:
    return can(user, Perm.VIEW_PROGRAMS, round_.organization)


def _round_nominations(request: HttpRequest, round_: Round) -> QuerySet[Nomination]:
    nominations = Nomination.objects.filter(round=round_)
    if not _sees_everything(request.user, round_):
        nominations = nominations.filter(
            pk__in=visible_nominations(request.user).filter(round=round_).values("pk")
        )
    return nominations


def _quotas(request: HttpRequest, round_: Round) -> list[services.QuotaUsage]:
    quotas = RoundQuota.objects.filter(round=round_)
    if not _sees_everything(request.user, round_):
        quotas = quotas.filter(scoped_org_q(request, Perm.VIEW_PROGRAMS, "organization__path"))
    return services.quota_usage(round_, quotas)


def _status_counts(nominations: QuerySet[Nomination]) -> list[dict[str, Any]]:
    counts = dict(
        nominations.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        {"status": value, "label": label, "count": counts[value]}
        for value, label in NominationStatus.choices
        if counts.get(value)
    ]


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round(request, pk)
    user = request.user
    nominations = _round_nominations(request, round_)
    status = request.GET.get("status", "")
    status = status if status in NominationStatus.values else ""
    listed = nominations.filter(status=status) if status else nominations
    listed = listed.select_related(
        "person", "collective", "nominating_organization", "proposed_form"
    ).order_by("nominating_organization__path", "id")
    today = timezone.localdate()
    manage = can(user, Perm.MANAGE_ROUNDS, round_.organization)
    counts = _status_counts(nominations)
    context = {
        "round": round_,
        "rule_text": services.describe_vote_rule(round_.vote_rule),
        "quotas": _quotas(request, round_),
        "council": list(round_.council.select_related("user").order_by("position", "id")),
        "status_counts": counts,
        "total": sum(row["count"] for row in counts),
        "status": status,
        "statuses": NominationStatus.choices,
        "page": paginate(request, listed),
        "query": query_without_page(request),
        "can_manage": manage,
        "council_open": manage and today < round_.voting_opens,
        "can_nominate": can_nominate_in(user, round_),
        "accepts_nominations": round_.accepts_nominations_on(today),
        "can_review": can(user, Perm.REVIEW_NOMINATIONS, round_.organization),
        "can_decide": can(user, Perm.ISSUE_DECISIONS, round_.organization)
        and any(row["status"] == NominationStatus.SELECTED for row in counts),
    }
    return render(request, "awards/rounds/detail.html", context)
