"""Activity totals by type, period and subtree, computed from the ledger at every request.

An activity counts once, under the organization that held it. A subtree's totals are
therefore the sum of its direct sub-units' totals and of the activities recorded on the
organization itself: `breakdown` returns exactly those parts, `totals_by_type` the whole.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, fields

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractYear, Substr

from lantoa.movements.models import Activity, Movement
from lantoa.orgs.models import Organization
from lantoa.orgs.queries import in_subtree_q

__all__ = [
    "Figures",
    "Part",
    "Period",
    "activities_in",
    "breakdown",
    "by_year",
    "grand_total",
    "totals_by_type",
]


@dataclass(frozen=True)
class Figures:
    """What a set of activities adds up to."""

    activities: int = 0
    quantity: int = 0
    money: int = 0
    participants: int = 0
    beneficiaries: int = 0

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def empty(self) -> bool:
        return self.activities == 0


ZERO = Figures()


@dataclass(frozen=True)
class Period:
    """A date range, both ends included; None leaves that end open."""

    start: datetime.date | None = None
    end: datetime.date | None = None

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    def filter(self, activities: QuerySet) -> QuerySet:
        if self.start is not None:
            activities = activities.filter(date__gte=self.start)
        if self.end is not None:
            activities = activities.filter(date__lte=self.end)
        return activities


def activities_in(
    path: str, period: Period = Period(), movement: Movement | None = None
) -> QuerySet:
    """Activities held in the subtree at `path` (all of them for ""), in the period."""
    activities = Activity.objects.all()
    if path:
        activities = activities.filter(in_subtree_q(path))
    if movement is not None:
        activities = activities.filter(movement=movement)
    return period.filter(activities)


_SUMS = {
    "n": Count("id"),
    "q": Coalesce(Sum("quantity"), 0),
    "m": Coalesce(Sum("money"), 0),
    "p": Coalesce(Sum("participants"), 0),
    "b": Coalesce(Sum("beneficiaries"), 0),
}


def _figures(row: dict) -> Figures:
    return Figures(row["n"], row["q"], row["m"], row["p"], row["b"])


def totals_by_type(
    path: str, period: Period = Period(), movement: Movement | None = None
) -> dict[int, Figures]:
    """Figures per activity type id (types with no activity are absent): one query."""
    rows = (
        activities_in(path, period, movement)
        .order_by()
        .values("activity_type_id")
        .annotate(**_SUMS)
    )
    return {row["activity_type_id"]: _figures(row) for row in rows}


def grand_total(by_type: dict[int, Figures]) -> Figures:
    return sum(by_type.values(), ZERO)


@dataclass
class Part:
    """One part of a subtree: a direct sub-unit (with its own subtree), or the
    organization itself (`own` True) for the activities recorded on it."""

    organization: Organization
    own: bool
    by_type: dict[int, Figures]

    @property
    def total(self) -> Figures:
        return grand_total(self.by_type)


def breakdown(
    org: Organization, period: Period = Period(), movement: Movement | None = None
) -> list[Part]:
    """The organization's own activities, then each direct sub-unit's subtree (archived
    ones included when they hold activities), in tree order: two queries."""
    width = len(org.path) + Organization.steplen
    rows = (
        activities_in(org.path, period, movement)
        .order_by()
        .annotate(branch=Substr("organization__path", 1, width))
        .values("branch", "activity_type_id")
        .annotate(**_SUMS)
    )
    by_branch: dict[str, dict[int, Figures]] = defaultdict(dict)
    for row in rows:
        by_branch[row["branch"]][row["activity_type_id"]] = _figures(row)
    children = Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1)
    parts = [Part(org, True, by_branch.get(org.path, {}))]
    for child in children.order_by("path"):
        if child.archived and child.path not in by_branch:
            continue
        parts.append(Part(child, False, by_branch.get(child.path, {})))
    return parts


def by_year(
    path: str, first: int, last: int, movement: Movement | None = None
) -> dict[int, dict[int, Figures]]:
    """Figures per year (first..last) and type id, for a chart of the years: one query."""
    whole_years = Period(datetime.date(first, 1, 1), datetime.date(last, 12, 31))
    rows = (
        activities_in(path, whole_years, movement)
        .order_by()
        .annotate(year=ExtractYear("date"))
        .values("year", "activity_type_id")
        .annotate(**_SUMS)
    )
    years: dict[int, dict[int, Figures]] = {year: {} for year in range(first, last + 1)}
    for row in rows:
        years[row["year"]][row["activity_type_id"]] = _figures(row)
    return years
