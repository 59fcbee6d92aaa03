"""The committee's page of commendation: the rounds it ran, its decisions, its ceremonies
counted per term, and per year how many were nominated, selected, commended and honored —
each figure a query over the records, individuals and collectives apart."""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from lantoa.awards.models import (
    Award,
    Ceremony,
    DecisionStatus,
    Nomination,
    NominationStatus,
    Round,
)
from lantoa.awards.services.ceremonies import ceremonies_per_term
from lantoa.awards.views.decisions import visible_decisions
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, can, granted_paths
from lantoa.orgs.scope import current_scope
from lantoa.orgs.views.common import get_org

__all__ = ["YearFigures", "committee", "top_organization", "yearly_figures"]

LISTED = 20  # rounds, decisions and ceremonies shown; the lists show the rest
S = NominationStatus
SELECTED = (S.SELECTED, S.COMMENDED, S.HONORED)
NOT_NOMINATED = (S.DRAFT, S.WITHDRAWN)


def top_organization(request: HttpRequest) -> Organization | None:
    """The working scope, else the top organization of the user's grants to view."""
    scope = current_scope(request)
    if scope is not None and can(request.user, Perm.VIEW_PROGRAMS, scope):
        return scope
    paths = granted_paths(request.user, Perm.VIEW_PROGRAMS)
    if not paths:
        return None
    if paths[0] == "":
        return Organization.get_first_root_node()
    return Organization.objects.filter(path=paths[0]).first()


@dataclass
class YearFigures:
    """One year: (collectives, individuals) nominated, selected, commended and honored."""

    year: int
    figures: dict[str, list[int]] = field(
        default_factory=lambda: {
            name: [0, 0] for name in ("nominated", "selected", "commended", "honored")
        }
    )

    def cells(self) -> list[int]:
        return [value for pair in self.figures.values() for value in pair]


_KINDS = {
    "collectives": Count("id", filter=Q(collective__isnull=False), distinct=True),
    "people": Count("id", filter=Q(person__isnull=False), distinct=True),
}


def _by_year(rows: QuerySet, year_field: str) -> dict[int, tuple[int, int]]:
    counted = rows.order_by().values(year_field).annotate(**_KINDS)
    return {row[year_field]: (row["collectives"], row["people"]) for row in counted}


def yearly_figures(organization: Organization) -> list[YearFigures]:
    """Per year, latest first: nominations of the organization's rounds submitted (not
    withdrawn) and selected by the council; awards of its issued decisions, not revoked
    (the year of the round, else of the decision) and those honored at a held ceremony."""
    nominations = Nomination.objects.filter(round__organization=organization).exclude(
        status__in=NOT_NOMINATED
    )
    awards = Award.objects.filter(
        decision__organization=organization,
        decision__status=DecisionStatus.ISSUED,
        revoked_by__isnull=True,
    ).annotate(year=Coalesce("decision__round__year", ExtractYear("decision__date")))
    counts = {
        "nominated": _by_year(nominations, "round__year"),
        "selected": _by_year(nominations.filter(status__in=SELECTED), "round__year"),
        "commended": _by_year(awards, "year"),
        "honored": _by_year(awards.filter(ceremonies__held=True), "year"),
    }
    years: dict[int, YearFigures] = {}
    for name, by_year in counts.items():
        for year, pair in by_year.items():
            if year is None:
                continue
            years.setdefault(year, YearFigures(year)).figures[name] = list(pair)
    return [years[year] for year in sorted(years, reverse=True)]


def _rounds(organization: Organization) -> list[Round]:
    return list(
        Round.objects.filter(organization=organization)
        .annotate(
            nominated=Count("nominations", filter=~Q(nominations__status__in=NOT_NOMINATED)),
            selected=Count("nominations", filter=Q(nominations__status__in=SELECTED)),
        )
        .order_by("-year", "-id")[:LISTED]
    )


@login_required
def committee(request: HttpRequest, org_pk: int | None = None) -> HttpResponse:
    if org_pk is None:
        organization = top_organization(request)
        if organization is None:
            raise Http404
    else:
        organization = get_org(request, org_pk, Perm.VIEW_PROGRAMS)
    decisions = (
        visible_decisions(request.user)
        .filter(organization=organization)
        .annotate(award_count=Count("awards"))
        .order_by("-date", "-id")[:LISTED]
    )
    ceremonies = (
        Ceremony.objects.filter(organization=organization)
        .annotate(honored_count=Count("honored"))
        .order_by("-date", "-id")[:LISTED]
    )
    context = {
        "organization": organization,
        "rounds": _rounds(organization),
        "decisions": list(decisions),
        "ceremonies": list(ceremonies),
        "per_term": ceremonies_per_term(organization),
        "years": yearly_figures(organization),
        "can_manage": can(request.user, Perm.MANAGE_ROUNDS, organization),
    }
    return render(request, "awards/committee.html", context)
