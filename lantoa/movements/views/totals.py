"""Totals of the activity ledger by type, period and subtree: the page, with its table by
sub-unit and its chart of the years, and the same two tables as an Excel file.

Every figure comes from `lantoa.movements.queries.totals`; this module only chooses what to
ask (organization, period, movement) and lays the answers out.
"""

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from lantoa.core.pages import XLSX_TYPE
from lantoa.movements.models import ActivityType, Movement
from lantoa.movements.queries import totals as queries
from lantoa.movements.queries.totals import ZERO, Figures, Part, Period
from lantoa.orgs.models import Organization
from lantoa.orgs.queries import ancestors, subtree_q
from lantoa.orgs.rules import Perm, can, granted_paths
from lantoa.orgs.scope import current_scope
from lantoa.orgs.views.common import get_org
from lantoa.programs.models import Term

FIRST_YEAR = 2016  # where the chart of the years starts, unless a term or year says otherwise
CHART_YEARS = 30  # at most this many years in the chart
MOVEMENTS_LISTED = 200  # movements offered in the filter, the latest first

# The chart's geometry, in SVG user units (the SVG scales to its box).
STEP, BAR, PLOT, TOP, BOTTOM, SIDE = 44, 28, 100, 18, 20, 4


# --- what is asked -----------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """What the page shows: an organization's subtree, in a period, maybe for one movement."""

    org: Organization
    period: Period
    year: int | None = None
    term: Term | None = None
    movement: Movement | None = None


def _organization(request: HttpRequest) -> Organization:
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


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "").strip()
    if value.isdigit() and 1900 <= int(value) <= 2200:
        return int(value)
    return None


def _pk(value: str) -> int | None:
    """A primary key from the query string; None if it cannot be one."""
    return int(value) if value.isdigit() and len(value) <= 18 else None


def _term(request: HttpRequest) -> Term | None:
    value = request.GET.get("term", "").strip()
    if not value:
        return None
    pk = _pk(value)
    term = Term.objects.filter(pk=pk).first() if pk is not None else None
    if term is None:
        raise Http404
    return term


def movements_for(org: Organization) -> QuerySet[Movement]:
    """Movements whose activities can lie in the subtree: launched by the organization or an
    organization above it (sent down to it), or by one of its sub-units."""
    steplen = Organization.steplen
    above = [org.path[:i] for i in range(steplen, len(org.path) + 1, steplen)]
    return Movement.objects.filter(
        Q(organization__path__in=above) | subtree_q(org.path, "organization__path")
    )


def _movement(request: HttpRequest, org: Organization) -> Movement | None:
    value = request.GET.get("movement", "").strip()
    if not value:
        return None
    pk = _pk(value)
    movement = movements_for(org).filter(pk=pk).first() if pk is not None else None
    if movement is None:
        raise Http404
    return movement


def _choice(request: HttpRequest) -> Choice:
    org = _organization(request)
    movement = _movement(request, org)
    term = _term(request)
    if term is not None:  # a term, if chosen, wins over the year
        return Choice(org, Period(term.start_date, term.end_date), None, term, movement)
    year = _year(request)
    if year is not None:
        return Choice(org, Period.year(year), year, None, movement)
    return Choice(org, Period(), None, None, movement)


# --- what is shown -----------------------------------------------------------------------


def _types(totals: dict[int, Figures]) -> list[ActivityType]:
    """The types in use, and any type no longer in use that still has figures."""
    return list(ActivityType.objects.filter(Q(active=True) | Q(pk__in=list(totals))))


@dataclass(frozen=True)
class Row:
    """A row of the table by sub-unit: the part (None for the total) and its figures."""

    part: Part | None
    quantities: list[int]
    money: int


def _row(part: Part | None, by_type: dict[int, Figures], types: list[ActivityType]) -> Row:
    quantities = [by_type.get(kind.pk, ZERO).quantity for kind in types]
    return Row(part, quantities, queries.grand_total(by_type).money)


@dataclass(frozen=True)
class Bar:
    year: int
    value: int
    x: int
    y: int
    height: int
    middle: int
    chosen: bool

    @property
    def label_y(self) -> int:
        return self.y - 4


@dataclass(frozen=True)
class Chart:
    """One small bar chart: a type's quantity in each year."""

    type: ActivityType
    bars: list[Bar]
    width: int
    bar_width: int = BAR
    height: int = TOP + PLOT + BOTTOM
    baseline: int = TOP + PLOT
    year_y: int = TOP + PLOT + 15


def _years(choice: Choice) -> tuple[int, int]:
    """The years of the chart: the term's, or FIRST_YEAR to this year (and the chosen one)."""
    today = timezone.localdate()
    if choice.term is not None:
        first = choice.term.start_date.year
        last = (choice.term.end_date or today).year
    else:
        first = min(FIRST_YEAR, choice.year or FIRST_YEAR)
        last = max(today.year, choice.year or today.year)
    return max(first, last - CHART_YEARS + 1), last


