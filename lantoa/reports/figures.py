"""Every figure of the results, computed from the records for a subtree and a period.

This module is the one source: the dashboard, the generated reports, the `stats` command
and the public honor roll's counts all call `compute` (or the functions below it), so they
cannot disagree. No total is stored anywhere.

The subtree is the organization's subtree **as it was on the period's last day**
(`lantoa.orgs.history.subtree_q_on`: units moved later still count where they were; the
enterprises merged in on 01/04/2019 count under the committee). `None` is the whole tree.
Both ends of a period are included. What each figure counts, and which organization
anchors a record in the subtree:

- **nominated**: nominations of rounds whose vote closes (`Round.voting_closes`) in the
  period, neither drafts nor withdrawn; a nomination belongs to the subtree of its
  nominating organization. **selected**: those of them chosen by the council (selected,
  then commended, then honored).
- **commended**: awards of issued decisions dated in the period, not revoked (a
  correction revokes the award it replaces and makes a new one, dated by the correction).
  An award belongs to the subtree when its decision's organization, its nomination's
  nominating organization, or its recipient (the collective, or the person's
  organization) lies in it: a committee counts what it decided, a base organization what
  it put forward and what its own people and cells received from above.
- **honored**: those awards (issued, not revoked, same anchors) honored at a ceremony
  held in the period, whoever held it. **ceremonies**: ceremonies held in the period by
  organizations of the subtree.
- **people / collectives**: a nomination or award of a person, or of an organization.
- **registration**: members on the period's last day (today if it has not come yet),
  those of them with a commitment for the last year of the period; ratings are those of
  the confirmed rating lists of the subtree for the latest year rated (`rated_on`) within
  the period; unit models of the subtree carried out during the period's years.
- **study**: sessions held in the period by organizations of the subtree, and their
  attendance rows (one per member expected).
- **pilots**: pilot organizations (làm điểm) of the plans issued by the period's end,
  when the plan's issuer or the pilot lies in the subtree; evaluated by the period's end.
- **models**: those unit models by status and evaluation result; `named` are the ones a
  published public story is about (the models the committee holds up as examples).
- **activities**: `lantoa.movements.queries.totals.totals_by_type` over the period (an
  activity counts once, under the organization that held it, on today's tree).

`compute` runs a fixed number of queries (about twenty, plus one per distinct day whose
tree is read), whatever the number of records.
"""

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from lantoa.awards.models import Award, Ceremony, DecisionStatus, Nomination, NominationStatus
from lantoa.movements.models import ActivityType
from lantoa.movements.queries import totals as activity_totals
from lantoa.orgs.history import subtree_q_on
from lantoa.orgs.models import Membership, Organization, Person
from lantoa.programs.models import (
    Attendance,
    Commitment,
    Pilot,
    PilotStatus,
    Rating,
    RatingListStatus,
    StudySession,
    UnitModel,
)

__all__ = [
    "NOT_NOMINATED",
    "SELECTED",
    "ActivityRow",
    "CommendationFigures",
    "Figures",
    "FormCount",
    "ModelFigures",
    "Period",
    "PilotFigures",
    "RegistrationFigures",
    "StudyFigures",
    "YearRow",
    "as_dict",
    "award_anchor_q",
    "ceremonies_held",
    "commendation_by_periods",
    "commendation_years",
    "commended_awards",
    "commended_q",
    "commended_totals",
    "compute",
    "year_slices",
]

S = NominationStatus
SELECTED = (S.SELECTED, S.COMMENDED, S.HONORED)  # chosen by the council
NOT_NOMINATED = (S.DRAFT, S.WITHDRAWN)  # never put to anyone


@dataclass(frozen=True)
class Period:
    """Both ends included."""

    start: datetime.date
    end: datetime.date
    label: str = ""


@dataclass
class FormCount:
    form: str  # the form's name, e.g. "Giấy khen"
    people: int = 0
    collectives: int = 0


