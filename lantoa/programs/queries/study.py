"""Attendance figures over a subtree and a year, computed from the attendance rows.

A rate is present / expected, where every attendance row is one member expected at one
session. Figures for a year count the tree as it stood at the end of that year
(`lantoa.orgs.history`), so that units moved or merged later still report where they were.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from lantoa.orgs.history import subtree_q_on
from lantoa.orgs.models import Membership, Organization, OrganizationKind
from lantoa.programs.models import Attendance, StudySession, Theme

CELL_KINDS = (OrganizationKind.CELL, OrganizationKind.BASE_CELL)
BASE_KINDS = (OrganizationKind.BASE_COMMITTEE, OrganizationKind.BASE_CELL)


@dataclass(frozen=True)
class Rate:
    """`done` out of `total`; the percent is None when there is nothing to count."""

    done: int
    total: int

    @property
    def percent(self) -> float | None:
        return None if not self.total else 100 * self.done / self.total


@dataclass(frozen=True)
class CellFigures:
    sessions: int
    present: int
    expected: int

    @property
    def rate(self) -> Rate:
        return Rate(self.present, self.expected)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def reference_day(year: int) -> datetime.date:
    """The day whose members count for a year: its last day, or today while it runs."""
    start, end = year_bounds(year)
    return max(start, min(end, timezone.localdate()))


def sessions_q(org: Organization, year: int, prefix: str = "") -> Q:
    """Sessions (at `prefix`) held in the year by cells of the organization's subtree."""
    start, end = year_bounds(year)
    return subtree_q_on(org, end, f"{prefix}organization__path") & Q(
        **{f"{prefix}date__gte": start, f"{prefix}date__lte": end}
    )


def attendance_rate(org: Organization, year: int) -> Rate:
    """Members present / members expected at the sessions of the subtree in the year."""
    figures = Attendance.objects.filter(sessions_q(org, year, "session__")).aggregate(
        total=Count("id"), done=Count("id", filter=Q(present=True))
    )
    return Rate(figures["done"], figures["total"])


def with_branch_rates(
    units: list[Organization], org: Organization, year: int
) -> list[Organization]:
    """The organization's direct sub-units, each with the `rate` of its subtree: one query
    (attendance rows grouped by the first steps of their cell's path)."""
    length = (org.depth + 1) * Organization.steplen
    grouped = (
        Attendance.objects.filter(sessions_q(org, year, "session__"))
        .annotate(branch=Substr("session__organization__path", 1, length))
        .values("branch")
        .annotate(total=Count("id"), done=Count("id", filter=Q(present=True)))
        .order_by()
    )
    rates = {row["branch"]: Rate(row["done"], row["total"]) for row in grouped}
    for unit in units:
        unit.rate = rates.get(unit.path, Rate(0, 0))
    return units


def active_in_year(year: int) -> Q:
    start, end = year_bounds(year)
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=start)
    )


def cells_in(org: Organization, year: int) -> QuerySet[Organization]:
    """The cells (and base cells) of the subtree that existed during the year."""
    _start, end = year_bounds(year)
    return Organization.objects.filter(
        subtree_q_on(org, end), active_in_year(year), kind__in=CELL_KINDS
    ).order_by("path")


def figures_by_cell(
    org: Organization, year: int, cell_ids: list[int] | None = None
) -> dict[int, CellFigures]:
    """Sessions, present and expected per cell of the subtree (or of the cells given)."""
    rows = Attendance.objects.filter(sessions_q(org, year, "session__"))
    if cell_ids is not None:
        rows = rows.filter(session__organization_id__in=cell_ids)
    grouped = (
        rows.values("session__organization_id")
        .annotate(
            sessions=Count("session_id", distinct=True),
            expected=Count("id"),
            present=Count("id", filter=Q(present=True)),
        )
        .order_by()
    )
    return {
        row["session__organization_id"]: CellFigures(
            row["sessions"], row["present"], row["expected"]
        )
        for row in grouped
    }


def with_figures(cells: list[Organization], org: Organization, year: int) -> list[Organization]:
    """The cells, each with `figures` (None when it held no session): one query."""
    figures = figures_by_cell(org, year, [cell.pk for cell in cells])
    for cell in cells:
        cell.figures = figures.get(cell.pk)
    return cells


def base_organizations(org: Organization, year: int) -> QuerySet[Organization]:
    _start, end = year_bounds(year)
    return Organization.objects.filter(
        subtree_q_on(org, end), active_in_year(year), kind__in=BASE_KINDS
    )


def study_coverage(org: Organization, year: int) -> tuple[int, int]:
    """Base organizations of the subtree that held a study session in the year / all."""
    bases = set(base_organizations(org, year).values_list("path", flat=True))
    held = (
        StudySession.objects.filter(sessions_q(org, year))
        .values_list("organization__path", flat=True)
        .distinct()
    )
    step = Organization.steplen
    reached = {path[:i] for path in held for i in range(step, len(path) + 1, step)}
    return len(reached & bases), len(bases)


def members_on_q(org: Organization, day: datetime.date) -> QuerySet[Membership]:
    return Membership.objects.filter(
        subtree_q_on(org, day, "organization__path"), start_date__lte=day
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


def attendance_coverage(org: Organization, year: int) -> tuple[int, int]:
    """Members of the subtree who attended at least one study session in the year / all.

    Members are those of the year's reference day (its last day, or today).
    """
    start, end = year_bounds(year)
    members = members_on_q(org, reference_day(year)).values("person_id")
    total = members.distinct().count()
    done = (
        Attendance.objects.filter(
            present=True,
            session__date__gte=start,
            session__date__lte=end,
            person_id__in=members,
        )
        .values("person_id")
        .distinct()
        .count()
    )
    return done, total


def themes_for(cell: Organization) -> QuerySet[Theme]:
    """Topics a cell may study: those kept by its own line of committees, or by nobody."""
    step = Organization.steplen
    paths = [cell.path[:i] for i in range(step, len(cell.path) + 1, step)]
    return Theme.objects.filter(
        Q(organization__isnull=True) | Q(organization__path__in=paths)
    ).order_by("-year", "title", "id")
