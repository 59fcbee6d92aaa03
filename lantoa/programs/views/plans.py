"""Pages of plans: list, detail with target progress and pilots, and their forms."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lantoa.core.actions import form_page as _form_page
from lantoa.core.actions import post_action
from lantoa.core.exports import Export
from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import search_key
from lantoa.orgs.rules import Perm, can, visible_organizations
from lantoa.orgs.scope import current_scope
from lantoa.orgs.views.common import scoped_org_q
from lantoa.programs.forms.plans import (
    EvaluationForm,
    PilotForm,
    PilotNoteForm,
    PlanForm,
    TargetForm,
)
from lantoa.programs.models import Pilot, Plan, Target
from lantoa.programs.queries import plans as queries
from lantoa.programs.services import plans as services


def get_plan(request: HttpRequest, pk: int, manage: bool = False) -> Plan:
    """A plan the user may see (or manage); others answer 404."""
    plan = get_object_or_404(Plan.objects.select_related("issuer"), pk=pk)
    allowed = (
        can(request.user, Perm.MANAGE_PLANS, plan.issuer)
        if manage
        else queries.can_view_plan(request.user, plan)
    )
    if not allowed:
        raise Http404
    return plan


def _get_target(request: HttpRequest, pk: int) -> Target:
    target = get_object_or_404(Target.objects.select_related("plan__issuer"), pk=pk)
    if not can(request.user, Perm.MANAGE_PLANS, target.plan.issuer):
        raise Http404
    return target


def _get_pilot(request: HttpRequest, pk: int) -> Pilot:
    pilot = get_object_or_404(Pilot.objects.select_related("plan__issuer", "organization"), pk=pk)
    if not can(request.user, Perm.MANAGE_PLANS, pilot.plan.issuer):
        raise Http404
    return pilot


def _detail_url(plan_id: int) -> str:
    return reverse("programs:plan_detail", args=[plan_id])


def form_page(request: HttpRequest, form, action, success_url, context) -> HttpResponse:
    return _form_page(request, form, action, success_url, context, "programs/plans/form.html")


# --- plans -------------------------------------------------------------------------------


def filtered_plans(request: HttpRequest) -> tuple[QuerySet[Plan], str]:
    """The list's search, shared by the page and its export."""
    plans = queries.visible_plans(request.user, current_scope(request))
    q = request.GET.get("q", "").strip()
    if q:
        plans = plans.filter(search_key__contains=search_key(q))
    plans = (
        plans.select_related("issuer")
        .annotate(
            pilot_count=Count("pilots", distinct=True),
            target_count=Count("targets", distinct=True),
        )
        .order_by("-issued_on", "-id")
    )
    return plans, q


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    plans, q = filtered_plans(request)
    context = {
        "page": paginate(request, plans),
        "q": q,
        "query": query_without_page(request),
        "can_add": can(request.user, Perm.MANAGE_PLANS),
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "programs/plans/list.html", context)


PLANS_EXPORT = Export(
    "ke-hoach",
    gettext_lazy("Plans"),
    (
        (gettext_lazy("Number and symbol"), lambda p: p.symbol),
        (gettext_lazy("Title"), lambda p: p.title),
        (gettext_lazy("Issued by"), lambda p: p.issuer.name),
        (gettext_lazy("Date issued"), lambda p: p.issued_on),
        (gettext_lazy("Targets"), lambda p: p.target_count),
        (gettext_lazy("Pilots"), lambda p: p.pilot_count),
    ),
)