@dataclass
class CommendationFigures:
    nominated_people: int = 0
    nominated_collectives: int = 0
    selected_people: int = 0
    selected_collectives: int = 0
    commended_people: int = 0
    commended_collectives: int = 0
    honored_people: int = 0
    honored_collectives: int = 0
    by_form: list[FormCount] = field(default_factory=list)  # commended, by form
    ceremonies: int = 0  # ceremonies held in the period by organizations of the subtree


@dataclass
class RegistrationFigures:
    members: int = 0  # members of the subtree on the period's last day
    with_commitment: int = 0  # of them, with a commitment for the period's last year
    coverage_percent: float | None = None
    ratings: dict[str, int] = field(default_factory=dict)  # RatingLevel value -> members
    models_registered: int = 0  # unit models of the subtree running in the period
    ratings_year: int | None = None  # the year of the ratings counted (None: none rated)


@dataclass
class StudyFigures:
    sessions: int = 0
    present: int = 0
    expected: int = 0
    attendance_percent: float | None = None


@dataclass
class PilotFigures:
    pilots: int = 0
    evaluated: int = 0
    names: list[str] = field(default_factory=list)


@dataclass
class ModelFigures:
    by_status: dict[str, int] = field(default_factory=dict)  # UnitModel status -> count
    named: list[tuple[str, str]] = field(default_factory=list)  # (organization, title)
    by_result: dict[str, int] = field(default_factory=dict)  # evaluation result -> count


@dataclass
class ActivityRow:
    code: str
    name: str
    unit: str
    activities: int = 0
    quantity: int = 0
    money: int = 0
    participants: int = 0
    beneficiaries: int = 0


@dataclass
class YearRow:
    """The commendation figures of one calendar year of the period (cut to the period)."""

    year: int
    nominated_people: int = 0
    nominated_collectives: int = 0
    selected_people: int = 0
    selected_collectives: int = 0
    commended_people: int = 0
    commended_collectives: int = 0
    honored_people: int = 0
    honored_collectives: int = 0
    ceremonies: int = 0


@dataclass
class Figures:
    organization: str  # the subtree's name ("" for the whole tree)
    organization_code: str
    period: Period
    commendation: CommendationFigures
    registration: RegistrationFigures
    study: StudyFigures
    pilots: PilotFigures
    models: ModelFigures
    activities: list[ActivityRow]
    years: list[YearRow] = field(default_factory=list)  # commendation, year by year


# --- the subtree of a day ------------------------------------------------------------------

Scope = Callable[[str], Q]


def _relabel(query: Q, field: str) -> Q:
    """The same filter on another path field: `path__startswith` → `{field}__startswith`."""
    children = []
    for child in query.children:
        if isinstance(child, Q):
            children.append(_relabel(child, field))
        else:
            key, value = child
            if not key.startswith("path"):
                raise ValueError(f"not a path filter: {key}")
            children.append((field + key[len("path") :], value))
    return Q(*children, _connector=query.connector, _negated=query.negated)


class _Scopes:
    """Filters "in the subtree as it was on a day", for any path field; the tree of each
    past day is read once (today and later: the tree as it stands, without a query)."""

    def __init__(self, org: Organization | None) -> None:
        self.org = org
        self._by_day: dict[datetime.date, Q] = {}

    def on(self, day: datetime.date) -> Scope:
        if self.org is None:
            return lambda _field: Q()
        if day not in self._by_day:
            if day >= timezone.localdate():  # today's tree is the tree as it stands
                self._by_day[day] = Q(path__startswith=self.org.path)
            else:
                self._by_day[day] = subtree_q_on(self.org, day)
        base = self._by_day[day]
        return lambda field: base if field == "path" else _relabel(base, field)


def _day_of(end: datetime.date | None) -> datetime.date:
    """The day whose tree counts: the period's end, or today for an open end."""
    return end if end is not None else timezone.localdate()


def _between(field: str, start: datetime.date | None, end: datetime.date | None) -> Q:
    query = Q()
    if start is not None:
        query &= Q(**{f"{field}__gte": start})
    if end is not None:
        query &= Q(**{f"{field}__lte": end})
    return query


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


PEOPLE = Q(person__isnull=False)
COLLECTIVES = Q(collective__isnull=False)


