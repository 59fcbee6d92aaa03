"""A nominee's record: past awards, yearly ratings, discipline, good deeds, initiatives —
what the council reads next to a nomination, and what the eligibility rules check.

The facts are loaded lazily, one query per kind of fact, so a page or an evaluation costs
a bounded number of queries whatever the length of the record.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from lantoa.awards.models import Award, DecisionStatus, Discipline, Nomination
from lantoa.movements.models import Activity, GoodDeed, Initiative
from lantoa.orgs.models import Organization, Person
from lantoa.orgs.queries import in_subtree_q, subtree_q
from lantoa.programs.models import Rating, RatingLevel, RatingListStatus

__all__ = [
    "CollectiveFacts",
    "NomineeRecord",
    "PersonFacts",
    "YearRating",
    "award_year",
    "awards_of_organization",
    "awards_of_person",
    "facts_for",
    "nominee_record",
]

RECORD_YEARS = 5  # the years of ratings and figures shown next to a nomination


def issued_awards() -> QuerySet[Award]:
    """Awards made by issued decisions, with what a history line shows."""
    return Award.objects.filter(decision__status=DecisionStatus.ISSUED).select_related(
        "form", "decision__organization", "decision__round", "revoked_by"
    )


def award_year(award: Award) -> int:
    """The year an award is for: its round's year, or the year of its decision."""
    decision = award.decision
    if decision.round_id is not None:
        return decision.round.year
    return decision.date.year if decision.date else 0


def _in_order(awards: QuerySet[Award]) -> list[Award]:
    rows = list(awards.order_by("-decision__date", "-decision_id", "position", "id"))
    for award in rows:
        award.year = award_year(award)
    return rows


def awards_of_person(person: Person) -> list[Award]:
    """A person's awards, latest first; revoked ones stay, marked by `revoked_by`."""
    return _in_order(issued_awards().filter(person=person))


def awards_of_organization(org: Organization) -> list[Award]:
    """The awards an organization received as a collective, latest first."""
    return _in_order(issued_awards().filter(collective=org))


class PersonFacts:
    """What the records say about a person up to a year (ratings, awards...) and on a day
    (discipline in force)."""

    is_person = True

    def __init__(
        self,
        person: Person,
        year: int,
        day: datetime.date,
        exclude_nomination: int | None = None,
    ) -> None:
        self.nominee = person
        self.year = year
        self.day = day
        self.exclude_nomination = exclude_nomination

    @cached_property
    def ratings(self) -> dict[int, str]:
        """Year → level, from confirmed rating lists only (the latest list of a year wins)."""
        rows = (
            Rating.objects.filter(
                person=self.nominee,
                list__status=RatingListStatus.CONFIRMED,
                list__year__lte=self.year,
            )
            .order_by("list__year", "list__rated_on", "list_id")
            .values_list("list__year", "level")
        )
        return dict(rows)

    @cached_property
    def awards(self) -> list[Award]:
        """Issued awards for the year or before (revoked ones included, marked)."""
        awards = issued_awards().filter(person=self.nominee)
        if self.exclude_nomination:
            awards = awards.exclude(nomination_id=self.exclude_nomination)
        return [a for a in _in_order(awards) if a.year <= self.year]

    @cached_property
    def disciplines(self) -> list[Discipline]:
        rows = list(Discipline.objects.filter(person=self.nominee, decided_on__lte=self.day))
        for row in rows:
            row.in_force = row.in_force_until is None or row.in_force_until >= self.day
        return rows

    @cached_property
    def initiatives(self) -> list[Initiative]:
        """Initiatives and projects the person is an author of, up to the year."""
        rows = Initiative.objects.filter(authors=self.nominee, year__lte=self.year).order_by(
            "-year", "title", "id"
        )
        return list(rows.distinct())

    @cached_property
    def good_deeds(self) -> list[GoodDeed]:
        return list(GoodDeed.objects.filter(person=self.nominee, date__year__lte=self.year))


