"""The committee's page of commendation: the rounds it ran, its decisions, its ceremonies
counted per term, and per year how many were nominated, selected, commended and honored —
each figure a query over the records, individuals and collectives apart, counted by
`lantoa.reports.figures` (the results' one source)."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from lantoa.awards.models import (
    Ceremony,
    NominationStatus,
    Round,
)
from lantoa.awards.services.ceremonies import ceremonies_per_term
from lantoa.awards.views.decisions import visible_decisions
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, can, granted_paths
from lantoa.orgs.scope import current_scope
from lantoa.orgs.views.common import get_org
from lantoa.reports import figures

__all__ = ["YearFigures", "committee", "top_organization", "yearly_figures"]

LISTED = 20  # rounds, decisions and ceremonies shown; the lists show the rest
S = NominationStatus
SELECTED = figures.SELECTED  # as the results count them
NOT_NOMINATED = figures.NOT_NOMINATED


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


def yearly_figures(organization: Organization) -> list[YearFigures]:
    """Per year, latest first, the commendation figures of the organization's subtree as
    the results count them (`lantoa.reports.figures`, one source): nominations of rounds
    whose vote closed in the year, submitted and not withdrawn, and those selected by the
    council; awards of issued decisions dated in the year, not revoked; awards honored at a
    ceremony held in the year. Years without any of them are left out."""
    years = figures.commendation_years(organization)
    if years is None:
        return []
    first, last = years
    periods = [
        figures.Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        for year in range(first, last + 1)
    ]
    rows = []
    for period, counted in zip(
        periods, figures.commendation_by_periods(organization, periods), strict=True
    ):
        row = YearFigures(period.start.year)
        row.figures = {
            "nominated": [counted.nominated_collectives, counted.nominated_people],
            "selected": [counted.selected_collectives, counted.selected_people],
            "commended": [counted.commended_collectives, counted.commended_people],
            "honored": [counted.honored_collectives, counted.honored_people],
        }
        if any(row.cells()):
            rows.append(row)
    return rows[::-1]


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
