"""Pages of emulation movements: the list, launching and correcting one, its targets, and
its detail, where each organization sees what it was asked to do and how far it has come."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lantoa.core.actions import form_page as _form_page
from lantoa.core.actions import post_action
from lantoa.core.exports import Export, export_response
from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import search_key
from lantoa.movements.forms.movements import MovementForm, TargetForm
from lantoa.movements.models import Activity, ActivityType, Movement, MovementKind, MovementTarget
from lantoa.movements.queries import movements as queries
from lantoa.movements.queries import totals
from lantoa.movements.services import movements as services
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, can, granted_paths, visible_organizations
from lantoa.orgs.scope import current_scope
from lantoa.orgs.views.common import get_org, scoped_org_q
from lantoa.programs.models import Document
from lantoa.programs.models.documents import reach_q

LATEST_ACTIVITIES = 20
FORM_TEMPLATE = "movements/movements/form.html"


def get_movement(request: HttpRequest, pk: int, manage: bool = False) -> Movement:
    """A movement the user may see (or manage); others answer 404."""
    movement = get_object_or_404(
        Movement.objects.select_related("organization", "document", "created_by"), pk=pk
    )
    allowed = (
        can(request.user, Perm.MANAGE_MOVEMENTS, movement.organization)
        if manage
        else queries.can_view_movement(request.user, movement)
    )
    if not allowed:
        raise Http404
    return movement


def _get_target(request: HttpRequest, pk: int) -> MovementTarget:
    target = get_object_or_404(
        MovementTarget.objects.select_related("movement__organization", "activity_type"), pk=pk
    )
    if not can(request.user, Perm.MANAGE_MOVEMENTS, target.movement.organization):
        raise Http404
    return target


def _detail_url(movement_id: int) -> str:
    return reverse("movements:movement_detail", args=[movement_id])


def _url_exists(name: str, *args: object) -> bool:
    try:
        reverse(name, args=args)
    except NoReverseMatch:
        return False
    return True


def form_page(request: HttpRequest, form, action, success_url, context) -> HttpResponse:
    return _form_page(request, form, action, success_url, context, FORM_TEMPLATE)


# --- the list ----------------------------------------------------------------------------


def _asked_year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "").strip()
    if value.isdigit() and services.FIRST_YEAR <= int(value) <= 2200:
        return int(value)
    return None


def _count_of(model, field: str) -> Coalesce:
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _listed_movements(request: HttpRequest) -> tuple[QuerySet[Movement], dict]:
    movements = queries.visible_movements(request.user)
    scope = current_scope(request)
    if scope is not None:
        movements = movements.filter(reach_q([scope.path], "organization__path"))
    filters = {
        "q": request.GET.get("q", "").strip(),
        "year": _asked_year(request),
        "kind": request.GET.get("kind", ""),
    }
    if filters["q"]:
        movements = movements.filter(search_key__contains=search_key(filters["q"]))
    if filters["year"] is not None:
        year = totals.Period.year(filters["year"])  # movements running at some time in it
        movements = movements.filter(start_date__lte=year.end, end_date__gte=year.start)
    if filters["kind"] in MovementKind.values:
        movements = movements.filter(kind=filters["kind"])
    else:
        filters["kind"] = ""
    return movements, filters


def filtered_movements(request: HttpRequest) -> tuple[QuerySet[Movement], dict]:
    """The list's rows with their counts, shared by the page and its export."""
    movements, filters = _listed_movements(request)
    movements = (
        movements.select_related("organization")
        .annotate(
            target_count=_count_of(MovementTarget, "movement"),
            activity_count=_count_of(Activity, "movement"),
        )
        .order_by("-start_date", "-id")
    )
    return movements, filters


@login_required
def movement_list(request: HttpRequest) -> HttpResponse:
    """Movements launched in the user's reach or above it, newest first."""
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    movements, filters = filtered_movements(request)
    context = {
        **filters,
        "page": paginate(request, movements),
        "query": query_without_page(request),
        "kinds": MovementKind.choices,
        "can_add": can(request.user, Perm.MANAGE_MOVEMENTS),
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "movements/movements/list.html", context)


MOVEMENTS_EXPORT = Export(
    "phong-trao",
    gettext_lazy("Movements"),
    (
        (gettext_lazy("Title"), lambda m: m.title),
        (gettext_lazy("Kind"), lambda m: m.get_kind_display()),
        (gettext_lazy("Launched by"), lambda m: m.organization.name),
        (gettext_lazy("Start date"), lambda m: m.start_date),
        (gettext_lazy("End date"), lambda m: m.end_date),
        (gettext_lazy("Targets"), lambda m: m.target_count),
        (gettext_lazy("Activities"), lambda m: m.activity_count),
    ),
)


