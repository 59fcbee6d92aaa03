"""Pages for unit models (mô hình), personal commitments (bản đăng ký làm theo) and the
coverage of both over a subtree. Rules live in the services; these pages only ask."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.core.exports import export_response
from lantoa.core.forms import submit_once
from lantoa.core.pages import paginate, query_without_page
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, can, scope_q, visible_organizations
from lantoa.orgs.views.common import get_org, scope_root_paths, scoped_org_q
from lantoa.programs.forms.registration import (
    AssessmentForm,
    CommitmentForm,
    DeadlineForm,
    EvaluateForm,
    UnitModelFilterForm,
    UnitModelForm,
    YearFilterForm,
)
from lantoa.programs.models import (
    Commitment,
    CommitmentResult,
    CommitmentStatus,
    UnitModel,
    UnitModelStatus,
)
from lantoa.programs.models.registration import YEAR_MAX, YEAR_MIN
from lantoa.programs.queries import registration as queries
from lantoa.programs.services import registration as services

# --- helpers -----------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    """The year asked for in the query string, else the current year."""
    value = request.GET.get("year", "")
    if value.isdigit() and YEAR_MIN <= int(value) <= YEAR_MAX:
        return int(value)
    return timezone.localdate().year


def _with_year(url: str, year: int) -> str:
    return f"{url}?year={year}"


def _refuse(request: HttpRequest, error: ValidationError, url: str) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect(url)


def _get_unit_model(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW_PROGRAMS) -> UnitModel:
    model = get_object_or_404(
        UnitModel.objects.select_related("organization", "responsible", "evaluated_by"), pk=pk
    )
    if not can(request.user, perm, model.organization):
        raise Http404
    return model


def _may_view_commitment(user, commitment: Commitment) -> bool:
    """The member themselves, staff who assess it, and those who may see the people and
    programs of the organization where it was registered."""
    if commitment.person.account_id == user.pk:
        return True
    org = commitment.organization
    readable = can(user, Perm.VIEW_PROGRAMS, org) and can(user, Perm.VIEW_PEOPLE, org)
    return readable or services.can_assess(user, commitment)


def _get_commitment(request: HttpRequest, pk: int) -> Commitment:
    commitment = get_object_or_404(
        Commitment.objects.select_related(
            "person__organization", "organization", "cell_assessed_by"
        ),
        pk=pk,
    )
    if not _may_view_commitment(request.user, commitment):
        raise Http404
    return commitment


def _get_org_people_view(request: HttpRequest, pk: int) -> Organization:
    """An organization whose members' commitments the user may list."""
    org = get_org(request, pk, Perm.VIEW_PROGRAMS)
    if not can(request.user, Perm.VIEW_PEOPLE, org):
        raise Http404
    return org


# --- unit models -------------------------------------------------------------------------


def _filtered_models(request: HttpRequest, perm: Perm = Perm.VIEW_PROGRAMS):
    filters = UnitModelFilterForm(request.GET)
    org = None
    if filters.value("org"):
        org = get_org(request, filters.value("org"), perm)
    models = UnitModel.objects.filter(scoped_org_q(request, perm, "organization__path"))
    models = queries.unit_models_filtered(
        models,
        text=filters.value("q") or "",
        year=filters.value("year"),
        status=filters.value("status") or "",
        org=org,
    )
    return models.order_by("-year_from", "organization__path", "id"), filters, org


@login_required
def unit_model_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    models, filters, org = _filtered_models(request)
    context = {
        "page": paginate(request, models),
        "filters": filters,
        "org": org,
        "statuses": UnitModelStatus.choices,
        "query": query_without_page(request),
        "can_add": can(request.user, Perm.MANAGE_REGISTRATIONS),
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "programs/registration/model_list.html", context)


@login_required
def unit_model_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    if not (can(request.user, Perm.VIEW_PROGRAMS) and can(request.user, Perm.EXPORT)):
        raise Http404
    models, _filters, _org = _filtered_models(request)
    models = models.filter(scope_q(request.user, Perm.EXPORT, "organization__path"))
    headers = [
        _("Organization"),
        _("From year"),
        _("Until year"),
        _("Title"),
        _("Content"),
        _("Person responsible"),
        _("Status"),
        _("Evaluation result"),
        _("Evaluation comments"),
    ]
    rows = (
        (
            m.organization.name,
            m.year_from,
            m.year_to,
            m.title,
            m.content,
            m.responsible.full_name if m.responsible else "",
            m.get_status_display(),
            m.get_result_display(),
            m.comments,
        )
        for m in models.iterator(chunk_size=2000)
    )
    return export_response(
        request,
        filename_stem="mo-hinh",
        title=_("Unit models"),
        headers=headers,
        rows=rows,
        fmt=fmt,
    )


