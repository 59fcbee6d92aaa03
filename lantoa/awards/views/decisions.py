"""Pages of decisions: the list, the draft made from a round's selected list, its page
(status, number, the annex, the amendments), editing and deleting a draft, issuing it, the
DOCX, and the correcting and revoking decisions.

Issued decisions are seen by those who may view the issuing organization's programs;
drafts only by those who may issue its decisions. Others get 404.
"""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lantoa.awards.documents.decision import decision_docx, download_name
from lantoa.awards.forms.decisions import (
    DecisionCorrectForm,
    DecisionCreateForm,
    DecisionEditForm,
    DecisionIssueForm,
    DecisionRevokeForm,
)
from lantoa.awards.models import (
    Decision,
    DecisionKind,
    DecisionStatus,
    Nomination,
    Round,
)
from lantoa.awards.services import decisions as services
from lantoa.core.actions import form_page, post_action
from lantoa.core.exports import Export
from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import search_key
from lantoa.orgs.queries import in_subtree_q
from lantoa.orgs.rules import Perm, User, can, scope_q
from lantoa.orgs.views.common import get_org, scoped_org_q

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIRST_YEAR, LAST_YEAR = 1930, 2200
MAX_CHAIN = 20


def detail_url(decision: Decision) -> str:
    return reverse("awards:decision_detail", args=[decision.pk])


def visible_decisions(user: User) -> QuerySet[Decision]:
    """Issued decisions of organizations whose programs the user may view; drafts of those
    whose decisions the user may issue."""
    return Decision.objects.filter(scope_q(user, Perm.VIEW_PROGRAMS, "organization__path")).filter(
        Q(status=DecisionStatus.ISSUED) | scope_q(user, Perm.ISSUE_DECISIONS, "organization__path")
    )


def get_decision(request: HttpRequest, pk: int, issue: bool = False) -> Decision:
    """A decision the user may see (or issue, with `issue`); others answer 404."""
    decision = get_object_or_404(
        Decision.objects.select_related("organization", "round", "refers_to", "document"), pk=pk
    )
    may_issue = can(request.user, Perm.ISSUE_DECISIONS, decision.organization)
    if issue or not decision.is_issued:
        allowed = may_issue
    else:
        allowed = may_issue or can(request.user, Perm.VIEW_PROGRAMS, decision.organization)
    if not allowed:
        raise Http404
    return decision


