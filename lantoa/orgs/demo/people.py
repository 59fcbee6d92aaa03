"""Fictional party members: names, dates, positions, a membership and sometimes private data.

Everything is drawn from one `random.Random`, so the same seed gives the same people.
Objects are built unsaved, for bulk_create; keys are computed here since bulk_create
does not call Person.save().
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from lantoa.core.text import search_key
from lantoa.orgs.demo.names import random_name
from lantoa.orgs.demo.tree import HISTORY_START, JOBS, Sector
from lantoa.orgs.models import Gender, Membership, Organization, Person, PersonPrivate

BIRTH_FIRST = datetime.date(1960, 1, 1)
BIRTH_LAST = datetime.date(2000, 12, 31)
LATEST_BIRTH_OF_OFFICERS = datetime.date(1985, 12, 31)
LATEST_JOINING = datetime.date(2024, 6, 30)
CITIZEN_ID_PROVINCE = "096"  # Cà Mau's code in the 12-digit citizen ID
EMAIL_DOMAIN = "example.com"
CODE_PREFIX = "DV"  # personal codes DV000001, DV000002... in the order people are made


@dataclass
class Batch:
    """Unsaved people and their memberships and private data, ready for bulk_create."""

    people: list[Person] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    privates: list[PersonPrivate] = field(default_factory=list)


@dataclass(frozen=True)
class Placement:
    """Where a generated person goes and what they do."""

    organization: Organization
    sector: Sector
    male_share: float
    position: str = ""  # an office; empty for an ordinary member (a job of the sector)
    joined_before: datetime.date = LATEST_JOINING


def _random_date(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _years_after(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year + years, day=min(day.day, 28))


def _party_dates(
    rng: random.Random, birth: datetime.date, latest: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """Joining at 20–38 years old (`latest` at the latest); full membership a year later."""
    upper = min(_years_after(birth, 38), latest)
    joined = _random_date(rng, min(_years_after(birth, 20), upper), upper)
    official = joined + datetime.timedelta(days=365 + rng.randint(0, 45))
    return joined, official


def _birth_range(placement: Placement) -> tuple[datetime.date, datetime.date]:
    """Anyone from 1960 to 2000; people with an office (a position given) born by 1985."""
    latest = min(BIRTH_LAST, _years_after(placement.joined_before, -20))
    if placement.position:
        latest = min(latest, LATEST_BIRTH_OF_OFFICERS)
    return BIRTH_FIRST, latest


class PeopleFactory:
    """Makes unsaved people with unique private identifiers, from one seeded generator."""

    def __init__(self, rng: random.Random, private_share: float = 0.3) -> None:
        self.rng = rng
        self.private_share = private_share
        self.batch = Batch()
        self._citizen_ids: set[str] = set()
        self._phones: set[str] = set()
        self._emails: set[str] = set()
        self._made = 0

    def job(self, sector: Sector) -> str:
        jobs = JOBS[sector]
        return self.rng.choices(list(jobs), weights=list(jobs.values()))[0]

    def add(self, placement: Placement) -> Person:
        rng = self.rng
        gender = Gender.MALE if rng.random() < placement.male_share else Gender.FEMALE
        name = random_name(rng, gender)
        birth = _random_date(rng, *_birth_range(placement))
        joined, official = _party_dates(rng, birth, placement.joined_before)
        self._made += 1
        person = Person(
            code=f"{CODE_PREFIX}{self._made:06d}",  # stable: an exported list imports unchanged
            family_name=name.family,
            middle_name=name.middle,
            given_name=name.given,
            gender=gender,
            birth_date=birth,
            party_joined_on=joined,
            party_official_on=official,
            position=placement.position or self.job(placement.sector),
            organization=placement.organization,
        )
        person.refresh_keys()
        self.batch.people.append(person)
        if rng.random() < self.private_share:
            self.batch.privates.append(self._private(person))
        return person

    def memberships(self) -> list[Membership]:
        """One open membership per person (call after the people are saved)."""
        self.batch.memberships = [
            Membership(
                person=person,
                organization=person.organization,
                start_date=max(HISTORY_START, person.party_joined_on),
            )
            for person in self.batch.people
        ]
        return self.batch.memberships

    def _private(self, person: Person) -> PersonPrivate:
        return PersonPrivate(
            person=person,
            citizen_id=self._citizen_id(person),
            phone=self._unique(self._phones, lambda: f"09{self.rng.randrange(10**8):08d}"),
            email=self._email(person),
        )

    def _citizen_id(self, person: Person) -> str:
        """096 (Cà Mau), century and gender (0/1 for 19xx, 2/3 for 20xx), year, 6 digits."""
        birth = person.birth_date
        century = 0 if birth.year < 2000 else 2
        sex = 0 if person.gender == Gender.MALE else 1
        prefix = f"{CITIZEN_ID_PROVINCE}{century + sex}{birth.year % 100:02d}"
        return self._unique(self._citizen_ids, lambda: f"{prefix}{self.rng.randrange(10**6):06d}")

    def _email(self, person: Person) -> str:
        """The usual Vietnamese form: given name then initials, e.g. annv for Nguyễn Văn An."""
        initials = "".join(part[0] for part in f"{person.family_name} {person.middle_name}".split())
        base = search_key(f"{person.given_name}{initials}").replace(" ", "")
        candidate, n = base, 1
        while f"{candidate}@{EMAIL_DOMAIN}" in self._emails:
            n += 1
            candidate = f"{base}{n}"
        email = f"{candidate}@{EMAIL_DOMAIN}"
        self._emails.add(email)
        return email

    @staticmethod
    def _unique(seen: set[str], draw: Callable[[], str]) -> str:
        value = draw()
        while value in seen:
            value = draw()
        seen.add(value)
        return value
