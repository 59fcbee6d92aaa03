"""The figures of the results dashboard (`lantoa.reports.figures.compute`), the same
numbers for the same organization and period."""

from dataclasses import asdict

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from lantoa.api.routers.common import answers, org_by_code
from lantoa.api.schemas import Error, StatisticsOut
from lantoa.awards.views.committee import top_organization
from lantoa.orgs.rules import Perm
from lantoa.reports import figures, periods
from lantoa.reports.views.dashboard import default_choice

router = Router(tags=["statistics"])

DATE = r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$"


def statistics_out(result: figures.Figures) -> StatisticsOut:
    data = asdict(result)
    data["models"]["named"] = [
        {"organization": organization, "title": title}
        for organization, title in result.models.named
    ]
    return StatisticsOut(**data)


@router.get("/statistics", response=answers(StatisticsOut, {400: Error}))
def statistics(
    request: HttpRequest,
    org: str | None = None,
    year: int | None = Query(None, ge=periods.YEAR_MIN, le=periods.YEAR_MAX),
    term: int | None = Query(None, ge=1, le=2**31 - 1, description="A term's id."),
    start: str | None = Query(None, alias="from", pattern=DATE, description="dd/mm/yyyy"),
    end: str | None = Query(None, alias="to", pattern=DATE, description="dd/mm/yyyy"),
):
    """Every figure of the dashboard for an organization's subtree (`org`, a code; by
    default the top of the account's reach) over a period: `term` (an id), `year`, or
    `from`/`to` (dd/mm/yyyy, both days included), in that order of precedence; by
    default the dashboard's own (the latest term in which the subtree commended anyone).
    An unreadable period answers 400 with the reason."""
    if org:
        unit = org_by_code(request, org, Perm.VIEW_PROGRAMS)
    else:
        unit = top_organization(request)
        if unit is None:
            raise Http404
    terms = list(periods.terms_for(unit))
    today = timezone.localdate()
    params = {
        "year": str(year) if year is not None else "",
        "term": str(term) if term is not None else "",
        "from": start or "",
        "to": end or "",
    }
    try:
        choice = periods.choose(params, terms, None, today)
    except periods.PeriodError as error:
        return Status(400, {"detail": str(error)})
    if choice is None:
        choice = default_choice(unit, terms, today)
    return statistics_out(figures.compute(unit, choice.period))