def _chart(kind: ActivityType, values: list[tuple[int, int]], chosen: int | None) -> Chart:
    largest = max(value for _year, value in values) or 1
    bars = []
    for i, (year, value) in enumerate(values):
        height = round(value * PLOT / largest)
        if value and not height:
            height = 1
        x = SIDE + i * STEP + (STEP - BAR) // 2
        bars.append(Bar(year, value, x, TOP + PLOT - height, height, x + BAR // 2, year == chosen))
    return Chart(kind, bars, SIDE * 2 + STEP * len(values))


def _charts(choice: Choice, types: list[ActivityType]) -> tuple[int, int, list[Chart]]:
    first, last = _years(choice)
    years = queries.by_year(choice.org.path, first, last, choice.movement)
    charts = []
    for kind in types:
        values = [(year, years[year].get(kind.pk, ZERO).quantity) for year in years]
        if any(years[year].get(kind.pk, ZERO).activities for year in years):
            charts.append(_chart(kind, values, choice.year))
    return first, last, charts


def _query(choice: Choice) -> str:
    """The page's query string, for the export link."""
    params = [f"org={choice.org.pk}"]
    if choice.term is not None:
        params.append(f"term={choice.term.pk}")
    elif choice.year is not None:
        params.append(f"year={choice.year}")
    if choice.movement is not None:
        params.append(f"movement={choice.movement.pk}")
    return "&".join(params)


def _period_query(choice: Choice) -> str:
    """The period and movement, for the links to sub-units (which add their ?org=)."""
    return _query(choice).partition("&")[2]


@login_required
def totals(request: HttpRequest) -> HttpResponse:
    """A subtree's figures by type in a period, by sub-unit, and year by year."""
    choice = _choice(request)
    org = choice.org
    by_type = queries.totals_by_type(org.path, choice.period, choice.movement)
    types = _types(by_type)
    parts = queries.breakdown(org, choice.period, choice.movement)
    first, last, charts = _charts(choice, types)
    context = {
        "asked": choice,
        "org": org,
        "ancestors": [a for a in ancestors(org) if can(request.user, Perm.VIEW_PROGRAMS, a)],
        "rows": [(kind, by_type.get(kind.pk, ZERO)) for kind in types],
        "total": queries.grand_total(by_type),
        "types": types,
        "parts": [_row(part, part.by_type, types) for part in parts],
        "parts_total": _row(None, by_type, types),
        "first_year": first,
        "last_year": last,
        "charts": charts,
        "terms": list(Term.objects.order_by("-start_date", "id")),
        "movements": list(movements_for(org).order_by("-start_date", "-id")[:MOVEMENTS_LISTED]),
        "query": _query(choice),
        "period_query": _period_query(choice),
        "can_export": can(request.user, Perm.EXPORT, org),
    }
    return render(request, "movements/totals/totals.html", context)


# --- the export --------------------------------------------------------------------------


def _xlsx(filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterator[Sequence[Any]]]]):
    """An XLSX download with one sheet per (title, headers, rows), header rows in bold."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=str(header))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append(list(row))
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def _period_slug(choice: Choice) -> str:
    if choice.term is not None:
        return slugify(f"nk-{choice.term.code}") or f"nk-{choice.term.pk}"
    if choice.year is not None:
        return str(choice.year)
    return "tat-ca"


def _type_rows(by_type: dict[int, Figures], types: list[ActivityType]) -> Iterator[tuple]:
    for kind in types:
        f = by_type.get(kind.pk, ZERO)
        figures = (f.activities, f.quantity, f.participants, f.beneficiaries, f.money)
        yield (kind.name, kind.unit, *figures)
    total = queries.grand_total(by_type)
    yield (
        _("Total"),
        "",
        total.activities,
        None,
        total.participants,
        total.beneficiaries,
        total.money,
    )


def _part_rows(rows: list[Row], total: Row) -> Iterator[tuple]:
    for row in rows:
        unit = row.part.organization
        label = _("Recorded on the organization itself") if row.part.own else unit.name
        yield (unit.code, label, *row.quantities, row.money)
    yield ("", _("Total"), *total.quantities, total.money)


@login_required
def totals_export(request: HttpRequest) -> HttpResponse:
    """The page's two tables as XLSX: figures by type, then quantities by sub-unit."""
    choice = _choice(request)
    org = choice.org
    if not can(request.user, Perm.EXPORT, org):
        raise Http404
    by_type = queries.totals_by_type(org.path, choice.period, choice.movement)
    types = _types(by_type)
    parts = queries.breakdown(org, choice.period, choice.movement)
    type_headers = [
        _("Activity type"),
        _("Unit"),
        _("Activities"),
        _("Quantity"),
        _("Participants"),
        _("Beneficiaries"),
        _("Money (đồng)"),
    ]
    part_headers = [
        _("Code"),
        _("Organization"),
        *(f"{kind.name} ({kind.unit})" for kind in types),
        _("Money (đồng)"),
    ]
    rows = [_row(part, part.by_type, types) for part in parts]
    filename = f"tong-hop-hoat-dong-{slugify(org.code) or org.pk}-{_period_slug(choice)}.xlsx"
    return _xlsx(
        filename,
        [
            (_("By activity type"), type_headers, _type_rows(by_type, types)),
            (_("By sub-unit"), part_headers, _part_rows(rows, _row(None, by_type, types))),
        ],
    )
