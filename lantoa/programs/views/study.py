"""Pages of study: thematic topics, study sessions with attendance, attendance rates."""

from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lantoa.core.actions import form_page, post_action
from lantoa.core.exports import Export, export_response
from lantoa.core.forms import submit_once
from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import search_key
from lantoa.orgs.models import Organization
from lantoa.orgs.queries import subtree_q
from lantoa.orgs.rules import Perm, can, granted_paths, scope_q, visible_organizations
from lantoa.orgs.scope import current_scope
from lantoa.orgs.views.common import get_org, scoped_org_q
from lantoa.programs.forms.study import StudySessionForm, ThemeForm
from lantoa.programs.models import StudySession, Theme
from lantoa.programs.queries import study as queries
from lantoa.programs.queries.plans import concerning_q
from lantoa.programs.services import study as services

MAX_CELLS_LISTED = 500  # cells offered when choosing one; more: narrow the working scope


def _asked_year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "").strip()
    if value.isdigit() and services.FIRST_YEAR <= int(value) <= 2200:
        return int(value)
    return None


def _year(request: HttpRequest) -> int:
    return _asked_year(request) or timezone.localdate().year


# --- thematic topics ---------------------------------------------------------------------


def _may_manage_theme(request: HttpRequest, theme: Theme) -> bool:
    if theme.organization_id is None:
        return request.user.is_superuser
    return can(request.user, Perm.MANAGE_PLANS, theme.organization)


def _get_theme(request: HttpRequest, pk: int) -> Theme:
    theme = get_object_or_404(Theme.objects.select_related("organization"), pk=pk)
    if not _may_manage_theme(request, theme):
        raise Http404
    return theme


def filtered_themes(request: HttpRequest) -> tuple[QuerySet[Theme], str]:
    """Topics kept by the committees of the user's line, and the common ones, with the
    search: shared by the page and its export."""
    paths = granted_paths(request.user, Perm.VIEW_PROGRAMS)
    themes = Theme.objects.filter(
        Q(organization__isnull=True) | concerning_q(paths, "organization__path")
    )
    q = request.GET.get("q", "").strip()
    if q:
        themes = themes.filter(search_key__contains=search_key(q))
    themes = themes.select_related("term", "organization").annotate(session_count=Count("sessions"))
    return themes.order_by("-year", "title", "id"), q


@login_required
def theme_list(request: HttpRequest) -> HttpResponse:
    """Topics kept by the committees of the user's line, and the common ones."""
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    themes, q = filtered_themes(request)
    page = paginate(request, themes)
    for theme in page:
        theme.can_edit = _may_manage_theme(request, theme)
    context = {
        "page": page,
        "q": q,
        "query": query_without_page(request),
        "can_add": can(request.user, Perm.MANAGE_PLANS),
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "programs/study/theme_list.html", context)


THEMES_EXPORT = Export(
    "chuyen-de",
    gettext_lazy("Thematic topics"),
    (
        (gettext_lazy("Year"), lambda t: t.year),
        (gettext_lazy("Term"), lambda t: t.term.name if t.term else ""),
        (gettext_lazy("Title"), lambda t: t.title),
        (gettext_lazy("Level"), lambda t: t.get_level_display()),
        (gettext_lazy("Issuing body"), lambda t: t.issuer),
        (gettext_lazy("Kept by"), lambda t: t.organization.name if t.organization else ""),
        (gettext_lazy("Sessions"), lambda t: t.session_count),
        (gettext_lazy("Note"), lambda t: t.note),
    ),
)


