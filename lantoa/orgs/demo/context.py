"""What the orgs demo hands to the other apps' demos (`<app>.demo.load(ctx)`).

Every organization here is read back from the database after the 2019 merger, so paths
are those of today's tree; memberships (with their dates) are in the database.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.models import AbstractUser

from lantoa.orgs.demo.tree import UnitSpec
from lantoa.orgs.models import Organization, Person


@dataclass
class Unit:
    """A created base organization and the organizations its members sit in (its cells,
    or the base cell itself)."""

    spec: UnitSpec
    org: Organization
    leaves: list[Organization]


@dataclass(frozen=True)
class DemoContext:
    admin: AbstractUser  # the demo's system administrator: every demo action is theirs
    province: Organization  # Tỉnh ủy Cà Mau, the root of the tree
    committee: Organization  # Đảng bộ Dân Chính Đảng tỉnh Cà Mau
    enterprise_bloc: Organization  # Đảng bộ Khối Doanh nghiệp, merged on `merger_date`
    merger_date: datetime.date
    committee_units: tuple[Unit, ...]  # base organizations of the committee since 2015
    enterprise_units: tuple[Unit, ...]  # base organizations of the bloc until the merger
    people: tuple[Person, ...]  # everyone created, with their organization of today
    rng: random.Random  # the demo's one seeded generator: draw from it, in a fixed order

    @property
    def units(self) -> tuple[Unit, ...]:
        return self.committee_units + self.enterprise_units
