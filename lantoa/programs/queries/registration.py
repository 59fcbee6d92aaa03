"""Read-side queries for unit models and personal commitments: coverage, lists, deadlines.

Every figure is counted from the records in a fixed number of queries whatever the size
of the subtree. The running year counts today's members and organizations; a past year
counts those of its last day, on the tree of that day (memberships and tree history).
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from lantoa.core.text import search_key
from lantoa.orgs.models import Organization, Person
from lantoa.orgs.queries import subtree_q
from lantoa.programs.models import (
    BASE_KINDS,
    Commitment,
    CommitmentDeadline,
    UnitModel,
)
from lantoa.programs.queries.study import base_organizations as base_organizations_of_year
from lantoa.programs.queries.study import members_on_q, year_bounds

STEPLEN = Organization.steplen
NOT_REGISTERED = "none"  # the status filter of people without a commitment for the year


def current_people(org: Organization) -> QuerySet[Person]:
    """Current (non-archived) people anywhere in the organization's subtree."""
    return Person.objects.filter(subtree_q(org.path, "organization__path"), archived=False)


def _is_past(year: int) -> bool:
    return year < timezone.localdate().year


def people_of_year(org: Organization, year: int) -> QuerySet[Person]:
    """Members of the subtree for a year: today's while it runs, else those of its last day."""
    if not _is_past(year):
        return current_people(org)
    _start, end = year_bounds(year)
    return Person.objects.filter(pk__in=members_on_q(org, end).values("person_id"))


def _with_year_commitment(people: QuerySet[Person], year: int) -> QuerySet[Person]:
    """People joined (LEFT JOIN, at most one row each) to their commitment for the year."""
    return people.annotate(
        year_commitment=FilteredRelation("commitments", condition=Q(commitments__year=year))
    )


def base_organizations(org: Organization, year: int | None = None) -> QuerySet[Organization]:
    """Base organizations (base committees and base cells) in the subtree: today's, or for a
    past year those that existed in it, on the tree of its last day."""
    if year is not None and _is_past(year):
        return base_organizations_of_year(org, year)
    return Organization.objects.filter(subtree_q(org.path), kind__in=BASE_KINDS, archived=False)


def _has_model(year: int) -> Exists:
    return Exists(UnitModel.objects.covering(year).filter(organization=OuterRef("pk")))


# --- coverage ----------------------------------------------------------------------------


def commitment_coverage(org: Organization, year: int) -> tuple[int, int]:
    """(members with a commitment for the year, members of the year) in the subtree."""
    totals = _with_year_commitment(people_of_year(org, year), year).aggregate(
        total=Count("id"), committed=Count("year_commitment__id")
    )
    return totals["committed"], totals["total"]


def model_coverage(org: Organization, year: int) -> tuple[int, int]:
    """(base organizations with a unit model covering the year, base organizations) in the
    subtree (the organization itself counts when it is a base organization)."""
    totals = (
        base_organizations(org, year)
        .order_by()
        .annotate(has_model=_has_model(year))
        .aggregate(total=Count("id"), covered=Count("id", filter=Q(has_model=True)))
    )
    return totals["covered"], totals["total"]


