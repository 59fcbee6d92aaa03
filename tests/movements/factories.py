"""Factories for movements, activities, initiatives and good deeds (types come from the
seeding migration: look them up by code)."""

import datetime

from lantoa.movements.models import (
    Activity,
    ActivityType,
    BeneficiaryCategory,
    GoodDeed,
    Initiative,
    Movement,
    MovementTarget,
)
from lantoa.orgs.models import Organization, Person

BLOOD = "hien-mau"
HOUSES = "nha-vi-nguoi-ngheo"
GIFTS = "tham-tang-qua"
OTHER = "khac"


def activity_type(code: str = BLOOD) -> ActivityType:
    return ActivityType.objects.get(code=code)


def beneficiary_category(code: str = "gia-dinh-chinh-sach") -> BeneficiaryCategory:
    return BeneficiaryCategory.objects.get(code=code)


def make_movement(org: Organization, **fields) -> Movement:
    defaults = {
        "title": "Phong trào thi đua “Vì người nghèo”",
        "start_date": datetime.date(2016, 1, 1),
        "end_date": datetime.date(2020, 12, 31),
    }
    defaults.update(fields)
    return Movement.objects.create(organization=org, **defaults)


def make_target(movement: Movement, code: str = BLOOD, **fields) -> MovementTarget:
    defaults = {"quantity": 100}
    defaults.update(fields)
    return MovementTarget.objects.create(
        movement=movement, activity_type=activity_type(code), **defaults
    )


def make_activity(org: Organization, code: str = BLOOD, **fields) -> Activity:
    defaults = {
        "title": "Ngày hội hiến máu",
        "date": datetime.date(2019, 6, 14),
        "quantity": 10,
        "participants": 12,
        "money": 0,
    }
    defaults.update(fields)
    return Activity.objects.create(organization=org, activity_type=activity_type(code), **defaults)


def make_initiative(org: Organization, authors: list[Person] = (), **fields) -> Initiative:
    defaults = {"title": "Sáng kiến số hóa hồ sơ đảng viên", "year": 2019}
    defaults.update(fields)
    initiative = Initiative.objects.create(organization=org, **defaults)
    for position, person in enumerate(authors):
        initiative.authors.add(person, through_defaults={"position": position})
    return initiative


def make_deed(org: Organization, person: Person | None = None, **fields) -> GoodDeed:
    defaults = {
        "title": "Trả lại của rơi",
        "description": "Nhặt được ví và trả lại người đánh rơi.",
        "date": datetime.date(2019, 5, 19),
    }
    defaults.update(fields)
    collective = None if person is not None else fields.pop("collective", org)
    defaults.pop("collective", None)
    return GoodDeed.objects.create(
        organization=org, person=person, collective=collective, **defaults
    )
