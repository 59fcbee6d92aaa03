"""Pages of nominations: the list of those the user may see and its export, nominating in a
round, correcting a draft, its evidence files, the staff's review, and the steps of the
workflow — each a button that calls `lantoa.awards.workflow.transition` (returning and
rejecting ask for the reason on a page of their own)."""

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.awards import workflow
from lantoa.awards.forms.nominations import EvidenceForm, NominationForm, ReasonForm, ReviewForm
from lantoa.awards.models import Evidence, Nomination, NominationStatus, NomineeKind, Round
from lantoa.awards.queries.history import nominee_record
from lantoa.awards.rules import evaluate
from lantoa.awards.services import nominations as services
from lantoa.awards.services.rounds import can_view_round, visible_rounds
from lantoa.awards.views.rounds import can_nominate_in, get_round
from lantoa.core.actions import form_page, post_action
from lantoa.core.exports import export_response
from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import search_key
from lantoa.movements.views.common import people_choices
from lantoa.orgs.models import Organization
from lantoa.orgs.queries import subtree_q
from lantoa.orgs.rules import (
    Perm,
    can,
    granted_paths,
    scope_q,
    visible_organizations,
    visible_people,
)
from lantoa.orgs.scope import current_scope
from lantoa.orgs.views.common import scoped_org_q
from lantoa.programs.uploads import CONTENT_TYPES

Action = workflow.Action
# the steps taken on these pages; the tally, the decision and the ceremony have their own
PAGE_ACTIONS = (
    Action.SUBMIT,
    Action.RESUBMIT,
    Action.WITHDRAW,
    Action.START_REVIEW,
    Action.RETURN_FOR_CHANGES,
    Action.REJECT,
    Action.SEND_TO_VOTE,
)
KINDS = (NomineeKind.PERSON, NomineeKind.COLLECTIVE)
FORM_TEMPLATE = "awards/nominations/form.html"
STEP_TEMPLATE = "awards/nominations/step_form.html"


def action_labels() -> dict[str, str]:
    return {
        Action.SUBMIT: _("Submit"),
        Action.RESUBMIT: _("Submit again"),
        Action.WITHDRAW: _("Withdraw"),
        Action.START_REVIEW: _("Start the review"),
        Action.RETURN_FOR_CHANGES: _("Return for changes"),
        Action.REJECT: _("Reject"),
        Action.SEND_TO_VOTE: _("Send to the council's vote"),
    }


def action_done() -> dict[str, str]:
    return {
        Action.SUBMIT: _("The nomination was submitted."),
        Action.RESUBMIT: _("The nomination was submitted again."),
        Action.WITHDRAW: _("The nomination was withdrawn."),
        Action.START_REVIEW: _("The review has started."),
        Action.RETURN_FOR_CHANGES: _("The nomination was returned for changes."),
        Action.REJECT: _("The nomination was rejected."),
        Action.SEND_TO_VOTE: _("The nomination was sent to the council's vote."),
    }


# --- reading -----------------------------------------------------------------------------


def get_nomination(request: HttpRequest, pk: int) -> Nomination:
    """A nomination the user may see; others answer 404."""
    nomination = get_object_or_404(
        Nomination.objects.select_related(
            "round__organization",
            "round__vote_rule",
            "nominating_organization",
            "person__organization",
            "collective",
            "proposed_form",
            "created_by",
        ),
        pk=pk,
    )
    if not services.can_view_nomination(request.user, nomination):
        raise Http404
    return nomination


def _editable(request: HttpRequest, pk: int) -> Nomination:
    nomination = get_nomination(request, pk)
    if not can(request.user, Perm.NOMINATE, nomination.nominating_organization):
        raise Http404
    return nomination


def detail_url(nomination: Nomination) -> str:
    return reverse("awards:nomination_detail", args=[nomination.pk])


