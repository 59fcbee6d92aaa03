"""The year-end quality rating: QĐ 366 bands at their boundaries, rules and caps as data
with validity dates, the cap check before confirming, and frozen confirmed lists."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from lantoa.core.models import AuditEntry
from lantoa.programs.models import (
    Rating,
    RatingCapSetting,
    RatingLevel,
    RatingList,
    RatingListStatus,
    RatingRule,
)
from lantoa.programs.services import rating as services
from lantoa.programs.services.rating import ScoreEntry
from tests.factories import MemberFactory

L = RatingLevel
YEAR = 2025
RATED_ON = datetime.date(2025, 12, 15)


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("0", L.FAIL),
        ("49.99", L.FAIL),
        ("50", L.PASS),
        ("69.99", L.PASS),
        ("70", L.GOOD),
        ("89.99", L.GOOD),
        ("90", L.EXCELLENT),
        ("100", L.EXCELLENT),
    ],
)
def test_qd366_bands_at_the_boundaries(db, score, level):
    assert services.level_for_score(Decimal(score), on=RATED_ON) == level


def test_a_disqualifying_condition_means_not_completed(db):
    assert services.level_for_score(95, on=RATED_ON, disqualified=True) == L.FAIL


def test_the_bands_are_data_with_validity_dates(db):
    RatingRule.objects.create(
        name="Quy định thử",
        valid_from=datetime.date(2030, 1, 1),
        excellent_min=95,
        good_min=75,
        pass_min=55,
    )
    assert services.level_for_score(92, on=RATED_ON) == L.EXCELLENT  # QĐ 366 still
    assert services.level_for_score(92, on=datetime.date(2030, 6, 1)) == L.GOOD
    assert services.level_for_score(54, on=datetime.date(2030, 6, 1)) == L.FAIL


# --- lists -------------------------------------------------------------------------------


def rating_list(tree, by, org=None) -> RatingList:
    return services.create_rating_list(
        by=by, organization=org or tree.own_cell, year=YEAR, rated_on=RATED_ON
    )


def members(tree, count):
    return MemberFactory.create_batch(count, organization=tree.own_cell)


def score_all(the_list, by, people, scores):
    entries = [ScoreEntry(p.pk, Decimal(s)) for p, s in zip(people, scores, strict=True)]
    return services.save_scores(the_list, entries, by=by)


def snapshot(the_list):
    the_list.refresh_from_db()
    ratings = sorted(Rating.objects.filter(list=the_list).values_list("person_id", "level"))
    return the_list.status, the_list.confirmed_at, ratings, AuditEntry.objects.count()


def test_levels_follow_the_scores(tree, committee_staff):
    people = members(tree, 4)
    the_list = rating_list(tree, committee_staff)
    score_all(the_list, committee_staff, people, ["90", "89.99", "50", "49.99"])
    levels = dict(Rating.objects.values_list("person_id", "level"))
    assert [levels[p.pk] for p in people] == [L.EXCELLENT, L.GOOD, L.PASS, L.FAIL]


def test_over_the_cap_cannot_be_confirmed_and_nothing_changes(tree, committee_staff):
    people = members(tree, 13)
    the_list = rating_list(tree, committee_staff)
    score_all(the_list, committee_staff, people, ["95"] * 3 + ["80"] * 10)
    check = services.cap_check(the_list)
    assert (check.excellent, check.good, check.allowed, check.over) == (3, 10, 2, True)
    excellent, good = "“Hoàn thành xuất sắc nhiệm vụ”", "“Hoàn thành tốt nhiệm vụ”"
    vietnamese = (
        f"3 đảng viên xếp loại {excellent}, tối đa được 2 "
        f"(bằng 20% của 10 đảng viên xếp loại {good})"
    )
    assert check.message() == vietnamese + "."
    with translation.override("en"):
        assert check.message() == "3 rated excellent, at most 2 allowed (20% of 10 rated good)."

    before = snapshot(the_list)
    with pytest.raises(ValidationError) as error:
        services.confirm_rating_list(the_list, by=committee_staff)
    assert vietnamese in error.value.messages[0]
    assert snapshot(the_list) == before
    assert before[0] == RatingListStatus.DRAFT


def test_under_the_cap_confirms_and_freezes(tree, committee_staff):
    people = members(tree, 12)
    the_list = rating_list(tree, committee_staff)
    score_all(the_list, committee_staff, people, ["95"] * 2 + ["80"] * 10)
    assert not services.cap_check(the_list).over
    services.confirm_rating_list(the_list, by=committee_staff)
    the_list.refresh_from_db()
    assert the_list.status == RatingListStatus.CONFIRMED
    assert the_list.confirmed_by == committee_staff and the_list.confirmed_at

    with pytest.raises(ValidationError):
        score_all(the_list, committee_staff, people[:1], ["50"])
    with pytest.raises(ValidationError):
        services.update_rating_list(the_list, by=committee_staff, rated_on=RATED_ON)
    with pytest.raises(ValidationError):
        services.confirm_rating_list(the_list, by=committee_staff)
    assert Rating.objects.get(person=people[0]).score == Decimal("95")


def test_nobody_rated_good_means_nobody_may_be_excellent(tree, committee_staff):
    people = members(tree, 2)
    the_list = rating_list(tree, committee_staff)
    score_all(the_list, committee_staff, people, ["91", "60"])
    check = services.cap_check(the_list)
    assert (check.allowed, check.over) == (0, True)
    with pytest.raises(ValidationError):
        services.confirm_rating_list(the_list, by=committee_staff)


def test_a_member_without_a_score_blocks_confirmation(tree, committee_staff):
    people = members(tree, 3)
    the_list = rating_list(tree, committee_staff)
    score_all(the_list, committee_staff, people[:2], ["80", "75"])
    with pytest.raises(ValidationError) as error:
        services.confirm_rating_list(the_list, by=committee_staff)
    assert "1" in error.value.messages[0]
    assert RatingList.objects.get().status == RatingListStatus.DRAFT


def test_a_past_year_is_confirmed_with_the_members_of_that_year(tree, committee_staff):
    people = members(tree, 2)
    newcomer = MemberFactory(organization=tree.own_cell)
    newcomer.memberships.update(start_date=datetime.date(YEAR + 1, 2, 1))
    the_list = rating_list(tree, committee_staff)
    score_all(the_list, committee_staff, people, ["80", "75"])
    services.confirm_rating_list(the_list, by=committee_staff)
    assert RatingList.objects.get().status == RatingListStatus.CONFIRMED


def test_a_cap_setting_with_validity_dates_changes_the_outcome(tree, committee_staff):
    people = members(tree, 13)
    the_list = rating_list(tree, committee_staff)
    score_all(the_list, committee_staff, people, ["95"] * 3 + ["80"] * 10)
    assert services.cap_check(the_list).over  # 20 %: at most 2

    # 30 % for the base organization's subtree, but only from 2026: not yet in force.
    setting = RatingCapSetting.objects.create(
        organization=tree.own, year=YEAR, cap_percent=30, valid_from=datetime.date(2026, 1, 1)
    )
    assert services.cap_check(the_list).over
    with pytest.raises(ValidationError):
        services.confirm_rating_list(the_list, by=committee_staff)

    # In force on the day of the rating: 3 ≤ 30 % of 10.
    setting.valid_from, setting.valid_to = datetime.date(2025, 11, 1), datetime.date(2025, 12, 31)
    setting.save()
    check = services.cap_check(the_list)
    assert (check.cap_percent, check.allowed, check.over) == (30, 3, False)

    # A setting nearer the list (the cell itself) wins over the one above it.
    RatingCapSetting.objects.create(organization=tree.own_cell, year=YEAR, cap_percent=10)
    assert services.cap_check(the_list).allowed == 1
    RatingCapSetting.objects.filter(organization=tree.own_cell).update(year=YEAR + 1)

    services.confirm_rating_list(the_list, by=committee_staff)
    assert RatingList.objects.get().status == RatingListStatus.CONFIRMED


def test_levels_are_rederived_by_the_rule_in_force_on_the_day_of_the_rating(tree, committee_staff):
    people = members(tree, 2)
    the_list = rating_list(tree, committee_staff)
    score_all(the_list, committee_staff, people, ["72", "80"])
    RatingRule.objects.create(
        name="Quy định mới", valid_from=datetime.date(2026, 1, 1), good_min=75, pass_min=50
    )
    services.update_rating_list(the_list, by=committee_staff, rated_on=datetime.date(2026, 1, 10))
    levels = dict(Rating.objects.values_list("person_id", "level"))
    assert levels == {people[0].pk: L.PASS, people[1].pk: L.GOOD}
    entry = AuditEntry.objects.get(verb="programs.rating.level_derived")
    assert entry.changes == {"level": ["good", "pass"]}


def test_scores_are_saved_all_or_nothing(tree, committee_staff):
    people = members(tree, 2)
    outsider = MemberFactory(organization=tree.other_cell)
    the_list = rating_list(tree, committee_staff)
    entries = [ScoreEntry(people[0].pk, Decimal("80")), ScoreEntry(outsider.pk, Decimal("80"))]
    with pytest.raises(ValidationError) as error:
        services.save_scores(the_list, entries, by=committee_staff)
    assert set(error.value.error_dict) == {f"score_{outsider.pk}"}
    entries = [ScoreEntry(people[0].pk, Decimal("80")), ScoreEntry(people[1].pk, Decimal("101"))]
    with pytest.raises(ValidationError):
        services.save_scores(the_list, entries, by=committee_staff)
    assert Rating.objects.count() == 0

    score_all(the_list, committee_staff, people, ["80", "70"])
    services.save_scores(the_list, [ScoreEntry(people[1].pk, None)], by=committee_staff)
    assert list(Rating.objects.values_list("person_id", flat=True)) == [people[0].pk]


def test_rating_permissions(tree, base_secretary, council_member):
    with pytest.raises(PermissionDenied):
        rating_list(tree, base_secretary, org=tree.other_cell)
    with pytest.raises(PermissionDenied):
        rating_list(tree, council_member)
    the_list = rating_list(tree, base_secretary)
    with pytest.raises(ValidationError):  # one list per organization and year
        rating_list(tree, base_secretary)
    with pytest.raises(PermissionDenied):
        services.confirm_rating_list(the_list, by=council_member)
    # organization staff rate their members but do not set the caps
    with pytest.raises(PermissionDenied):
        services.save_cap_setting(
            by=base_secretary, organization=tree.own, year=YEAR, cap_percent=Decimal("50")
        )


def test_the_day_of_the_rating_belongs_to_the_year(tree, committee_staff):
    with pytest.raises(ValidationError):
        services.create_rating_list(
            by=committee_staff,
            organization=tree.own_cell,
            year=YEAR,
            rated_on=datetime.date(2027, 1, 5),
        )
    assert RatingList.objects.count() == 0