@login_required
def unit_model_detail(request: HttpRequest, pk: int) -> HttpResponse:
    model = _get_unit_model(request, pk)
    context = {
        "model": model,
        "can_manage": can(request.user, Perm.MANAGE_REGISTRATIONS, model.organization),
        "statuses": UnitModelStatus,
    }
    return render(request, "programs/registration/model_detail.html", context)


@login_required
def unit_model_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.MANAGE_REGISTRATIONS):
        raise Http404
    org = None
    if request.GET.get("org", "").isdigit():
        org = get_org(request, request.GET["org"], Perm.MANAGE_REGISTRATIONS)
    form = UnitModelForm(
        request.POST or None,
        initial={"year_from": timezone.localdate().year},
        organizations=None
        if org
        else visible_organizations(request.user, Perm.MANAGE_REGISTRATIONS),
        people=queries.current_people(org) if org else None,
    )
    if form.is_valid():
        target = org or form.cleaned_data["organization"]
        response = submit_once(
            form,
            lambda: services.create_unit_model(
                by=request.user, organization=target, **form.model_data()
            ),
            lambda model: reverse("programs:unit_model_detail", args=[model.pk]),
        )
        if response:
            messages.success(request, _("The model was saved."))
            return response
    context = {"form": form, "org": org, "title": _("New unit model")}
    return render(request, "programs/registration/model_form.html", context)


@login_required
def unit_model_edit(request: HttpRequest, pk: int) -> HttpResponse:
    model = _get_unit_model(request, pk, Perm.MANAGE_REGISTRATIONS)
    initial = {name: getattr(model, name) for name in UnitModelForm.FIELDS}
    form = UnitModelForm(
        request.POST or None,
        initial=initial,
        organizations=None,
        people=queries.current_people(model.organization),
    )
    if form.is_valid():
        response = submit_once(
            form,
            lambda: services.update_unit_model(model, by=request.user, **form.model_data()),
            lambda model: reverse("programs:unit_model_detail", args=[model.pk]),
        )
        if response:
            messages.success(request, _("The model was saved."))
            return response
    context = {"form": form, "model": model, "org": model.organization, "title": _("Edit")}
    return render(request, "programs/registration/model_form.html", context)


@login_required
@require_POST
def unit_model_start(request: HttpRequest, pk: int) -> HttpResponse:
    model = _get_unit_model(request, pk, Perm.MANAGE_REGISTRATIONS)
    url = reverse("programs:unit_model_detail", args=[model.pk])
    try:
        services.change_unit_model_status(model, UnitModelStatus.IN_PROGRESS, by=request.user)
    except ValidationError as error:
        return _refuse(request, error, url)
    messages.success(request, _("The model is now being carried out."))
    return redirect(url)


@login_required
def unit_model_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    model = _get_unit_model(request, pk, Perm.MANAGE_REGISTRATIONS)
    form = EvaluateForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        response = submit_once(
            form,
            lambda: services.change_unit_model_status(
                model,
                UnitModelStatus.EVALUATED,
                by=request.user,
                result=data["result"],
                comments=data["comments"],
            ),
            lambda model: reverse("programs:unit_model_detail", args=[model.pk]),
        )
        if response:
            messages.success(request, _("The evaluation was saved."))
            return response
    context = {"form": form, "model": model, "org": model.organization, "title": _("Evaluate")}
    return render(request, "programs/registration/model_form.html", context)


# --- my commitment -----------------------------------------------------------------------


def _my_context(request: HttpRequest, year: int) -> dict:
    person = services.person_of(request.user)
    commitment = queries.commitment_of(person, year) if person else None
    home = commitment.organization if commitment else (person.organization if person else None)
    lock = services.registration_lock(person, year, commitment) if person else None
    return {
        "person": person,
        "year": year,
        "commitment": commitment,
        "items": list(commitment.items.all()) if commitment else [],
        "lock": lock,
        "can_register": person is not None
        and lock is None
        and year in services.registrable_years(),
        "assess_lock": services.self_assessment_lock(person, year, commitment) if person else "",
        "deadline": queries.deadline_for(home, year) if home else None,
        "years": sorted({*services.registrable_years(), year}),
    }