@login_required
def theme_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The filtered topics: the common ones and those kept in or above the subtrees where
    the user may export (direction from higher up concerns the units below)."""
    if not (can(request.user, Perm.VIEW_PROGRAMS) and can(request.user, Perm.EXPORT)):
        raise Http404
    themes, _q = filtered_themes(request)
    exportable = granted_paths(request.user, Perm.EXPORT)
    themes = themes.filter(
        Q(organization__isnull=True) | concerning_q(exportable, "organization__path")
    )
    return THEMES_EXPORT.response(request, themes, fmt)


@login_required
def theme_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.MANAGE_PLANS):
        raise Http404
    organizations = visible_organizations(request.user, Perm.MANAGE_PLANS).filter(
        scoped_org_q(request, Perm.MANAGE_PLANS)
    )
    form = ThemeForm(request.POST or None, organizations=organizations)
    return form_page(
        request,
        form,
        lambda: services.create_theme(
            by=request.user, organization=form.cleaned_data["organization"], **form.theme_data()
        ),
        lambda theme: reverse("programs:theme_list"),
        {"title": _("New thematic topic"), "cancel_url": reverse("programs:theme_list")},
        "programs/study/form.html",
    )


@login_required
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    theme = _get_theme(request, pk)
    initial = {name: getattr(theme, name) for name in ThemeForm.FIELDS}
    form = ThemeForm(request.POST or None, initial=initial, organizations=None)
    return form_page(
        request,
        form,
        lambda: services.update_theme(theme, by=request.user, **form.theme_data()),
        lambda theme: reverse("programs:theme_list"),
        {"title": _("Edit the topic"), "cancel_url": reverse("programs:theme_list")},
        "programs/study/form.html",
    )


@login_required
@require_POST
def theme_delete(request: HttpRequest, pk: int) -> HttpResponse:
    theme = _get_theme(request, pk)
    return post_action(
        request,
        lambda: services.delete_theme(theme, by=request.user),
        _("The topic was deleted."),
        reverse("programs:theme_list"),
    )


# --- study sessions ----------------------------------------------------------------------


def _get_session(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW_PROGRAMS) -> StudySession:
    session = get_object_or_404(
        StudySession.objects.select_related("organization", "theme", "recorded_by"), pk=pk
    )
    if not can(request.user, perm, session.organization):
        raise Http404
    return session


def filtered_sessions(request: HttpRequest):
    """The sessions list's filters (organization, year, search), shared by the page and its
    export: (sessions, org, year, q)."""
    sessions = StudySession.objects.filter(
        scoped_org_q(request, Perm.VIEW_PROGRAMS, "organization__path")
    )
    org = None
    if request.GET.get("org"):
        org = get_org(request, request.GET["org"], Perm.VIEW_PROGRAMS)
        sessions = sessions.filter(subtree_q(org.path, "organization__path"))
    year = _asked_year(request)
    if year is not None:
        start, end = queries.year_bounds(year)
        sessions = sessions.filter(date__gte=start, date__lte=end)
    q = request.GET.get("q", "").strip()
    if q:
        sessions = sessions.filter(search_key__contains=search_key(q))
    sessions = (
        sessions.select_related("organization", "theme")
        .annotate(
            expected=Count("attendance"),
            present=Count("attendance", filter=Q(attendance__present=True)),
        )
        .order_by("-date", "-id")
    )
    return sessions, org, year, q


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    sessions, org, year, q = filtered_sessions(request)
    context = {
        "page": paginate(request, sessions),
        "org": org,
        "year": year,
        "q": q,
        "query": query_without_page(request),
        "can_record": can(request.user, Perm.RECORD_STUDY),
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "programs/study/session_list.html", context)


SESSIONS_EXPORT = Export(
    "buoi-hoc-tap",
    gettext_lazy("Study sessions"),
    (
        (gettext_lazy("Date"), lambda s: s.date),
        (gettext_lazy("Organization code"), lambda s: s.organization.code),
        (gettext_lazy("Party cell"), lambda s: s.organization.name),
        (gettext_lazy("Subject"), lambda s: s.subject),
        (gettext_lazy("Present"), lambda s: s.present),
        (gettext_lazy("Expected"), lambda s: s.expected),
    ),
)


@login_required
def session_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The filtered sessions, limited to the subtrees where the user may export."""
    if not (can(request.user, Perm.VIEW_PROGRAMS) and can(request.user, Perm.EXPORT)):
        raise Http404
    sessions, _org, _year, _q = filtered_sessions(request)
    sessions = sessions.filter(scope_q(request.user, Perm.EXPORT, "organization__path"))
    return SESSIONS_EXPORT.response(request, sessions, fmt)


def _choose_cell(request: HttpRequest) -> HttpResponse:
    cells = Organization.objects.filter(
        scoped_org_q(request, Perm.RECORD_STUDY),
        kind__in=queries.CELL_KINDS,
        archived=False,
    ).order_by("path")[: MAX_CELLS_LISTED + 1]
    cells = list(cells)
    context = {"cells": cells[:MAX_CELLS_LISTED], "more": len(cells) > MAX_CELLS_LISTED}
    return render(request, "programs/study/choose_cell.html", context)


