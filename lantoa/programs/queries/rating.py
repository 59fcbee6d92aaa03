"""Read-side queries for the year-end quality rating: the rule and cap in force, the rows of
a rating list with each member's commitment result, and the counts by level."""

import datetime
from decimal import Decimal

from django.db.models import Count, F, FilteredRelation, Q, QuerySet

from lantoa.orgs.models import Organization, Person
from lantoa.programs.models import (
    QD366_DEFAULTS,
    Rating,
    RatingCapSetting,
    RatingList,
    RatingRule,
)
from lantoa.programs.queries.registration import people_of_year

STEPLEN = Organization.steplen


def rule_in_force(day: datetime.date) -> RatingRule:
    """The stored rule valid on the day (the latest to begin), else QĐ 366's bands."""
    rule = RatingRule.objects.valid_on(day).order_by("-valid_from", "-id").first()
    return rule if rule is not None else RatingRule(**QD366_DEFAULTS)


def cap_setting_for(org: Organization, year: int, day: datetime.date) -> RatingCapSetting | None:
    """The cap setting for the organization's ratings of the year valid on the day: its own,
    else the nearest ancestor's."""
    paths = [org.path[:end] for end in range(STEPLEN, len(org.path) + 1, STEPLEN)]
    settings = RatingCapSetting.objects.filter(organization__path__in=paths, year=year)
    settings = settings.select_related("organization").order_by(
        "-organization__depth", F("valid_from").desc(nulls_last=True), "-id"
    )
    return next((setting for setting in settings if setting.valid_on(day)), None)


def cap_in_force(org: Organization, year: int, day: datetime.date) -> tuple[Decimal, str]:
    """The cap (% of those rated good) and where it comes from (a setting or the rule)."""
    setting = cap_setting_for(org, year, day)
    if setting is not None:
        return setting.cap_percent, str(setting)
    rule = rule_in_force(day)
    return rule.cap_percent, rule.name


def rated_people(rating_list: RatingList) -> QuerySet[Person]:
    """Who appears on the list: those rated, and (while a draft) every member of the
    organization's subtree in the list's year."""
    rated = Rating.objects.filter(list=rating_list).values("person_id")
    if rating_list.is_confirmed:
        return Person.objects.filter(pk__in=rated)
    members = people_of_year(rating_list.organization, rating_list.year).values("pk")
    return Person.objects.filter(Q(pk__in=members) | Q(pk__in=rated))


def rating_rows(rating_list: RatingList) -> QuerySet[Person]:
    """The people of a rating list, sorted by name, each with their rating (`rating_id` is
    None when not yet scored) and their commitment's results for the year; one query."""
    return (
        rated_people(rating_list)
        .select_related("organization")
        .annotate(
            list_rating=FilteredRelation("ratings", condition=Q(ratings__list=rating_list)),
            year_commitment=FilteredRelation(
                "commitments", condition=Q(commitments__year=rating_list.year)
            ),
        )
        .annotate(
            rating_id=F("list_rating__id"),
            rating_score=F("list_rating__score"),
            rating_level=F("list_rating__level"),
            rating_disqualified=F("list_rating__disqualified"),
            rating_note=F("list_rating__note"),
            commitment_id=F("year_commitment__id"),
            commitment_status=F("year_commitment__status"),
            commitment_self_result=F("year_commitment__self_result"),
            commitment_cell_result=F("year_commitment__cell_result"),
        )
        .sorted()
    )


def level_counts(rating_list: RatingList) -> dict[str, int]:
    rows = (
        Rating.objects.filter(list=rating_list)
        .values("level")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {row["level"]: row["count"] for row in rows}


def unrated_count(rating_list: RatingList) -> int:
    """Members of the organization's subtree in the list's year without a score on it."""
    rated = Rating.objects.filter(list=rating_list).values("person_id")
    people = people_of_year(rating_list.organization, rating_list.year)
    return people.exclude(pk__in=rated).count()
