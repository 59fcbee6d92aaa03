"""The results dashboard: every figure of `lantoa.reports.figures.compute` for a subtree
and a period, in sections with tables and charts, each chart's numbers downloadable as
XLSX.

The page only chooses what to ask (an organization within the user's grants, a year, a
term or dates) and lays the answers out; the numbers all come from `compute`.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from lantoa.awards.views.committee import top_organization
from lantoa.core.pages import xlsx_response
from lantoa.core.text import nfc
from lantoa.orgs.models import Organization
from lantoa.orgs.queries import ancestors
from lantoa.orgs.rules import Perm, can
from lantoa.programs.models import Term
from lantoa.reports import figures as figures_module
from lantoa.reports import periods
from lantoa.reports.periods import PeriodChoice, PeriodError
from lantoa.reports.views import charts

__all__ = ["Asked", "asked_for", "dashboard", "dashboard_export", "default_choice"]

CHILDREN_LISTED = 300  # sub-units offered in the organization chooser


@dataclass(frozen=True)
class Asked:
    """What the page shows: an organization's subtree over a period."""

    org: Organization
    choice: PeriodChoice
    terms: list[Term]
    error: str = ""  # why the period asked for could not be read (the default is shown)

    @property
    def query(self) -> str:
        """The query string that asks for the same again (for the export links)."""
        return f"org={self.org.pk}&{self.choice.query()}"


def _organization(request: HttpRequest) -> Organization:
    """The organization asked for (?org=, an id or a code), or the working scope, or the
    top of the user's grants; 404 outside the grants."""
    value = nfc(request.GET.get("org", "")).strip()
    if value:
        if value.isdigit() and len(value) <= 18:
            org = Organization.objects.filter(pk=int(value)).first()
        else:
            org = Organization.objects.filter(code=value[:32].upper()).first()
        if org is None or not can(request.user, Perm.VIEW_PROGRAMS, org):
            raise Http404
        return org
    org = top_organization(request)
    if org is None:
        raise Http404
    return org


def default_choice(
    org: Organization, terms: list[Term], today: datetime.date | None = None
) -> PeriodChoice:
    """The latest term already begun in which the subtree commended anyone, else the
    latest term begun, else the current year."""
    today = today or timezone.localdate()
    begun = [term for term in terms if term.start_date <= today]  # latest first
    if not begun:
        return PeriodChoice(periods.year_period(today.year), year=today.year)
    spans = [periods.term_period(term, today) for term in begun]
    counts = figures_module.commended_totals(org, spans)
    for term, span, count in zip(begun, spans, counts, strict=True):
        if count:
            return PeriodChoice(span, term=term)
    return PeriodChoice(spans[0], term=begun[0])


def asked_for(request: HttpRequest) -> Asked:
    org = _organization(request)
    terms = list(periods.terms_for(org))
    today = timezone.localdate()
    try:
        choice = periods.choose(request.GET, terms, None, today)
    except PeriodError as error:
        return Asked(org, default_choice(org, terms, today), terms, str(error))
    if choice is None:
        choice = default_choice(org, terms, today)
    return Asked(org, choice, terms)


def _chooser(request: HttpRequest, org: Organization) -> list[tuple[Organization, int]]:
    """The organizations offered: the line above it (within the grants), itself, and its
    sub-units, each with its indent."""
    line = [unit for unit in ancestors(org) if can(request.user, Perm.VIEW_PROGRAMS, unit)]
    children = Organization.objects.filter(
        path__startswith=org.path, depth=org.depth + 1, archived=False
    ).order_by("path")[:CHILDREN_LISTED]
    top = line[0].depth if line else org.depth
    return [(unit, unit.depth - top) for unit in [*line, org, *children]]


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    asked = asked_for(request)
    figures = figures_module.compute(asked.org, asked.choice.period)
    built = {name: charts.build(name, figures) for name in charts.chart_names()}
    context = {
        "asked": asked,
        "org": asked.org,
        "figures": figures,
        "c": figures.commendation,
        "charts": built,
        "chooser": [(unit, "— " * indent) for unit, indent in _chooser(request, asked.org)],
        "can_export": can(request.user, Perm.EXPORT, asked.org),
    }
    return render(request, "reports/dashboard.html", context)


def _period_slug(choice: PeriodChoice) -> str:
    if choice.term is not None:
        return slugify(f"nk-{choice.term.code}") or f"nk-{choice.term.pk}"
    if choice.year is not None:
        return str(choice.year)
    start, end = choice.period.start, choice.period.end
    return f"{start:%Y%m%d}-{end:%Y%m%d}"


@login_required
@require_safe
def dashboard_export(request: HttpRequest) -> HttpResponse:
    """One chart's numbers as XLSX: Vietnamese headers, plain values."""
    name = request.GET.get("chart", "")
    if name not in charts.CHARTS:
        raise Http404
    asked = asked_for(request)
    if asked.error or not can(request.user, Perm.EXPORT, asked.org):
        raise Http404
    figures = figures_module.compute(asked.org, asked.choice.period)
    table = charts.table_of(name, figures)
    code = slugify(asked.org.code) or str(asked.org.pk)
    filename = f"ket-qua-{name}-{code}-{_period_slug(asked.choice)}.xlsx"
    return xlsx_response(filename, table.title, table.headers, table.rows)