@login_required
def session_create(request: HttpRequest) -> HttpResponse:
    """Record a session: first choose the cell, then tick its members present."""
    if not can(request.user, Perm.RECORD_STUDY):
        raise Http404
    if not request.GET.get("org"):
        return _choose_cell(request)
    cell = get_org(request, request.GET["org"], Perm.RECORD_STUDY)
    if cell.kind not in queries.CELL_KINDS or cell.archived:
        raise Http404
    members = list(cell.people.filter(archived=False).sorted())
    form = StudySessionForm(
        request.POST or None,
        initial={"date": timezone.localdate()},
        themes=queries.themes_for(cell),
        members=members,
    )
    if form.is_valid():
        response = submit_once(
            form,
            lambda: services.record_study_session(
                by=request.user,
                organization=cell,
                date=form.cleaned_data["date"],
                theme=form.cleaned_data["theme"],
                title=form.cleaned_data["title"],
                content=form.cleaned_data["content"],
                present_ids=form.present_ids(),
                absences=form.absences(),
            ),
            lambda session: reverse("programs:session_detail", args=[session.pk]),
        )
        if response:
            messages.success(request, _("The study session was recorded."))
            return response
    return render(request, "programs/study/session_form.html", {"form": form, "cell": cell})


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    rows = list(session.attendance.select_related("person").order_by("person__sort_key", "id"))
    context = {
        "session": session,
        "rows": rows,
        "rate": queries.Rate(sum(r.present for r in rows), len(rows)),
        "can_delete": can(request.user, Perm.RECORD_STUDY, session.organization),
    }
    return render(request, "programs/study/session_detail.html", context)


@login_required
@require_POST
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk, Perm.RECORD_STUDY)
    return post_action(
        request,
        lambda: services.delete_study_session(session, by=request.user),
        _("The study session was deleted."),
        reverse("programs:session_list"),
    )


# --- attendance rates --------------------------------------------------------------------


def _attendance_org(request: HttpRequest) -> Organization:
    """The organization asked for, or the working scope, or the top of the user's reach."""
    if request.GET.get("org"):
        return get_org(request, request.GET["org"], Perm.VIEW_PROGRAMS)
    scope = current_scope(request)
    if scope is not None and can(request.user, Perm.VIEW_PROGRAMS, scope):
        return scope
    paths = granted_paths(request.user, Perm.VIEW_PROGRAMS)
    if not paths:
        raise Http404
    nodes = Organization.objects.filter(depth=1) if paths[0] == "" else Organization.objects
    org = nodes.filter(path__startswith=paths[0]).order_by("path").first()  # the grant's node
    if org is None:
        raise Http404
    return org


def _cells(request: HttpRequest, org: Organization, year: int) -> tuple[QuerySet, str]:
    """The cells of the attendance table and its export, with the name searched for."""
    cells = queries.cells_in(org, year)
    q = request.GET.get("q", "").strip()
    if q:
        cells = cells.filter(search_key__contains=search_key(q))
    return cells, q


@login_required
def attendance(request: HttpRequest) -> HttpResponse:
    """Attendance rate of a subtree in a year, by sub-unit and by cell."""
    org = _attendance_org(request)
    year = _year(request)
    cells, q = _cells(request, org, year)
    page = paginate(request, cells)
    queries.with_figures(page.object_list, org, year)
    sub_units = Organization.objects.filter(
        subtree_q(org.path), depth=org.depth + 1, archived=False
    ).exclude(kind__in=queries.CELL_KINDS)
    context = {
        "org": org,
        "year": year,
        "q": q,
        "rate": queries.attendance_rate(org, year),
        "page": page,
        "query": query_without_page(request),
        "sub_units": queries.with_branch_rates(list(sub_units.order_by("path")), org, year),
        "can_export": can(request.user, Perm.EXPORT, org),
    }
    return render(request, "programs/study/attendance.html", context)


def _percent(rate: queries.Rate) -> float | str:
    return "" if rate.percent is None else round(rate.percent, 1)


@login_required
def attendance_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The attendance page's figures as XLSX: every cell of the subtree, then the total."""
    org = _attendance_org(request)
    if not can(request.user, Perm.EXPORT, org):
        raise Http404
    year = _year(request)
    figures = queries.figures_by_cell(org, year)
    cells, _q = _cells(request, org, year)
    empty = queries.CellFigures(0, 0, 0)
    headers = [
        _("Code"),
        _("Party cell"),
        _("Sessions"),
        _("Present"),
        _("Expected"),
        _("Attendance rate (%)"),
    ]

    def rows() -> Iterator[tuple]:
        for cell in cells.iterator(chunk_size=2000):
            row = figures.get(cell.pk, empty)
            yield (
                cell.code,
                cell.name,
                row.sessions,
                row.present,
                row.expected,
                _percent(row.rate),
            )
        total = queries.attendance_rate(org, year)
        yield ("", _("Whole subtree"), "", total.done, total.total, _percent(total))

    filename = f"chuyen-can-{org.code}-{year}"
    return export_response(
        request,
        filename_stem=filename,
        title=_("Attendance"),
        headers=headers,
        rows=rows(),
        fmt=fmt,
    )