# --- commendation --------------------------------------------------------------------------


def award_anchor_q(scope: Scope) -> Q:
    """Awards of the subtree: by their decision's organization, their nomination's
    nominating organization, or their recipient."""
    return (
        scope("decision__organization__path")
        | scope("nomination__nominating_organization__path")
        | scope("collective__path")
        | scope("person__organization__path")
    )


def _valid_awards() -> QuerySet[Award]:
    """Awards of issued decisions, not revoked."""
    return Award.objects.filter(decision__status=DecisionStatus.ISSUED, revoked_by__isnull=True)


def commended_q(
    org: Organization | None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Q:
    """Awards (already issued and not revoked) of the subtree, with their decision dated in
    start..end (either end open): what "commended" counts."""
    scope = _Scopes(org).on(_day_of(end))
    return award_anchor_q(scope) & _between("decision__date", start, end)


def commended_awards(
    org: Organization | None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[Award]:
    """The awards counted as commended for the subtree and dates (either end open)."""
    return _valid_awards().filter(commended_q(org, start, end))


def ceremonies_held(
    org: Organization | None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[Ceremony]:
    """Ceremonies held in start..end (either end open) by organizations of the subtree."""
    scope = _Scopes(org).on(_day_of(end))
    return Ceremony.objects.filter(
        scope("organization__path"), _between("date", start, end), held=True
    )


def _honored_exists(period: Period) -> Exists:
    return Exists(
        Ceremony.objects.filter(
            honored=OuterRef("pk"), held=True, date__gte=period.start, date__lte=period.end
        )
    )


def commendation_by_periods(
    org: Organization | None, periods: list[Period]
) -> list[CommendationFigures]:
    """The commendation figures of the subtree for each period, in four queries (and one
    per distinct day whose tree is read)."""
    return _commendation(_Scopes(org), periods)


def _commendation(scopes: _Scopes, periods: list[Period]) -> list[CommendationFigures]:
    if not periods:
        return []
    on = [scopes.on(period.end) for period in periods]
    nominations: dict[str, Count] = {}
    awards: dict[str, Count] = {}
    forms: dict[str, Count] = {}
    ceremonies: dict[str, Count] = {}
    for i, (period, scope) in enumerate(zip(periods, on, strict=True)):
        voted = scope("nominating_organization__path") & _between(
            "round__voting_closes", period.start, period.end
        )
        chosen = voted & Q(status__in=SELECTED)
        anchored = award_anchor_q(scope)
        dated = anchored & _between("decision__date", period.start, period.end)
        honored = anchored & _honored_exists(period)
        for kind, who in (("p", PEOPLE), ("c", COLLECTIVES)):
            nominations[f"nominated_{kind}{i}"] = Count("id", filter=voted & who)
            nominations[f"selected_{kind}{i}"] = Count("id", filter=chosen & who)
            awards[f"commended_{kind}{i}"] = Count("id", filter=dated & who)
            awards[f"honored_{kind}{i}"] = Count("id", filter=honored & who)
            forms[f"{kind}{i}"] = Count("id", filter=dated & who)
        ceremonies[f"held{i}"] = Count(
            "id", filter=scope("organization__path") & _between("date", period.start, period.end)
        )
    counted = Nomination.objects.exclude(status__in=NOT_NOMINATED).aggregate(**nominations)
    counted |= _valid_awards().aggregate(**awards)
    counted |= Ceremony.objects.filter(held=True).aggregate(**ceremonies)
    form_rows = list(
        _valid_awards()
        .values("form_id", "form__name", "form__rank")
        .annotate(**forms)
        .order_by("form__rank", "form_id")
    )
    results = []
    for i in range(len(periods)):
        figures = CommendationFigures(
            nominated_people=counted[f"nominated_p{i}"],
            nominated_collectives=counted[f"nominated_c{i}"],
            selected_people=counted[f"selected_p{i}"],
            selected_collectives=counted[f"selected_c{i}"],
            commended_people=counted[f"commended_p{i}"],
            commended_collectives=counted[f"commended_c{i}"],
            honored_people=counted[f"honored_p{i}"],
            honored_collectives=counted[f"honored_c{i}"],
            ceremonies=counted[f"held{i}"],
        )
        figures.by_form = [
            FormCount(row["form__name"], row[f"p{i}"], row[f"c{i}"])
            for row in form_rows
            if row[f"p{i}"] or row[f"c{i}"]
        ]
        results.append(figures)
    return results


YEARS_AT_MOST = 60  # the years `commendation_years` spans, the latest ones


def commendation_years(org: Organization | None) -> tuple[int, int] | None:
    """The first and last years with a commendation figure for the subtree (on today's
    tree): a vote closed on its nominations, an award decided, a ceremony held; None if
    there is none. Three queries."""
    scope = _Scopes(org).on(timezone.localdate())
    days = []
    days += (
        Nomination.objects.exclude(status__in=NOT_NOMINATED)
        .filter(scope("nominating_organization__path"))
        .aggregate(first=Min("round__voting_closes"), last=Max("round__voting_closes"))
        .values()
    )
    days += (
        _valid_awards()
        .filter(award_anchor_q(scope))
        .aggregate(first=Min("decision__date"), last=Max("decision__date"))
        .values()
    )
    days += ceremonies_held(org).aggregate(first=Min("date"), last=Max("date")).values()
    years = [day.year for day in days if day is not None]
    if not years:
        return None
    last = max(years)
    return max(min(years), last - YEARS_AT_MOST + 1), last


def commended_totals(org: Organization | None, periods: list[Period]) -> list[int]:
    """How many awards (collectives and individuals) count as commended for the subtree in
    each period: one query (and one per distinct day whose tree is read)."""
    if not periods:
        return []
    scopes = _Scopes(org)
    counts = {
        f"n{i}": Count(
            "id",
            filter=award_anchor_q(scopes.on(period.end))
            & _between("decision__date", period.start, period.end),
        )
        for i, period in enumerate(periods)
    }
    counted = _valid_awards().aggregate(**counts)
    return [counted[f"n{i}"] for i in range(len(periods))]


def year_slices(period: Period) -> list[Period]:
    """The calendar years of the period, the first and the last cut to the period."""
    slices = []
    for year in range(period.start.year, period.end.year + 1):
        start = max(period.start, datetime.date(year, 1, 1))
        end = min(period.end, datetime.date(year, 12, 31))
        slices.append(Period(start, end, str(year)))
    return slices


def _year_row(year: int, figures: CommendationFigures) -> YearRow:
    values = {name: value for name, value in asdict(figures).items() if name != "by_form"}
    return YearRow(year=year, **values)


# --- registration, study, pilots, models ---------------------------------------------------


def _registration(scope: Scope, period: Period) -> RegistrationFigures:
    day = min(period.end, timezone.localdate())
    members = Membership.objects.filter(scope("organization__path"), start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    committed = Commitment.objects.filter(person=OuterRef("pk"), year=period.end.year)
    totals = (
        Person.objects.filter(pk__in=members.values("person_id"))
        .annotate(has_commitment=Exists(committed))
        .aggregate(total=Count("id"), committed=Count("id", filter=Q(has_commitment=True)))
    )
    figures = RegistrationFigures(
        members=totals["total"],
        with_commitment=totals["committed"],
        coverage_percent=_percent(totals["committed"], totals["total"]),
    )
    rated = Rating.objects.filter(
        scope("list__organization__path"),
        list__status=RatingListStatus.CONFIRMED,
        list__rated_on__gte=period.start,
        list__rated_on__lte=period.end,
    )
    year = rated.aggregate(year=Max("list__year"))["year"]
    if year is not None:
        rows = rated.filter(list__year=year).values("level").annotate(n=Count("id")).order_by()
        figures.ratings = {row["level"]: row["n"] for row in rows}
        figures.ratings_year = year
    return figures


def _running_models(scope: Scope, period: Period) -> QuerySet[UnitModel]:
    """Unit models of the subtree carried out during one of the period's years."""
    return UnitModel.objects.filter(
        scope("organization__path"), year_from__lte=period.end.year
    ).filter(Q(year_to__isnull=True) | Q(year_to__gte=period.start.year))


def _models(scope: Scope, period: Period) -> tuple[ModelFigures, int]:
    from lantoa.public.queries.site import published_stories

    running = _running_models(scope, period)
    by_status: dict[str, int] = {}
    by_result: dict[str, int] = {}
    total = 0
    for row in running.values("status", "result").annotate(n=Count("id")).order_by():
        total += row["n"]
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
        if row["result"]:
            by_result[row["result"]] = by_result.get(row["result"], 0) + row["n"]
    told = published_stories().filter(unit_model=OuterRef("pk"))
    named = (
        running.filter(Exists(told))
        .order_by("organization__path", "id")
        .values_list("organization__name", "title")
    )
    figures = ModelFigures(by_status=by_status, named=list(named), by_result=by_result)
    return figures, total


def _study(scope: Scope, period: Period) -> StudyFigures:
    held = scope("organization__path") & _between("date", period.start, period.end)
    sessions = StudySession.objects.filter(held).count()
    rows = Attendance.objects.filter(
        scope("session__organization__path"),
        session__date__gte=period.start,
        session__date__lte=period.end,
    ).aggregate(expected=Count("id"), present=Count("id", filter=Q(present=True)))
    return StudyFigures(
        sessions=sessions,
        present=rows["present"],
        expected=rows["expected"],
        attendance_percent=_percent(rows["present"], rows["expected"]),
    )


def _pilots(scope: Scope, period: Period) -> PilotFigures:
    pilots = (
        Pilot.objects.filter(
            scope("plan__issuer__path") | scope("organization__path"),
            Q(plan__issued_on__isnull=True) | Q(plan__issued_on__lte=period.end),
        )
        .order_by("organization__path", "plan_id", "id")
        .values_list("organization__name", "status", "evaluated_on")
    )
    figures = PilotFigures()
    for name, status, evaluated_on in pilots:
        figures.pilots += 1
        if status == PilotStatus.EVALUATED and (evaluated_on is None or evaluated_on <= period.end):
            figures.evaluated += 1
        if name not in figures.names:
            figures.names.append(name)
    return figures


def _activities(org: Organization | None, period: Period) -> list[ActivityRow]:
    by_type = activity_totals.totals_by_type(
        org.path if org is not None else "",
        activity_totals.Period(period.start, period.end),
    )
    types = ActivityType.objects.filter(Q(active=True) | Q(pk__in=list(by_type)))
    rows = []
    for kind in types.order_by("position", "id"):
        totals = by_type.get(kind.pk, activity_totals.ZERO)
        rows.append(
            ActivityRow(
                code=kind.code,
                name=kind.name,
                unit=kind.unit,
                activities=totals.activities,
                quantity=totals.quantity,
                money=totals.money,
                participants=totals.participants,
                beneficiaries=totals.beneficiaries,
            )
        )
    return rows


# --- all of them ---------------------------------------------------------------------------


def compute(organization: Organization | None, period: Period) -> Figures:
    """The figures of the subtree (the whole tree for None) over the period."""
    years = year_slices(period)
    scopes = _Scopes(organization)
    whole, *per_year = _commendation(scopes, [period, *years])
    scope = scopes.on(period.end)
    registration = _registration(scope, period)
    models, running = _models(scope, period)
    registration.models_registered = running
    return Figures(
        organization=organization.name if organization is not None else "",
        organization_code=organization.code if organization is not None else "",
        period=period,
        commendation=whole,
        registration=registration,
        study=_study(scope, period),
        pilots=_pilots(scope, period),
        models=models,
        activities=_activities(organization, period),
        years=[
            _year_row(piece.start.year, figures)
            for piece, figures in zip(years, per_year, strict=True)
        ],
    )


def as_dict(figures: Figures) -> dict[str, Any]:
    """Plain data for JSON (dates as dd/mm/yyyy)."""
    data = asdict(figures)
    data["period"] = {
        "start": figures.period.start.strftime("%d/%m/%Y"),
        "end": figures.period.end.strftime("%d/%m/%Y"),
        "label": figures.period.label,
    }
    return data