@login_required
def movement_list_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The filtered list (like documents: movements launched in the user's reach or above)."""
    if not (can(request.user, Perm.VIEW_PROGRAMS) and can(request.user, Perm.EXPORT)):
        raise Http404
    movements, _filters = filtered_movements(request)
    return MOVEMENTS_EXPORT.response(request, movements, fmt)


# --- launching and correcting ------------------------------------------------------------


def _documents(request: HttpRequest) -> QuerySet[Document]:
    return Document.objects.visible_to(request.user)


@login_required
def movement_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.MANAGE_MOVEMENTS):
        raise Http404
    organizations = visible_organizations(request.user, Perm.MANAGE_MOVEMENTS).filter(
        scoped_org_q(request, Perm.MANAGE_MOVEMENTS)
    )
    form = MovementForm(
        request.POST or None,
        initial={"kind": MovementKind.REGULAR},
        organizations=organizations,
        documents=_documents(request),
    )
    cancel = reverse("movements:movement_list")
    return form_page(
        request,
        form,
        lambda: services.create_movement(
            by=request.user,
            organization=form.cleaned_data["organization"],
            **form.movement_data(),
        ),
        lambda movement: _detail_url(movement.pk),
        {"title": _("Launch a movement"), "cancel_url": cancel},
    )


@login_required
def movement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_movement(request, pk, manage=True)
    initial = {name: getattr(movement, name) for name in MovementForm.FIELDS}
    form = MovementForm(
        request.POST or None, initial=initial, organizations=None, documents=_documents(request)
    )
    return form_page(
        request,
        form,
        lambda: services.update_movement(movement, by=request.user, **form.movement_data()),
        lambda movement: _detail_url(movement.pk),
        {
            "title": _("Edit the movement"),
            "movement": movement,
            "cancel_url": _detail_url(movement.pk),
        },
    )


@login_required
@require_POST
def movement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_movement(request, pk, manage=True)
    return post_action(
        request,
        lambda: services.delete_movement(movement, by=request.user),
        _("The movement was deleted."),
        reverse("movements:movement_list"),
        refused_url=_detail_url(movement.pk),
    )


# --- targets -----------------------------------------------------------------------------


@login_required
def movement_target_add(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_movement(request, pk, manage=True)
    form = TargetForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: services.set_target(movement, by=request.user, **form.target_data()),
        lambda target: _detail_url(movement.pk),
        {"title": _("New target"), "movement": movement, "cancel_url": _detail_url(movement.pk)},
    )


@login_required
def movement_target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = _get_target(request, pk)
    movement = target.movement
    initial = {name: getattr(target, name) for name in TargetForm.FIELDS}
    form = TargetForm(
        request.POST or None, initial=initial, current_type_id=target.activity_type_id
    )
    return form_page(
        request,
        form,
        lambda: services.set_target(movement, by=request.user, target=target, **form.target_data()),
        lambda target: _detail_url(movement.pk),
        {
            "title": _("Edit the target"),
            "movement": movement,
            "cancel_url": _detail_url(movement.pk),
        },
    )


@login_required
@require_POST
def movement_target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = _get_target(request, pk)
    return post_action(
        request,
        lambda: services.delete_target(target, by=request.user),
        _("The target was deleted."),
        _detail_url(target.movement_id),
    )


# --- the detail: what each organization was asked, and what it did -----------------------


def _detail_org(request: HttpRequest, movement: Movement) -> Organization:
    """The organization asked for (`?org=`), or the working scope if the movement reaches
    it, or the launcher, or else the top of the user's reach under the launcher."""
    if request.GET.get("org"):
        org = get_org(request, request.GET["org"], Perm.VIEW_PROGRAMS)
        if not queries.reaches(movement, org):
            raise Http404
        return org
    scope = current_scope(request)
    if (
        scope is not None
        and queries.reaches(movement, scope)
        and can(request.user, Perm.VIEW_PROGRAMS, scope)
    ):
        return scope
    launcher = movement.organization
    if can(request.user, Perm.VIEW_PROGRAMS, launcher):
        return launcher
    paths = [
        p for p in granted_paths(request.user, Perm.VIEW_PROGRAMS) if p.startswith(launcher.path)
    ]
    org = Organization.objects.filter(path__in=paths).order_by("path").first()
    if org is None:
        raise Http404
    return org


@dataclass
class Row:
    """One line of the table by sub-unit: a part and its figure for each column's type."""

    part: totals.Part
    cells: list[totals.Figures]
    total: totals.Figures