@login_required
def plan_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The filtered list (like documents, plans the user may read, higher ones included)."""
    if not (can(request.user, Perm.VIEW_PROGRAMS) and can(request.user, Perm.EXPORT)):
        raise Http404
    plans, _q = filtered_plans(request)
    return PLANS_EXPORT.response(request, plans, fmt)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    targets = plan.targets.select_related("plan__issuer").order_by("year", "kind", "id")
    context = {
        "plan": plan,
        "targets": queries.with_progress(targets),
        "pilots": queries.visible_pilots(request.user, plan),
        "can_manage": can(request.user, Perm.MANAGE_PLANS, plan.issuer),
    }
    return render(request, "programs/plans/detail.html", context)


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.MANAGE_PLANS):
        raise Http404
    issuers = visible_organizations(request.user, Perm.MANAGE_PLANS).filter(
        scoped_org_q(request, Perm.MANAGE_PLANS)
    )
    form = PlanForm(request.POST or None, issuers=issuers)
    return form_page(
        request,
        form,
        lambda: services.create_plan(
            by=request.user, issuer=form.cleaned_data["issuer"], **form.plan_data()
        ),
        lambda plan: _detail_url(plan.pk),
        {"title": _("New plan"), "cancel_url": reverse("programs:plan_list")},
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk, manage=True)
    initial = {name: getattr(plan, name) for name in PlanForm.FIELDS}
    form = PlanForm(request.POST or None, initial=initial, issuers=None)
    return form_page(
        request,
        form,
        lambda: services.update_plan(plan, by=request.user, **form.plan_data()),
        lambda plan: _detail_url(plan.pk),
        {"title": _("Edit the plan"), "plan": plan, "cancel_url": _detail_url(plan.pk)},
    )


# --- targets -----------------------------------------------------------------------------


@login_required
def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk, manage=True)
    form = TargetForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: services.add_target(plan, by=request.user, **form.target_data()),
        lambda target: _detail_url(plan.pk),
        {"title": _("New target"), "plan": plan, "cancel_url": _detail_url(plan.pk)},
    )


@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = _get_target(request, pk)
    initial = {name: getattr(target, name) for name in TargetForm.FIELDS}
    form = TargetForm(request.POST or None, initial=initial)
    plan = target.plan
    return form_page(
        request,
        form,
        lambda: services.update_target(target, by=request.user, **form.target_data()),
        lambda target: _detail_url(plan.pk),
        {"title": _("Edit the target"), "plan": plan, "cancel_url": _detail_url(plan.pk)},
    )


@login_required
@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = _get_target(request, pk)
    return post_action(
        request,
        lambda: services.delete_target(target, by=request.user),
        _("The target was deleted."),
        _detail_url(target.plan_id),
    )


# --- pilots ------------------------------------------------------------------------------


@login_required
def pilot_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk, manage=True)
    form = PilotForm(request.POST or None, plan=plan)
    return form_page(
        request,
        form,
        lambda: services.add_pilot(
            plan,
            by=request.user,
            organization=form.cleaned_data["organization"],
            note=form.cleaned_data["note"],
        ),
        lambda pilot: _detail_url(plan.pk),
        {"title": _("New pilot organization"), "plan": plan, "cancel_url": _detail_url(plan.pk)},
    )


@login_required
@require_POST
def pilot_start(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _get_pilot(request, pk)
    return post_action(
        request,
        lambda: services.start_pilot(pilot, by=request.user),
        _("The pilot is now being carried out."),
        _detail_url(pilot.plan_id),
    )


@login_required
@require_POST
def pilot_remove(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _get_pilot(request, pk)
    return post_action(
        request,
        lambda: services.remove_pilot(pilot, by=request.user),
        _("The pilot organization was removed."),
        _detail_url(pilot.plan_id),
    )


@login_required
def pilot_note_create(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _get_pilot(request, pk)
    form = PilotNoteForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: services.add_pilot_note(
            pilot, by=request.user, date=form.cleaned_data["date"], text=form.cleaned_data["text"]
        ),
        lambda note: _detail_url(pilot.plan_id) + f"#pilot-{pilot.pk}",
        {
            "title": _("New follow-up note"),
            "plan": pilot.plan,
            "pilot": pilot,
            "cancel_url": _detail_url(pilot.plan_id),
        },
    )


@login_required
def pilot_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _get_pilot(request, pk)
    initial = {
        "evaluation": pilot.evaluation,
        "lesson": pilot.lesson,
        "evaluated_on": pilot.evaluated_on or timezone.localdate(),
    }
    form = EvaluationForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: services.evaluate_pilot(
            pilot,
            by=request.user,
            evaluation=form.cleaned_data["evaluation"],
            lesson=form.cleaned_data["lesson"],
            on=form.cleaned_data["evaluated_on"],
        ),
        lambda pilot: _detail_url(pilot.plan_id) + f"#pilot-{pilot.pk}",
        {
            "title": _("Evaluation of the pilot"),
            "plan": pilot.plan,
            "pilot": pilot,
            "cancel_url": _detail_url(pilot.plan_id),
        },
    )