def _asked_round(request: HttpRequest) -> Round | None:
    value = request.GET.get("round", "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise Http404
    round_ = get_object_or_404(Round.objects.select_related("organization"), pk=int(value))
    if not can_view_round(request.user, round_):
        raise Http404
    return round_


def filtered_nominations(request: HttpRequest) -> tuple[QuerySet[Nomination], dict[str, Any]]:
    """The list's search and filters, shared by the page and its export."""
    nominations = services.visible_nominations(request.user)
    scope = current_scope(request)
    if scope is not None:
        nominations = nominations.filter(
            subtree_q(scope.path, "nominating_organization__path")
            | subtree_q(scope.path, "round__organization__path")
        )
    round_ = _asked_round(request)
    if round_ is not None:
        nominations = nominations.filter(round=round_)
    status = request.GET.get("status", "")
    status = status if status in NominationStatus.values else ""
    if status:
        nominations = nominations.filter(status=status)
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    if kind:
        nominations = nominations.filter(**{f"{kind}__isnull": False})
    q = request.GET.get("q", "").strip()[:200]
    key = search_key(q)
    if key:
        nominations = nominations.filter(nominee_key__contains=key)
    filters = {"round": round_, "status": status, "kind": kind, "q": q}
    return nominations.order_by(
        "-round__year", "round_id", "nominating_organization__path", "id"
    ), filters


LIST_RELATED = ("round", "nominating_organization", "person", "collective", "proposed_form")


@login_required
def nomination_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    nominations, filters = filtered_nominations(request)
    context = {
        "page": paginate(request, nominations.select_related(*LIST_RELATED)),
        "filters": filters,
        "query": query_without_page(request),
        "statuses": NominationStatus.choices,
        "rounds": visible_rounds(request.user).order_by("-year", "-id")[:100],
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "awards/nominations/list.html", context)


@login_required
def nomination_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    if not (can(request.user, Perm.VIEW_PROGRAMS) and can(request.user, Perm.EXPORT)):
        raise Http404
    nominations, _filters = filtered_nominations(request)
    nominations = nominations.filter(
        scope_q(request.user, Perm.EXPORT, "nominating_organization__path")
        | scope_q(request.user, Perm.EXPORT, "round__organization__path")
    ).select_related(*LIST_RELATED, "duplicate_of")
    headers = [
        _("Round"),
        _("Year"),
        _("Status"),
        _("Individual or collective"),
        _("Nominee"),
        _("Date of birth"),
        _("Nominating organization"),
        _("Organization code"),
        _("Proposed form"),
        _("Achievements"),
        _("Status changed on"),
        _("Possibly the same nominee as"),
    ]

    def rows() -> Iterator[tuple]:
        for n in nominations.iterator(chunk_size=2000):
            yield (
                n.round.title,
                n.round.year,
                n.get_status_display(),
                _("Individual") if n.person_id else _("Collective"),
                str(n.nominee),
                n.person.birth_date if n.person_id else None,
                n.nominating_organization.name,
                n.nominating_organization.code,
                n.proposed_form.name,
                n.achievements,
                timezone.localtime(n.status_changed_at).date(),
                str(n.duplicate_of) if n.duplicate_of_id else "",
            )

    return export_response(
        request,
        filename_stem="de-nghi-khen-thuong",
        title=_("Nominations"),
        headers=headers,
        rows=rows(),
        fmt=fmt,
    )


def _eligibility(nomination: Nomination) -> dict[str, Any]:
    """The nominee's record and the criteria met or missed (from the rules as data)."""
    record = nominee_record(nomination)
    return {"record": record, "eligibility": evaluate(nomination, facts=record.facts)}


def _public_comments(nomination: Nomination) -> list:
    """The approved comments of the public on the nominee (its round's publication
    window), for the file: the public site's thread, without the readers' emails."""
    from lantoa.public.services.comments import approved_thread  # the public site reads us

    return approved_thread(nomination=nomination)


@login_required
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination(request, pk)
    user = request.user
    actions = [a for a in workflow.allowed_actions(user, nomination) if a in PAGE_ACTIONS]
    labels = action_labels()
    reason_actions = {a for a in PAGE_ACTIONS if workflow.STEPS[a].reason_required}
    context = {
        "nomination": nomination,
        "round": nomination.round,
        "actions": [
            {"name": str(a), "label": labels[a], "asks_reason": a in reason_actions}
            for a in actions
        ],
        "evidence": list(nomination.evidence.order_by("id")),
        "events": list(nomination.events.select_related("by").order_by("at", "id")),
        "reviews": list(nomination.reviews.select_related("reviewer").order_by("created_at", "id")),
        "links": {
            "good_deeds": list(nomination.good_deeds.select_related("organization")),
            "initiatives": list(nomination.initiatives.select_related("organization")),
            "activities": list(nomination.activities.select_related("organization")),
            "unit_models": list(nomination.unit_models.select_related("organization")),
        },
        "duplicates": services.duplicate_warnings(user, nomination),
        "can_edit": services.can_edit(user, nomination),
        "can_review": nomination.status in services.REVIEWABLE_STATUSES
        and can(user, Perm.REVIEW_NOMINATIONS, nomination.round.organization),
        **_eligibility(nomination),
        "public_comments": _public_comments(nomination),
    }
    return render(request, "awards/nominations/detail.html", context)


# --- nominating and correcting -----------------------------------------------------------


def _nominating(request: HttpRequest, round_: Round, current: Organization | None = None):
    query = (
        scoped_org_q(request, Perm.NOMINATE)
        & subtree_q(round_.organization.path)
        & Q(archived=False)
    )
    if current is not None:
        query |= Q(pk=current.pk)
    return visible_organizations(request.user, Perm.NOMINATE).filter(query)


def _default_nominating(request: HttpRequest, round_: Round) -> Organization | None:
    """The working scope, or the organization of the user's only grant to nominate."""
    scope = current_scope(request)
    runner = round_.organization.path
    if scope is not None and can(request.user, Perm.NOMINATE, scope):
        return scope if scope.path.startswith(runner) else None
    paths = [p for p in granted_paths(request.user, Perm.NOMINATE) if p.startswith(runner)]
    if len(paths) == 1 and paths[0]:
        return Organization.objects.filter(path=paths[0], archived=False).first()
    return None


def _collectives(request: HttpRequest, round_: Round, current: Organization | None = None):
    query = scoped_org_q(request) & subtree_q(round_.organization.path) & Q(archived=False)
    if current is not None:
        query |= Q(pk=current.pk)
    return visible_organizations(request.user).filter(query)


def _links_on_create(
    request: HttpRequest, round_: Round, default: Organization | None
) -> dict[str, QuerySet] | None:
    """On a new nomination, the records of the nominating organization chosen (or the
    one offered first); those of the nominee are offered once the draft is saved."""
    chosen = request.POST.get("nominating_organization", "") if request.method == "POST" else ""
    organization = None
    if chosen.isascii() and chosen.isdigit() and len(chosen) < 12:
        organization = _nominating(request, round_).filter(pk=int(chosen)).first()
    organization = organization or default
    return services.linkable(organization) if organization is not None else None


def _form(request: HttpRequest, round_: Round, nomination: Nomination | None = None):
    kwargs: dict[str, Any] = {}
    if nomination is not None:
        kwargs["initial"] = {
            "nominating_organization": nomination.nominating_organization,
            "collective": nomination.collective,
            "proposed_form": nomination.proposed_form,
            "achievements": nomination.achievements,
        }
        kwargs["links"] = services.linkable(
            nomination.nominating_organization, nomination.person, nomination.collective
        )
        linked = {
            name: list(getattr(nomination, name).values_list("pk", flat=True))
            for name in NominationForm.LINKS
        }
        kwargs["linked"] = linked
        kwargs["initial"].update(linked)
    else:
        default = _default_nominating(request, round_)
        kwargs["initial"] = {"nominating_organization": default}
        kwargs["links"] = _links_on_create(request, round_, default)
    return NominationForm(
        request.POST or None,
        nominating=_nominating(
            request, round_, nomination.nominating_organization if nomination else None
        ),
        collectives=_collectives(request, round_, nomination.collective if nomination else None),
        people=visible_people(request.user),
        forms_offered=services.available_forms(round_),
        person=nomination.person if nomination else None,
        **kwargs,
    )


def _form_context(request: HttpRequest, round_: Round, **extra: Any) -> dict[str, Any]:
    find = request.GET.get("find", "").strip()[:100]
    people, more = people_choices(request, find)
    return {
        "round": round_,
        "find": find,
        "people": people,
        "more": more,
        "closed": not round_.accepts_nominations_on(timezone.localdate()),
        **extra,
    }


@login_required
def nomination_create(request: HttpRequest, round_pk: int) -> HttpResponse:
    round_ = get_round(request, round_pk)
    if not can_nominate_in(request.user, round_):
        raise Http404
    form = _form(request, round_)
    return form_page(
        request,
        form,
        lambda: services.create_nomination(round_, by=request.user, **form.nomination_data()),
        detail_url,
        _form_context(
            request,
            round_,
            title=_("New nomination"),
            cancel_url=reverse("awards:round_detail", args=[round_.pk]),
        ),
        FORM_TEMPLATE,
        done=_(
            "The nomination was saved as a draft: attach the evidence, check the records it "
            "rests on, then submit it."
        ),
    )


@login_required
def nomination_edit(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _editable(request, pk)
    if nomination.status not in services.EDITABLE_STATUSES:
        messages.error(
            request,
            _("A nomination that is “%(status)s” can no longer be changed.")
            % {"status": nomination.get_status_display()},
        )
        return redirect(detail_url(nomination))
    round_ = nomination.round
    form = _form(request, round_, nomination)
    return form_page(
        request,
        form,
        lambda: services.update_nomination(nomination, by=request.user, **form.nomination_data()),
        detail_url,
        _form_context(
            request,
            round_,
            title=_("Edit the nomination"),
            nomination=nomination,
            cancel_url=detail_url(nomination),
        ),
        FORM_TEMPLATE,
        done=_("The nomination was saved."),
    )


@login_required
def nominee_search(request: HttpRequest) -> HttpResponse:
    """People found by name, offered as the nominee (htmx fragment)."""
    if not (can(request.user, Perm.NOMINATE) and can(request.user, Perm.VIEW_PEOPLE)):
        raise Http404
    text = request.GET.get("find", "").strip()[:100]
    people, more = people_choices(request, text)
    context = {
        "people": people,
        "more": more,
        "find": text,
        "field": "person",
        "input_type": "radio",
        "form_id": NominationForm.FORM_ID,
    }
    return render(request, "movements/initiatives/_people_choices.html", context)


# --- the workflow ------------------------------------------------------------------------


def _taken(request: HttpRequest, nomination: Nomination, action: Action, reason: str = ""):
    result = workflow.transition(nomination, action, by=request.user, reason=reason)
    if result.duplicate_of_id and action in (Action.SUBMIT, Action.RESUBMIT):
        messages.warning(
            request,
            _(
                "Another nomination of this round may put up the same nominee: the committee "
                "will check it."
            ),
        )
    return result


@login_required
def nomination_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Take a step of the workflow (a POST); returning and rejecting ask for the reason."""
    nomination = get_nomination(request, pk)
    try:
        step_action = Action(action)
    except ValueError as error:
        raise Http404 from error
    if step_action not in PAGE_ACTIONS:
        raise Http404
    step = workflow.STEPS[step_action]
    on = (
        nomination.nominating_organization
        if step.on == workflow.NOMINATOR
        else nomination.round.organization
    )
    if not can(request.user, step.perm, on):
        raise Http404
    done = action_done()[step_action]
    if step.reason_required:
        return _reason_page(request, nomination, step_action, done)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return post_action(
        request, lambda: _taken(request, nomination, step_action), done, detail_url(nomination)
    )


def _reason_page(
    request: HttpRequest, nomination: Nomination, action: Action, done: str
) -> HttpResponse:
    if request.method != "POST" and not workflow.may(request.user, action, nomination):
        messages.error(
            request,
            _("This cannot be done to a nomination that is “%(status)s”.")
            % {"status": nomination.get_status_display()},
        )
        return redirect(detail_url(nomination))
    form = ReasonForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: _taken(request, nomination, action, form.cleaned_data["reason"]),
        detail_url,
        {
            "nomination": nomination,
            "title": action_labels()[action],
            "cancel_url": detail_url(nomination),
        },
        STEP_TEMPLATE,
        done=done,
    )


@login_required
def nomination_review(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination(request, pk)
    if not can(request.user, Perm.REVIEW_NOMINATIONS, nomination.round.organization):
        raise Http404
    form = ReviewForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: services.add_review(
            nomination,
            by=request.user,
            opinion=form.cleaned_data["opinion"],
            text=form.cleaned_data["text"],
        ),
        lambda _review: detail_url(nomination) + "#reviews",
        {"nomination": nomination, "title": _("Review"), "cancel_url": detail_url(nomination)},
        STEP_TEMPLATE,
        done=_("The review was recorded."),
    )


# --- evidence ----------------------------------------------------------------------------


@login_required
def nomination_evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _editable(request, pk)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda: services.add_evidence(
            nomination,
            by=request.user,
            file=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        ),
        lambda _evidence: detail_url(nomination) + "#evidence",
        {
            "nomination": nomination,
            "title": _("Attach evidence"),
            "cancel_url": detail_url(nomination),
            "note": _("A PDF or DOCX file of at most 20 MB: its content is checked, not its name."),
        },
        STEP_TEMPLATE,
        done=_("The file was attached."),
    )


def _get_evidence(request: HttpRequest, pk: int, evidence_pk: int, edit: bool = False) -> Evidence:
    nomination = _editable(request, pk) if edit else get_nomination(request, pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, nomination_id=nomination.pk)
    evidence.nomination = nomination
    return evidence


def download_name(evidence: Evidence) -> str:
    """The name the user gave, with the extension of the type found in the content."""
    stem = evidence.file_name.rsplit(".", 1)[0] if "." in evidence.file_name else ""
    stem = stem or evidence.file_name or "minh-chung"
    stem = "".join(ch if ch.isprintable() and ch not in '/\\:*?"<>|' else "-" for ch in stem)
    return f"{stem}.{evidence.file_type}"


@login_required
def nomination_evidence(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """The file, as an attachment, for those who may see the nomination."""
    evidence = _get_evidence(request, pk, evidence_pk)
    try:
        handle = evidence.file.storage.open(evidence.file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(evidence),
        content_type=CONTENT_TYPES.get(evidence.file_type, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def nomination_evidence_delete(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    evidence = _get_evidence(request, pk, evidence_pk, edit=True)
    return post_action(
        request,
        lambda: services.delete_evidence(evidence, by=request.user),
        _("The file was deleted."),
        detail_url(evidence.nomination) + "#evidence",
    )