class CollectiveFacts:
    """What the records say about an organization (as a collective) up to a year."""

    is_person = False

    def __init__(
        self,
        org: Organization,
        year: int,
        day: datetime.date,
        exclude_nomination: int | None = None,
    ) -> None:
        self.nominee = org
        self.year = year
        self.day = day
        self.exclude_nomination = exclude_nomination

    @cached_property
    def awards(self) -> list[Award]:
        awards = issued_awards().filter(collective=self.nominee)
        if self.exclude_nomination:
            awards = awards.exclude(nomination_id=self.exclude_nomination)
        return [a for a in _in_order(awards) if a.year <= self.year]

    @property
    def disciplines(self) -> list[Discipline]:
        return []  # discipline is on a person's record

    @cached_property
    def initiatives(self) -> list[Initiative]:
        """Initiatives of the organization and its units, up to the year."""
        rows = Initiative.objects.filter(
            in_subtree_q(self.nominee.path), year__lte=self.year
        ).order_by("-year", "title", "id")
        return list(rows)

    @cached_property
    def good_deeds(self) -> list[GoodDeed]:
        return list(GoodDeed.objects.filter(collective=self.nominee, date__year__lte=self.year))

    @cached_property
    def activities_by_year(self) -> dict[int, int]:
        rows = (
            Activity.objects.filter(in_subtree_q(self.nominee.path), date__year__lte=self.year)
            .annotate(y=ExtractYear("date"))
            .values("y")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("y", "n")
        )
        return dict(rows)

    @cached_property
    def member_ratings(self) -> dict[int, str]:
        """Person → level in the year, from the confirmed rating lists of the subtree."""
        rows = (
            Rating.objects.filter(
                subtree_q(self.nominee.path, "list__organization__path"),
                list__status=RatingListStatus.CONFIRMED,
                list__year=self.year,
            )
            .order_by("list__rated_on", "list_id")
            .values_list("person_id", "level")
        )
        return dict(rows)

    @cached_property
    def present_members(self) -> set[int]:
        """Members now in the subtree: the base of shares when nobody was rated."""
        return set(
            Person.objects.filter(
                subtree_q(self.nominee.path, "organization__path"), archived=False
            ).values_list("pk", flat=True)
        )

    @cached_property
    def member_awards(self) -> dict[str, set[int]]:
        """Form code → the members (rated in the year, or now in the subtree) awarded it
        for the year, by issued decisions not revoked."""
        members = Q(person__ratings__list__year=self.year) & subtree_q(
            self.nominee.path, "person__ratings__list__organization__path"
        )
        members |= subtree_q(self.nominee.path, "person__organization__path")
        rows = (
            Award.objects.filter(
                members,
                decision__status=DecisionStatus.ISSUED,
                revoked_by__isnull=True,
            )
            .filter(
                Q(decision__round__year=self.year)
                | Q(decision__round__isnull=True, decision__date__year=self.year)
            )
            .values_list("form__code", "person_id")
            .distinct()
        )
        found: dict[str, set[int]] = defaultdict(set)
        for code, person_id in rows:
            found[code].add(person_id)
        return found


Facts = PersonFacts | CollectiveFacts


def facts_for(
    nominee: Person | Organization,
    year: int,
    day: datetime.date,
    exclude_nomination: int | None = None,
) -> Facts:
    if isinstance(nominee, Person):
        return PersonFacts(nominee, year, day, exclude_nomination)
    return CollectiveFacts(nominee, year, day, exclude_nomination)


def decision_day(nomination: Nomination) -> datetime.date:
    """The day a nomination is judged on: the close of its round's vote."""
    return nomination.round.voting_closes


@dataclass
class YearRating:
    year: int
    level: str  # "" when not rated (no confirmed list)

    @property
    def label(self) -> str:
        return RatingLevel(self.level).label if self.level else ""


@dataclass
class YearFigures:
    year: int
    activities: int
    initiatives: int
    good_deeds: int


@dataclass
class NomineeRecord:
    nomination: Nomination
    facts: Facts
    awards: list[Award] = field(default_factory=list)
    ratings: list[YearRating] = field(default_factory=list)
    disciplines: list[Discipline] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    good_deeds: list[GoodDeed] = field(default_factory=list)
    figures: list[YearFigures] = field(default_factory=list)

    @property
    def is_person(self) -> bool:
        return self.facts.is_person

    @property
    def year(self) -> int:
        return self.facts.year

    @property
    def day(self) -> datetime.date:
        return self.facts.day


def _rating_years(facts: PersonFacts) -> list[YearRating]:
    """The last RECORD_YEARS years (not rated ones shown as such) and any earlier ones."""
    recent = range(facts.year, facts.year - RECORD_YEARS, -1)
    earlier = sorted((y for y in facts.ratings if y <= facts.year - RECORD_YEARS), reverse=True)
    return [YearRating(y, facts.ratings.get(y, "")) for y in [*recent, *earlier]]


def _year_figures(facts: CollectiveFacts) -> list[YearFigures]:
    initiatives: dict[int, int] = defaultdict(int)
    for initiative in facts.initiatives:
        initiatives[initiative.year] += 1
    deeds: dict[int, int] = defaultdict(int)
    for deed in facts.good_deeds:
        deeds[deed.date.year] += 1
    return [
        YearFigures(y, facts.activities_by_year.get(y, 0), initiatives[y], deeds[y])
        for y in range(facts.year, facts.year - RECORD_YEARS, -1)
    ]


def nominee_record(nomination: Nomination) -> NomineeRecord:
    """The nominee's record as of the nomination's round (its own award left out)."""
    facts = facts_for(
        nomination.nominee, nomination.round.year, decision_day(nomination), nomination.pk
    )
    record = NomineeRecord(
        nomination=nomination,
        facts=facts,
        awards=facts.awards,
        initiatives=facts.initiatives,
        good_deeds=sorted(facts.good_deeds, key=lambda d: (d.date, d.pk), reverse=True),
    )
    if isinstance(facts, PersonFacts):
        record.ratings = _rating_years(facts)
        record.disciplines = facts.disciplines
    else:
        record.figures = _year_figures(facts)
    return record