def _int(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


# --- the list -----------------------------------------------------------------------------


def _matching(decisions: QuerySet[Decision], text: str) -> QuerySet[Decision]:
    """Decisions whose number, subject or round contain the text, diacritics ignored."""
    key = search_key(text)
    if not key:
        return decisions
    return decisions.filter(Q(search_key__contains=key) | Q(round__search_key__contains=key))


def _filtered(request: HttpRequest) -> tuple[QuerySet[Decision], dict[str, Any]]:
    decisions = visible_decisions(request.user).filter(
        scoped_org_q(request, Perm.VIEW_PROGRAMS, "organization__path")
    )
    org = None
    if request.GET.get("org"):
        org = get_org(request, request.GET["org"], Perm.VIEW_PROGRAMS)
        decisions = decisions.filter(in_subtree_q(org.path))
    year = _int(request, "year")
    if year is not None and FIRST_YEAR <= year <= LAST_YEAR:
        decisions = decisions.filter(
            date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
        )
    else:
        year = None
    status = request.GET.get("status", "")
    if status in DecisionStatus.values:
        decisions = decisions.filter(status=status)
    else:
        status = ""
    kind = request.GET.get("kind", "")
    if kind in DecisionKind.values:
        decisions = decisions.filter(kind=kind)
    else:
        kind = ""
    q = request.GET.get("q", "").strip()[:200]
    if q:
        decisions = _matching(decisions, q)
    return decisions, {"org": org, "year": year, "status": status, "kind": kind, "q": q}


def filtered_decisions(request: HttpRequest) -> tuple[QuerySet[Decision], dict[str, Any]]:
    """The list's rows with their award counts, shared by the page and its export."""
    decisions, filters = _filtered(request)
    rows = (
        decisions.select_related("organization", "round", "refers_to")
        .annotate(award_count=Count("awards"))
        .order_by("-date", "-id")
    )
    return rows, filters


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    rows, filters = filtered_decisions(request)
    context = {
        "page": paginate(request, rows),
        "filters": filters,
        "query": query_without_page(request),
        "statuses": DecisionStatus.choices,
        "kinds": DecisionKind.choices,
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "awards/decisions/list.html", context)


DECISIONS_EXPORT = Export(
    "quyet-dinh-khen-thuong",
    gettext_lazy("Decisions"),
    (
        (gettext_lazy("Number and symbol"), lambda d: d.symbol),
        (gettext_lazy("Date"), lambda d: d.date),
        (gettext_lazy("Subject"), lambda d: d.subject),
        (gettext_lazy("Kind"), lambda d: d.get_kind_display()),
        (gettext_lazy("Refers to"), lambda d: d.refers_to.symbol if d.refers_to else ""),
        (gettext_lazy("Round"), lambda d: d.round.title if d.round else ""),
        (gettext_lazy("Organization code"), lambda d: d.organization.code),
        (gettext_lazy("Issued by"), lambda d: d.organization.name),
        (gettext_lazy("Status"), lambda d: d.get_status_display()),
        (gettext_lazy("Awards"), lambda d: d.award_count),
    ),
)


@login_required
def decision_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The filtered list, limited to the subtrees where the user may export."""
    if not (can(request.user, Perm.VIEW_PROGRAMS) and can(request.user, Perm.EXPORT)):
        raise Http404
    rows, _filters = filtered_decisions(request)
    rows = rows.filter(scope_q(request.user, Perm.EXPORT, "organization__path"))
    return DECISIONS_EXPORT.response(request, rows, fmt)


# --- drafts -------------------------------------------------------------------------------


def _round_for_decision(request: HttpRequest, round_pk: int) -> Round:
    round_ = get_object_or_404(Round.objects.select_related("organization"), pk=round_pk)
    if not can(request.user, Perm.ISSUE_DECISIONS, round_.organization):
        raise Http404
    return round_


def _offered(nominations: QuerySet[Nomination]) -> list[Nomination]:
    rows = nominations.select_related(
        "person__organization", "collective", "proposed_form", "nominating_organization"
    )
    return sorted(rows, key=services.annex_key)


@login_required
def decision_create(request: HttpRequest, round_pk: int) -> HttpResponse:
    """A draft from the round's selected list: every selected nomination no decision holds
    yet is offered, ticked."""
    round_ = _round_for_decision(request, round_pk)
    offered = _offered(services.available_nominations(round_))
    form = DecisionCreateForm(
        request.POST or None,
        round_nominations=round_.nominations.all(),
        initial={
            "subject": services.default_subject(round_),
            "body": services.DEFAULT_PREAMBLE,
            "nominations": [nomination.pk for nomination in offered],
        },
    )
    round_url = reverse("awards:round_detail", args=[round_.pk])
    ticked = form.ticked()
    context = {
        "round": round_,
        "rows": [(nomination, nomination.pk in ticked) for nomination in offered],
        "cancel_url": round_url,
    }
    return form_page(
        request,
        form,
        lambda: services.create_decision(
            round=round_,
            by=request.user,
            nominations=form.cleaned_data["nominations"],
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
        ),
        detail_url,
        context,
        "awards/decisions/create.html",
        done=_("The draft decision was made: check it, then issue it."),
    )


@login_required
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision(request, pk, issue=True)
    if decision.is_issued:
        messages.error(request, _("An issued decision cannot be changed: issue a correcting one."))
        return redirect(detail_url(decision))
    current = Nomination.objects.filter(award__decision=decision)
    offered = _offered(current)
    if decision.round is not None:
        offered += _offered(services.available_nominations(decision.round))
    round_nominations = decision.round.nominations.all() if decision.round is not None else current
    form = DecisionEditForm(
        request.POST or None,
        decision=decision,
        offered=offered,
        round_nominations=round_nominations,
    )
    return form_page(
        request,
        form,
        lambda: services.update_decision(decision, by=request.user, **form.values()),
        detail_url,
        {"decision": decision, "cancel_url": detail_url(decision)},
        "awards/decisions/edit.html",
    )


@login_required
@require_POST
def decision_delete(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision(request, pk, issue=True)
    return post_action(
        request,
        lambda: services.delete_decision(decision, by=request.user),
        _("The draft decision was deleted."),
        reverse("awards:decision_list"),
        refused_url=detail_url(decision),
    )


# --- issuing ------------------------------------------------------------------------------


def _signature_initial(decision: Decision) -> dict[str, Any]:
    last = services.last_signature(decision.organization)
    return {
        "date": decision.date or timezone.localdate(),
        "place": decision.place or last["place"],
        "signer_title": decision.signer_title or last["signer_title"],
        "signer_name": decision.signer_name or last["signer_name"],
    }


@login_required
def decision_issue(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision(request, pk, issue=True)
    if decision.is_issued:
        messages.error(request, _("This decision is already issued."))
        return redirect(detail_url(decision))
    form = DecisionIssueForm(request.POST or None, initial=_signature_initial(decision))
    return form_page(
        request,
        form,
        lambda: services.issue_decision(decision, by=request.user, **form.signature()),
        detail_url,
        {"decision": decision, "cancel_url": detail_url(decision)},
        "awards/decisions/issue.html",
        done=_("The decision was issued and numbered."),
    )


# --- its page and its document ------------------------------------------------------------


def _chain(decision: Decision) -> list[Decision]:
    """The decisions it amends, from the first one down to the one it refers to."""
    chain = []
    current = decision.refers_to
    while current is not None and len(chain) < MAX_CHAIN:
        chain.append(current)
        current = current.refers_to
    return list(reversed(chain))


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision(request, pk)
    may_issue = can(request.user, Perm.ISSUE_DECISIONS, decision.organization)
    awards = list(
        decision.awards.select_related(
            "person__organization", "collective", "form", "revoked_by", "nomination"
        ).order_by("position", "id")
    )
    context = {
        "decision": decision,
        "awards": awards,
        "revoked": list(
            decision.revoked_awards.select_related(
                "person__organization", "collective", "form", "decision"
            ).order_by("position", "id")
        ),
        "chain": _chain(decision),
        "amendments": list(decision.amendments.order_by("date", "id")),
        "may_edit": may_issue and not decision.is_issued,
        "may_amend": may_issue and decision.is_issued,
        "may_revoke": may_issue
        and decision.is_issued
        and any(award.revoked_by_id is None for award in awards),
        "issue_form": (
            DecisionIssueForm(initial=_signature_initial(decision))
            if may_issue and not decision.is_issued
            else None
        ),
    }
    return render(request, "awards/decisions/detail.html", context)


@login_required
def decision_docx_view(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision(request, pk)
    response = HttpResponse(decision_docx(decision), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{download_name(decision)}"'
    return response


# --- amending -----------------------------------------------------------------------------


def _issued_for_amending(request: HttpRequest, pk: int) -> Decision:
    decision = get_decision(request, pk, issue=True)
    if not decision.is_issued:
        raise Http404
    return decision


def _amend_initial(decision: Decision, subject: str) -> dict[str, Any]:
    return {
        "subject": subject,
        "date": timezone.localdate(),
        "place": decision.place,
        "signer_title": decision.signer_title,
        "signer_name": decision.signer_name,
    }


@login_required
def decision_correct(request: HttpRequest, pk: int) -> HttpResponse:
    original = _issued_for_amending(request, pk)
    awards = list(
        original.awards.filter(revoked_by__isnull=True)
        .select_related("person__organization", "collective", "form")
        .order_by("position", "id")
    )
    form = DecisionCorrectForm(
        request.POST or None,
        awards=awards,
        initial=_amend_initial(original, services.correction_subject(original)),
    )
    return form_page(
        request,
        form,
        lambda: services.correct_decision(
            original,
            by=request.user,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            forms=form.award_forms(),
            **form.signature(),
        ),
        detail_url,
        {"decision": original, "cancel_url": detail_url(original)},
        "awards/decisions/correct.html",
        done=_("The correcting decision was issued."),
    )


@login_required
def decision_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    original = _issued_for_amending(request, pk)
    awards = original.awards.filter(revoked_by__isnull=True)
    form = DecisionRevokeForm(
        request.POST or None,
        awards=original.awards.all(),
        initial=_amend_initial(original, services.revocation_subject(original)),
    )
    rows = list(
        awards.select_related("person__organization", "collective", "form").order_by(
            "position", "id"
        )
    )
    return form_page(
        request,
        form,
        lambda: services.revoke_decision(
            original,
            by=request.user,
            awards=form.cleaned_data["awards"],
            reason=form.cleaned_data["reason"],
            subject=form.cleaned_data["subject"],
            **form.signature(),
        ),
        detail_url,
        {
            "decision": original,
            "rows": rows,
            "ticked": form.ticked(),
            "cancel_url": detail_url(original),
        },
        "awards/decisions/revoke.html",
        done=_("The revoking decision was issued."),
    )