@dataclass
class CoverageRow:
    """Coverage figures of one branch: a child organization's subtree, or the people
    attached directly to the organization itself (`organization` is then None)."""

    organization: Organization | None
    committed: int = 0
    members: int = 0
    covered: int = 0
    bases: int = 0

    @staticmethod
    def _percent(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def commitment_percent(self) -> float | None:
        return self._percent(self.committed, self.members)

    @property
    def model_percent(self) -> float | None:
        return self._percent(self.covered, self.bases)


def _branch(org: Organization, field: str) -> Substr:
    """The path of the child of `org` a row lies under (the row's own path if shallower)."""
    return Substr(field, 1, (org.depth + 1) * STEPLEN)


def _commitments_by_branch(org: Organization, year: int) -> dict[str, tuple[int, int]]:
    rows = (
        _with_year_commitment(people_of_year(org, year), year)
        .annotate(branch=_branch(org, "organization__path"))
        .values("branch")
        .annotate(total=Count("id"), committed=Count("year_commitment__id"))
        .order_by()
    )
    return {row["branch"]: (row["committed"], row["total"]) for row in rows}


def _models_by_branch(org: Organization, year: int) -> dict[str, tuple[int, int]]:
    rows = (
        base_organizations(org, year)
        .annotate(branch=_branch(org, "path"), has_model=_has_model(year))
        .values("branch")
        .annotate(total=Count("id"), covered=Count("id", filter=Q(has_model=True)))
        .order_by()
    )
    return {row["branch"]: (row["covered"], row["total"]) for row in rows}


def coverage_by_child(org: Organization, year: int) -> tuple[list[CoverageRow], CoverageRow]:
    """One row per child organization (and one for people attached directly), and the
    total over the subtree; three queries in all."""
    people = _commitments_by_branch(org, year)
    models = _models_by_branch(org, year)
    children = Organization.objects.filter(subtree_q(org.path), depth=org.depth + 1).order_by(
        "archived", "path"
    )
    rows = []
    for child in children:
        row = CoverageRow(child, *people.get(child.path, (0, 0)), *models.get(child.path, (0, 0)))
        if not child.archived or row.members or row.bases:
            rows.append(row)
    own = CoverageRow(None, *people.get(org.path, (0, 0)), *models.get(org.path, (0, 0)))
    if own.members or own.bases:
        rows.insert(0, own)
    total = CoverageRow(
        org,
        sum(r.committed for r in rows),
        sum(r.members for r in rows),
        sum(r.covered for r in rows),
        sum(r.bases for r in rows),
    )
    return rows, total


# --- commitments -------------------------------------------------------------------------


def people_with_commitments(org: Organization, year: int, status: str = "") -> QuerySet[Person]:
    """Members of the subtree for the year, sorted by name, each with their commitment for
    the year (`commitment_id` is None for those who have not registered); one query."""
    people = (
        _with_year_commitment(people_of_year(org, year), year)
        .select_related("organization")
        .annotate(
            commitment_id=F("year_commitment__id"),
            commitment_status=F("year_commitment__status"),
            commitment_submitted_at=F("year_commitment__submitted_at"),
            commitment_self_result=F("year_commitment__self_result"),
            commitment_cell_result=F("year_commitment__cell_result"),
        )
    )
    if status == NOT_REGISTERED:
        people = people.filter(year_commitment__id__isnull=True)
    elif status:
        people = people.filter(year_commitment__status=status)
    return people.sorted()


def not_registered(org: Organization, year: int) -> QuerySet[Person]:
    """Members of the subtree for the year without a commitment for it."""
    return people_with_commitments(org, year, NOT_REGISTERED)


def commitment_of(person: Person, year: int) -> Commitment | None:
    return (
        Commitment.objects.filter(person=person, year=year)
        .select_related("organization", "person")
        .prefetch_related("items")
        .first()
    )


def deadline_for(org: Organization, year: int) -> CommitmentDeadline | None:
    """The deadline of the organization for the year, or of its nearest ancestor that has
    one (a cell without a deadline of its own takes the one set above it)."""
    paths = [org.path[:end] for end in range(STEPLEN, len(org.path) + 1, STEPLEN)]
    return (
        CommitmentDeadline.objects.filter(organization__path__in=paths, year=year)
        .select_related("organization")
        .order_by("-organization__depth")
        .first()
    )


# --- unit models -------------------------------------------------------------------------


def unit_models_filtered(
    models: QuerySet[UnitModel],
    *,
    text: str = "",
    year: int | None = None,
    status: str = "",
    org: Organization | None = None,
) -> QuerySet[UnitModel]:
    """Unit models matching a text (without diacritics), a year, a status and a subtree."""
    key = search_key(text)
    if key:
        models = models.filter(search_key__contains=key)
    if year is not None:
        models = models.covering(year)
    if status:
        models = models.filter(status=status)
    if org is not None:
        models = models.filter(subtree_q(org.path, "organization__path"))
    return models.select_related("organization", "responsible")