@login_required
def my_commitment(request: HttpRequest) -> HttpResponse:
    """The logged-in member's commitment for the year: editable until the deadline, then
    read-only with a notice."""
    year = _year(request)
    context = _my_context(request, year)
    url = _with_year(reverse("programs:my_commitment"), year)
    if request.method == "POST" and not context["can_register"]:
        messages.error(request, context["lock"] or _("This commitment cannot be changed."))
        return redirect(url)
    if context["can_register"]:
        form = CommitmentForm(request.POST or None, items=[i.text for i in context["items"]])
        if form.is_valid():
            response = submit_once(
                form,
                lambda: services.save_own_commitment(
                    by=request.user, year=year, items=form.items()
                ),
                lambda commitment: url,
            )
            if response:
                messages.success(request, _("Your commitment was saved."))
                return response
        context["form"] = form
    return render(request, "programs/registration/my_commitment.html", context)


@login_required
def my_self_assessment(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    context = _my_context(request, year)
    url = _with_year(reverse("programs:my_commitment"), year)
    if context["assess_lock"] or context["person"] is None:
        if context["assess_lock"]:
            messages.error(request, context["assess_lock"])
        return redirect(url)
    commitment = context["commitment"]
    initial = {"result": commitment.self_result, "text": commitment.self_assessment}
    form = AssessmentForm(request.POST or None, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        response = submit_once(
            form,
            lambda: services.self_assess(
                by=request.user, year=year, text=data["text"], result=data["result"]
            ),
            lambda commitment: url,
        )
        if response:
            messages.success(request, _("Your self-assessment was saved."))
            return response
    context |= {"form": form, "title": _("Self-assessment"), "cancel_url": url}
    return render(request, "programs/registration/assessment_form.html", context)


# --- commitments of an organization ------------------------------------------------------


@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _get_commitment(request, pk)
    context = {
        "commitment": commitment,
        "items": commitment.items.all(),
        "can_assess": services.can_assess(request.user, commitment),
    }
    return render(request, "programs/registration/commitment_detail.html", context)


@login_required
def commitment_assess(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _get_commitment(request, pk)
    if not services.can_assess(request.user, commitment):
        raise Http404
    initial = {"result": commitment.cell_result, "text": commitment.cell_assessment}
    form = AssessmentForm(request.POST or None, initial=initial)
    url = reverse("programs:commitment_detail", args=[commitment.pk])
    if form.is_valid():
        data = form.cleaned_data
        response = submit_once(
            form,
            lambda: services.assess_commitment(
                commitment, by=request.user, text=data["text"], result=data["result"]
            ),
            lambda commitment: url,
        )
        if response:
            messages.success(request, _("The cell's assessment was saved."))
            return response
    context = {
        "form": form,
        "commitment": commitment,
        "items": commitment.items.all(),
        "title": _("The cell's assessment"),
        "cancel_url": url,
    }
    return render(request, "programs/registration/assessment_form.html", context)


def _org_people(request: HttpRequest, pk: int):
    org = _get_org_people_view(request, pk)
    year = _year(request)
    filters = YearFilterForm(request.GET)
    status = filters.value("status") or ""
    return org, year, status, queries.people_with_commitments(org, year, status)


def _label_rows(people) -> None:
    """Display labels of the annotated commitment values (no query)."""
    statuses, results = dict(CommitmentStatus.choices), dict(CommitmentResult.choices)
    for person in people:
        person.status_label = statuses.get(person.commitment_status, "")
        person.self_result_label = results.get(person.commitment_self_result, "")
        person.cell_result_label = results.get(person.commitment_cell_result, "")


@login_required
def commitment_org(request: HttpRequest, pk: int) -> HttpResponse:
    """An organization's members with their commitment for the year, and who has not
    registered."""
    org, year, status, people = _org_people(request, pk)
    committed, members = queries.commitment_coverage(org, year)
    page = paginate(request, people)
    _label_rows(page)
    context = {
        "org": org,
        "year": year,
        "status": status,
        "statuses": [(queries.NOT_REGISTERED, _("Not registered")), *CommitmentStatus.choices],
        "page": page,
        "query": query_without_page(request),
        "committed": committed,
        "members": members,
        "not_registered": members - committed,
        "deadline": queries.deadline_for(org, year),
        "can_manage": can(request.user, Perm.MANAGE_REGISTRATIONS, org),
        "can_export": can(request.user, Perm.EXPORT, org),
    }
    return render(request, "programs/registration/commitment_org.html", context)


@login_required
def commitment_org_export(request: HttpRequest, pk: int, fmt: str | None = None) -> HttpResponse:
    org, year, _status, people = _org_people(request, pk)
    if not can(request.user, Perm.EXPORT, org):
        raise Http404
    statuses = {value: str(label) for value, label in CommitmentStatus.choices}
    headers = [_("Full name"), _("Organization"), _("Year"), _("Commitment"), _("Registered at")]
    rows = (
        (
            p.full_name,
            p.organization.name,
            year,
            statuses.get(p.commitment_status, _("Not registered")),
            p.commitment_submitted_at,
        )
        for p in people.iterator(chunk_size=2000)
    )
    return export_response(
        request,
        filename_stem=f"dang-ky-lam-theo-{year}",
        title=_("Commitments"),
        headers=headers,
        rows=rows,
        fmt=fmt,
    )


@login_required
def commitment_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_org(request, pk, Perm.MANAGE_REGISTRATIONS)
    year = _year(request)
    own = org.commitment_deadlines.filter(year=year).first()
    initial = (
        {"deadline": own.deadline, "assessment_deadline": own.assessment_deadline} if own else {}
    )
    form = DeadlineForm(request.POST or None, initial=initial)
    url = _with_year(reverse("programs:commitment_org", args=[org.pk]), year)
    if form.is_valid():
        data = form.cleaned_data
        response = submit_once(
            form,
            lambda: services.set_commitment_deadline(
                org,
                year,
                by=request.user,
                deadline=data["deadline"],
                assessment_deadline=data["assessment_deadline"],
            ),
            lambda deadline: url,
        )
        if response:
            messages.success(request, _("The deadline was saved."))
            return response
    context = {
        "form": form,
        "org": org,
        "year": year,
        "inherited": None if own else queries.deadline_for(org, year),
        "cancel_url": url,
    }
    return render(request, "programs/registration/deadline_form.html", context)


# --- coverage ----------------------------------------------------------------------------


@login_required
def coverage_home(request: HttpRequest) -> HttpResponse:
    """The coverage of the top of the user's scope."""
    paths = scope_root_paths(request, Perm.VIEW_PROGRAMS)
    if not paths:
        raise Http404
    query = {"depth": 1} if paths[0] == "" else {"path": paths[0]}
    org = Organization.objects.filter(**query).order_by("path").first()
    if org is None:
        raise Http404
    return redirect(_with_year(reverse("programs:coverage", args=[org.pk]), _year(request)))


@login_required
def coverage(request: HttpRequest, pk: int) -> HttpResponse:
    """Commitments and unit models over a subtree, one row per child organization."""
    org = get_org(request, pk, Perm.VIEW_PROGRAMS)
    year = _year(request)
    rows, total = queries.coverage_by_child(org, year)
    context = {
        "org": org,
        "year": year,
        "rows": rows,
        "total": total,
        "can_list_people": can(request.user, Perm.VIEW_PEOPLE, org),
        "can_export": can(request.user, Perm.EXPORT, org),
    }
    return render(request, "programs/registration/coverage.html", context)


@login_required
def coverage_export(request: HttpRequest, pk: int, fmt: str | None = None) -> HttpResponse:
    org = get_org(request, pk, Perm.VIEW_PROGRAMS)
    if not can(request.user, Perm.EXPORT, org):
        raise Http404
    year = _year(request)
    rows, total = queries.coverage_by_child(org, year)
    headers = [
        _("Organization"),
        _("Members"),
        _("Members with a commitment"),
        _("With a commitment (%)"),
        _("Base organizations"),
        _("Base organizations with a model"),
        _("With a model (%)"),
    ]

    def line(row) -> tuple:
        name = row.organization.name if row.organization else _("Attached directly")
        return (
            name,
            row.members,
            row.committed,
            row.commitment_percent,
            row.bases,
            row.covered,
            row.model_percent,
        )

    lines = [line(row) for row in rows]
    lines.append((_("Total"), *line(total)[1:]))
    return export_response(
        request,
        filename_stem=f"bao-phu-{year}",
        title=_("Coverage"),
        headers=headers,
        rows=lines,
        fmt=fmt,
    )
