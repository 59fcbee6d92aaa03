"""The period of a figure: a year, a term (programs `Term`) or a date range, parsed from
what a user or a script typed (dd/mm/yyyy dates) into a `figures.Period`.

Both ends of a period are included. A term still running (no end date) ends today.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.orgs.models import Organization
from lantoa.programs.models import Term
from lantoa.reports.figures import Period, year_slices

__all__ = [
    "YEAR_MAX",
    "YEAR_MIN",
    "PeriodChoice",
    "PeriodError",
    "choose",
    "date_text",
    "parse_date",
    "range_period",
    "term_period",
    "terms_for",
    "year_period",
    "year_slices",
]

YEAR_MIN, YEAR_MAX = 1930, 2200
DATE_FORMAT = "%d/%m/%Y"


class PeriodError(ValueError):
    """A period that cannot be read; the message says why, in the user's language."""


def date_text(day: datetime.date) -> str:
    return day.strftime(DATE_FORMAT)


def parse_date(text: str) -> datetime.date:
    """A dd/mm/yyyy date (d/m/yyyy accepted too)."""
    value = (text or "").strip()
    try:
        day = datetime.datetime.strptime(value, DATE_FORMAT).date()
    except ValueError as error:
        raise PeriodError(
            _("“%(value)s” is not a date: write it as dd/mm/yyyy, e.g. 15/05/2016.")
            % {"value": value}
        ) from error
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise PeriodError(
            _("“%(value)s” is not a date: write it as dd/mm/yyyy, e.g. 15/05/2016.")
            % {"value": value}
        )
    return day


def year_period(year: int) -> Period:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise PeriodError(
            _("The year must lie between %(low)s and %(high)s.")
            % {
                "low": YEAR_MIN,
                "high": YEAR_MAX,
            }
        )
    return Period(
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
        _("Year %(year)s") % {"year": year},
    )


def term_period(term: Term, today: datetime.date | None = None) -> Period:
    """The term's dates; a term still running ends today (or on its first day)."""
    end = term.end_date
    if end is None:
        end = max(term.start_date, today or timezone.localdate())
    return Period(term.start_date, end, term.name)


def range_period(start: datetime.date, end: datetime.date) -> Period:
    if end < start:
        raise PeriodError(
            _("The period ends (%(end)s) before it begins (%(start)s).")
            % {"start": date_text(start), "end": date_text(end)}
        )
    return Period(start, end, f"{date_text(start)} – {date_text(end)}")


def terms_for(org: Organization | None) -> QuerySet[Term]:
    """Terms a period may be chosen from: those of the issuers kept by the organization or
    the committees above it (the congresses that bound its work), and terms of no issuer;
    for the whole tree, every term. Latest first."""
    terms = Term.objects.select_related("issuer")
    if org is not None:
        step = Organization.steplen
        line = [org.path[:end] for end in range(step, len(org.path) + 1, step)]
        terms = terms.filter(Q(issuer__organization__path__in=line) | Q(issuer__isnull=True))
    return terms.order_by("-start_date", "id")


@dataclass(frozen=True)
class PeriodChoice:
    """The period a page shows and how it was chosen (to keep it in links)."""

    period: Period
    year: int | None = None
    term: Term | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None

    @property
    def kind(self) -> str:
        if self.term is not None:
            return "term"
        if self.year is not None:
            return "year"
        return "range"

    def query(self) -> str:
        """The query string that chooses this period again."""
        if self.term is not None:
            return f"term={self.term.pk}"
        if self.year is not None:
            return f"year={self.year}"
        return f"from={date_text(self.period.start)}&to={date_text(self.period.end)}"


def _year(text: str) -> int:
    value = text.strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 4:
        raise PeriodError(_("“%(value)s” is not a year.") % {"value": value})
    year = int(value)
    year_period(year)  # checks the bounds
    return year


def choose(
    params: Mapping[str, str],
    terms: list[Term],
    default: PeriodChoice | None,
    today: datetime.date | None = None,
) -> PeriodChoice | None:
    """The period asked for by `term=<pk>`, `year=<yyyy>` or `from=`/`to=` (dd/mm/yyyy; an
    end left empty is today, a start left empty the 1st of January of the end's year), in
    that order of precedence; `default` when none is given. Raises PeriodError."""
    today = today or timezone.localdate()
    term_value = (params.get("term") or "").strip()
    if term_value:
        term = next((t for t in terms if str(t.pk) == term_value), None)
        if term is None:
            raise PeriodError(_("This term is not one of the choices."))
        return PeriodChoice(term_period(term, today), term=term)
    year_value = (params.get("year") or "").strip()
    if year_value:
        year = _year(year_value)
        return PeriodChoice(year_period(year), year=year)
    start_text = (params.get("from") or "").strip()
    end_text = (params.get("to") or "").strip()
    if start_text or end_text:
        end = parse_date(end_text) if end_text else today
        start = parse_date(start_text) if start_text else datetime.date(end.year, 1, 1)
        return PeriodChoice(range_period(start, end), start=start, end=end)
    return default