def _columns(
    targets: list[MovementTarget], by_type: dict[int, totals.Figures]
) -> list[ActivityType]:
    """The types of the targets, then any other type the subtree reported against."""
    types = {t.pk: t for t in ActivityType.objects.all()}
    columns = [t.activity_type for t in targets]
    shown = {t.pk for t in columns}
    extra = sorted(
        (types[pk] for pk in by_type if pk not in shown and pk in types),
        key=lambda t: (t.position, t.pk),
    )
    return columns + extra


def _rows(parts: list[totals.Part], columns: list[ActivityType]) -> list[Row]:
    return [
        Row(part, [part.by_type.get(t.pk, totals.ZERO) for t in columns], part.total)
        for part in parts
    ]


def _trail(request: HttpRequest, movement: Movement, org: Organization) -> list[Organization]:
    """The organizations from the launcher down to `org`, the ones the user may open marked."""
    launcher = movement.organization.path
    step = Organization.steplen
    paths = [org.path[:i] for i in range(len(launcher), len(org.path) + 1, step)]
    trail = list(Organization.objects.filter(path__in=paths).order_by("path"))
    for node in trail:
        node.viewable = can(request.user, Perm.VIEW_PROGRAMS, node)
    return trail


def _figures(movement: Movement, org: Organization) -> dict:
    period = queries.movement_period(movement)
    targets = list(movement.targets.select_related("activity_type"))
    by_type = totals.totals_by_type(org.path, period, movement)
    columns = _columns(targets, by_type)
    return {
        "targets": targets,
        "progress": queries.target_progress(movement, org, targets, by_type),
        "columns": columns,
        "rows": _rows(totals.breakdown(org, period, movement), columns),
        "whole": [by_type.get(t.pk, totals.ZERO) for t in columns],
        "whole_total": totals.grand_total(by_type),
    }


@login_required
def movement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_movement(request, pk)
    org = _detail_org(request, movement)
    period = queries.movement_period(movement)
    latest = (
        totals.activities_in(org.path, period, movement)
        .select_related("organization", "activity_type")
        .order_by("-date", "-id")[:LATEST_ACTIVITIES]
    )
    can_manage = can(request.user, Perm.MANAGE_MOVEMENTS, movement.organization)
    context = {
        "movement": movement,
        "org": org,
        "is_launcher": org.pk == movement.organization_id,
        "is_base": org.kind in queries.BASE_KINDS,
        "trail": _trail(request, movement, org),
        **_figures(movement, org),
        "latest": list(latest),
        "can_manage": can_manage,
        "can_delete": can_manage and not movement.activities.exists(),
        "can_export": can(request.user, Perm.EXPORT, org),
        "activity_links": _url_exists("movements:activity_detail", 1),
        "can_record": can(request.user, Perm.RECORD_ACTIVITIES, org)
        and _url_exists("movements:activity_create"),
    }
    return render(request, "movements/movements/detail.html", context)


@login_required
def movement_export(request: HttpRequest, pk: int, fmt: str | None = None) -> HttpResponse:
    """The detail page's table by sub-unit as XLSX: quantities per type, then the total."""
    movement = get_movement(request, pk)
    org = _detail_org(request, movement)
    if not can(request.user, Perm.EXPORT, org):
        raise Http404
    figures = _figures(movement, org)
    columns = figures["columns"]
    headers = [
        _("Code"),
        _("Organization"),
        *(f"{t.name} ({t.unit})" for t in columns),
        _("Activities"),
        _("Value (đồng)"),
    ]

    def rows() -> Iterator[tuple]:
        for row in figures["rows"]:
            part = row.part
            name = (
                _("%(name)s (itself)") % {"name": part.organization.name}
                if part.own
                else part.organization.name
            )
            yield (
                part.organization.code,
                name,
                *(cell.quantity for cell in row.cells),
                row.total.activities,
                row.total.money,
            )
        whole = figures["whole_total"]
        yield (
            "",
            _("Whole subtree"),
            *(cell.quantity for cell in figures["whole"]),
            whole.activities,
            whole.money,
        )

    filename = f"phong-trao-{movement.pk}-{org.code}"
    return export_response(
        request, filename_stem=filename, title=_("Movement"), headers=headers, rows=rows(), fmt=fmt
    )


__all__ = [
    "movement_create",
    "movement_delete",
    "movement_detail",
    "movement_edit",
    "movement_export",
    "movement_list",
    "movement_list_export",
    "movement_target_add",
    "movement_target_delete",
    "movement_target_edit",
]
