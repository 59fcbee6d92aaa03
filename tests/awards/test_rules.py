"""Eligibility from history: the seeded rules checked against real records (ratings from
rating lists, awards from issued decisions, initiatives, discipline, good deeds)."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from lantoa.awards.models import (
    Award,
    AwardForm,
    Decision,
    DecisionKind,
    DecisionStatus,
    Discipline,
    EligibilityRule,
    VoteRule,
)
from lantoa.awards.queries.history import nominee_record
from lantoa.awards.rules import evaluate, evaluate_for
from lantoa.movements.models import RecognitionLevel
from lantoa.programs.models import Rating, RatingLevel, RatingList, RatingListStatus
from tests.awards.factories import make_nomination, make_round
from tests.factories import PersonFactory
from tests.movements.factories import make_deed, make_initiative

catalog = importlib.import_module("lantoa.awards.migrations.0002_catalog")

DAY_2020 = datetime.date(2020, 12, 10)  # the close of the vote of make_round's 2020 round
DAY_2024 = datetime.date(2024, 12, 10)
SCORES = {
    RatingLevel.EXCELLENT: Decimal("92"),
    RatingLevel.GOOD: Decimal("80"),
    RatingLevel.PASS: Decimal("60"),
    RatingLevel.FAIL: Decimal("40"),
}


# --- records, built as the pages build them ---------------------------------------------


def rate(person, year: int, level: str = RatingLevel.EXCELLENT, confirmed: bool = True):
    """A rating of the person in their organization's list of the year."""
    the_list, _ = RatingList.objects.get_or_create(
        organization=person.organization,
        year=year,
        defaults={
            "rated_on": datetime.date(year, 12, 15),
            "status": RatingListStatus.CONFIRMED if confirmed else RatingListStatus.DRAFT,
            "confirmed_at": timezone.now() if confirmed else None,
        },
    )
    return Rating.objects.create(list=the_list, person=person, score=SCORES[level], level=level)


def issue(org, symbol: str, date: datetime.date, round_=None, **fields) -> Decision:
    return Decision.objects.create(
        organization=org,
        round=round_,
        subject="Về việc khen thưởng",
        status=DecisionStatus.ISSUED,
        symbol=symbol,
        date=date,
        issued_at=timezone.now(),
        **fields,
    )


def award(nominee, code: str, year: int, symbol: str | None = None, **fields) -> Award:
    """An award for the year by an issued decision of 20/12 of that year."""
    org = nominee.organization if hasattr(nominee, "full_name") else nominee
    decision = issue(org, symbol or f"{year - 2000}-QĐ/ĐU", datetime.date(year, 12, 20))
    person = nominee if hasattr(nominee, "full_name") else None
    return Award.objects.create(
        decision=decision,
        person=person,
        collective=None if person else nominee,
        form=AwardForm.objects.get(code=code),
        **fields,
    )


@pytest.fixture
def seeded(db):
    """The catalog of migration 0002 (absent with --nomigrations), seeded the same way."""
    catalog.seed(apps, None)


@pytest.fixture
def member(tree, seeded):
    return PersonFactory(organization=tree.own_cell)


def form(code: str) -> AwardForm:
    return AwardForm.objects.get(code=code)


def texts(eligibility) -> str:
    return " | ".join([eligibility.summary, *(r.reason for r in eligibility)])


# --- the catalog ------------------------------------------------------------------------


def test_the_catalog_seeds_once_however_often_it_runs(seeded):
    counts = (
        AwardForm.objects.count(),
        EligibilityRule.objects.count(),
        VoteRule.objects.count(),
    )
    catalog.seed(apps, None)
    assert (
        AwardForm.objects.count(),
        EligibilityRule.objects.count(),
        VoteRule.objects.count(),
    ) == counts
    assert set(AwardForm.objects.values_list("code", flat=True)) >= {
        "bieu-duong",
        "giay-khen",
        "bang-khen",
        "lao-dong-tien-tien",
        "chien-si-thi-dua-co-so",
        "tap-the-lao-dong-tien-tien",
        "tap-the-lao-dong-xuat-sac",
    }
    rule = VoteRule.objects.get(name="Quá nửa tổng số thành viên Hội đồng")
    assert (rule.quorum_percent, rule.approval_percent, rule.strictly_more, rule.base) == (
        50,
        50,
        True,
        "members",
    )
    # every rule says where it comes from, or that its source is not verified
    assert not EligibilityRule.objects.filter(source="").exists()


def test_every_form_for_people_bars_discipline_in_force(seeded):
    for award_form in AwardForm.objects.filter(for_people=True):
        for day in (DAY_2020, datetime.date(2025, 12, 1)):
            kinds = set(
                award_form.rules.filter(applies_to="person")
                .filter(catalog_valid_on(day))
                .values_list("criterion", flat=True)
            )
            assert "no_discipline" in kinds, (award_form.code, day)


def catalog_valid_on(day):
    from lantoa.awards.models import valid_on_q

    return valid_on_q(day)


# --- rating streaks ---------------------------------------------------------------------


def test_five_excellent_years_running_meet_the_bang_khen(member):
    for year in range(2016, 2021):
        rate(member, year)
    with translation.override("en"):
        result = evaluate_for(member, form("bang-khen"), 2020, DAY_2020)
    assert result.met is True
    assert result.summary.startswith("Meets the criteria of “Bằng khen” for 2020")
    streak = next(r for r in result if r.rule.criterion == "rating_streak")
    assert streak.met
    assert "5 years running (2016–2020)" in streak.reason


def test_a_gap_in_the_five_years_is_named_in_the_reason(member):
    for year in (2016, 2017, 2019, 2020):
        rate(member, year)
    rate(member, 2018, RatingLevel.GOOD)
    with translation.override("en"):
        result = evaluate_for(member, form("bang-khen"), 2020, DAY_2020)
    streak = next(r for r in result if r.rule.criterion == "rating_streak")
    assert not streak.met
    assert "4 of the 5 years needed (2016–2017, 2019–2020)" in streak.reason
    assert "2018: rated “Completed tasks well”" in streak.reason
    assert result.met is False
    assert "Missing: Được xếp loại “Hoàn thành xuất sắc nhiệm vụ” 5 năm liền" in result.summary


def test_a_year_not_rated_yet_or_only_in_a_draft_list_does_not_count(member):
    for year in range(2016, 2020):
        rate(member, year)
    rate(member, 2020, confirmed=False)
    with translation.override("en"):
        result = evaluate_for(member, form("bang-khen"), 2020, DAY_2020)
    streak = next(r for r in result if r.rule.criterion == "rating_streak")
    assert not streak.met
    assert "(2016–2019)" in streak.reason
    assert "2020: not rated yet" in streak.reason


def test_at_least_good_counts_excellent_too(member):
    rate(member, 2020, RatingLevel.EXCELLENT)
    with translation.override("en"):
        result = evaluate_for(member, form("lao-dong-tien-tien"), 2020, DAY_2020)
    assert result.met is True
    other = PersonFactory(organization=member.organization)
    rate(other, 2020, RatingLevel.PASS)
    with translation.override("en"):
        result = evaluate_for(other, form("lao-dong-tien-tien"), 2020, DAY_2020)
    assert result.met is False
    assert "Rated “Completed tasks” for 2020, not “Completed tasks well” or better" in texts(result)


# --- validity of rules ------------------------------------------------------------------


def test_only_the_rules_in_force_on_the_decision_day_apply(member):
    rate(member, 2020)
    old = evaluate_for(member, form("giay-khen"), 2020, DAY_2020)
    new = evaluate_for(member, form("giay-khen"), 2025, datetime.date(2025, 12, 1))
    assert all("UNVERIFIED" in r.source for r in old)
    assert {r.source for r in new} == {catalog.SRC_HD06, catalog.SRC_ND152}
    # a rule not yet in force on the day is not applied
    EligibilityRule.objects.create(
        award_form=form("giay-khen"),
        applies_to="person",
        criterion="good_deed",
        params={"years": 1},
        description="Có việc tốt được ghi nhận",
        valid_from=datetime.date(2021, 1, 1),
    )
    assert evaluate_for(member, form("giay-khen"), 2020, DAY_2020).met is True
    after = evaluate_for(member, form("giay-khen"), 2021, datetime.date(2021, 12, 10))
    assert "Có việc tốt được ghi nhận" in [r.description for r in after]


def test_evaluate_uses_the_rounds_year_and_the_close_of_its_vote(tree, member):
    round_ = make_round(tree.root)
    nomination = make_nomination(round_, tree.own, person=member, proposed_form=form("bang-khen"))
    for year in range(2016, 2021):
        rate(member, year)
    result = evaluate(nomination)
    assert result.day == DAY_2020 and result.year == 2020
    assert result.met is True


# --- alternatives -----------------------------------------------------------------------


def test_chien_si_thi_dua_co_so_needs_lao_dong_tien_tien_and_one_of_the_alternatives(member):
    award(member, "lao-dong-tien-tien", 2024, symbol="40-QĐ/ĐU")
    rate(member, 2024, RatingLevel.EXCELLENT)
    with translation.override("en"):
        result = evaluate_for(member, form("chien-si-thi-dua-co-so"), 2024, DAY_2024)
    assert result.met is True
    assert "Of the alternatives, met: Hoàn thành xuất sắc nhiệm vụ trong năm" in result.summary
    ldtt = next(r for r in result if r.rule.criterion == "award_streak")
    assert "40-QĐ/ĐU of 20/12/2024" in ldtt.reason
    group = next(b for b in result.blocks if b.is_group)
    assert group.met and [r.met for r in group.results] == [True, False]


def test_no_alternative_met_is_missing_as_one_of(member):
    award(member, "lao-dong-tien-tien", 2024)
    rate(member, 2024, RatingLevel.GOOD)
    with translation.override("en"):
        result = evaluate_for(member, form("chien-si-thi-dua-co-so"), 2024, DAY_2024)
    assert result.met is False
    assert "one of: Hoàn thành xuất sắc nhiệm vụ trong năm / Có sáng kiến" in result.summary
    assert "No initiative or project on record up to 2024." in texts(result)


def test_an_initiative_recognized_at_base_level_is_an_alternative(tree, member):
    award(member, "lao-dong-tien-tien", 2024)
    rate(member, 2024, RatingLevel.GOOD)
    make_initiative(
        tree.own_cell,
        authors=[member],
        title="Số hóa hồ sơ",
        year=2023,
        level=RecognitionLevel.BASE,
        recognized_on=datetime.date(2023, 10, 1),
    )
    with translation.override("en"):
        result = evaluate_for(member, form("chien-si-thi-dua-co-so"), 2024, DAY_2024)
    assert result.met is True
    assert "“Số hóa hồ sơ”, recognized: Base level (2023)." in texts(result)


def test_before_the_2022_law_the_initiative_was_required(tree, member):
    award(member, "lao-dong-tien-tien", 2020)
    rate(member, 2020, RatingLevel.EXCELLENT)
    make_initiative(tree.own_cell, authors=[member], year=2020, level=RecognitionLevel.NONE)
    with translation.override("en"):
        result = evaluate_for(member, form("chien-si-thi-dua-co-so"), 2020, DAY_2020)
    assert result.met is False
    assert not any(b.is_group for b in result.blocks)
    assert "1 initiatives or projects on record, none recognized at “Base level”" in texts(result)


def test_a_revoked_award_or_a_draft_decision_does_not_count(tree, member):
    revoked = award(member, "lao-dong-tien-tien", 2024)
    revoked.revoked_by = Decision.objects.create(
        organization=tree.root,
        kind=DecisionKind.REVOCATION,
        refers_to=revoked.decision,
        subject="Thu hồi",
    )
    revoked.save()
    rate(member, 2024)
    with translation.override("en"):
        result = evaluate_for(member, form("chien-si-thi-dua-co-so"), 2024, DAY_2024)
    assert "No “Lao động tiên tiến” for 2024 on record." in texts(result)
    draft = Decision.objects.create(organization=tree.root, subject="Dự thảo")
    Award.objects.create(decision=draft, person=member, form=form("lao-dong-tien-tien"))
    assert evaluate_for(member, form("chien-si-thi-dua-co-so"), 2024, DAY_2024).met is False


# --- discipline -------------------------------------------------------------------------


def test_discipline_in_force_on_the_day_bars_every_form(member):
    rate(member, 2020)
    Discipline.objects.create(
        person=member,
        measure="Khiển trách",
        decided_on=datetime.date(2020, 3, 1),
        in_force_until=datetime.date(2021, 3, 1),
    )
    with translation.override("en"):
        result = evaluate_for(member, form("giay-khen"), 2020, DAY_2020)
    assert result.met is False
    assert "Khiển trách decided on 01/03/2020, in force until 01/03/2021." in texts(result)
    with translation.override("en"):
        result = evaluate_for(member, form("bieu-duong"), 2020, DAY_2020)
    assert result.met is False


def test_expired_discipline_or_one_decided_after_the_day_does_not_bar(member):
    rate(member, 2020)
    Discipline.objects.create(
        person=member,
        measure="Khiển trách",
        decided_on=datetime.date(2019, 3, 1),
        in_force_until=datetime.date(2020, 3, 1),
    )
    Discipline.objects.create(
        person=member, measure="Cảnh cáo", decided_on=datetime.date(2020, 12, 20)
    )
    with translation.override("en"):
        result = evaluate_for(member, form("giay-khen"), 2020, DAY_2020)
    assert result.met is True
    assert "the last one, Khiển trách of 01/03/2019, ended on 01/03/2020" in texts(result)


# --- good deeds and collectives ---------------------------------------------------------


def test_good_deeds_in_the_years_counted(tree, member):
    EligibilityRule.objects.create(
        award_form=form("bieu-duong"),
        applies_to="person",
        criterion="good_deed",
        params={"years": 2},
        description="Có việc tốt trong 2 năm",
    )
    with translation.override("en"):
        result = evaluate_for(member, form("bieu-duong"), 2020, DAY_2020)
    assert result.met is False
    assert "0 good deeds on record in 2019–2020; 1 needed." in texts(result)
    make_deed(
        tree.own_cell, person=member, title="Cứu người đuối nước", date=datetime.date(2019, 7, 1)
    )
    with translation.override("en"):
        result = evaluate_for(member, form("bieu-duong"), 2020, DAY_2020)
    assert result.met is True
    assert "the latest “Cứu người đuối nước” (01/07/2019)" in texts(result)


def test_a_collective_with_more_than_half_of_its_members_lao_dong_tien_tien(tree, seeded):
    people = PersonFactory.create_batch(3, organization=tree.own_cell)
    for person in people:
        rate(person, 2020, RatingLevel.GOOD)
    award(people[0], "lao-dong-tien-tien", 2020, symbol="20-QĐ/ĐU")
    with translation.override("en"):
        result = evaluate_for(tree.own_cell, form("tap-the-lao-dong-tien-tien"), 2020, DAY_2020)
    assert result.met is False
    assert "1 of 3 rated members (33,3%) awarded “Lao động tiên tiến” for 2020" in texts(result)
    assert "more than 50%" in texts(result)
    award(people[1], "lao-dong-tien-tien", 2020, symbol="21-QĐ/ĐU")
    assert evaluate_for(tree.own_cell, form("tap-the-lao-dong-tien-tien"), 2020, DAY_2020).met


def test_a_form_not_given_to_the_kind_of_nominee_is_refused(tree, member):
    with translation.override("en"):
        result = evaluate_for(tree.own_cell, form("lao-dong-tien-tien"), 2020, DAY_2020)
        assert result.met is False
        assert result.summary == "“Lao động tiên tiến” is given to individuals only."
        result = evaluate_for(tree.own_cell, form("bieu-duong"), 2020, DAY_2020)
    assert result.met is None  # no criteria recorded: the council judges from the record
    assert "No criteria of “Biểu dương” for collectives are recorded for 10/12/2020" in (
        result.summary
    )


# --- cost -------------------------------------------------------------------------------


def _queries(nomination) -> int:
    with CaptureQueriesContext(connection) as captured:
        result = evaluate(nomination)
        record = nominee_record(nomination)
        render_to_string("awards/_nominee_record.html", {"record": record, "eligibility": result})
    return len(captured)


def test_an_evaluation_runs_a_bounded_number_of_queries(tree, member):
    round_ = make_round(tree.root)
    nomination = make_nomination(
        round_, tree.own, person=member, proposed_form=form("chien-si-thi-dua-co-so")
    )
    rate(member, 2020)
    small = _queries(nomination)
    for year in range(2010, 2020):
        rate(member, year)
        award(member, "lao-dong-tien-tien", year, symbol=f"{year}-QĐ/ĐU")
        make_initiative(tree.own_cell, authors=[member], year=year, level=RecognitionLevel.BASE)
        make_deed(tree.own_cell, person=member, date=datetime.date(year, 5, 1))
        Discipline.objects.create(
            person=member,
            measure="Khiển trách",
            decided_on=datetime.date(year, 1, 1),
            in_force_until=datetime.date(year, 6, 1),
        )
    assert _queries(nomination) == small
    assert small <= 15


def test_the_record_and_the_check_read_well_for_staff(tree, member):
    round_ = make_round(tree.root)
    nomination = make_nomination(
        round_, tree.own, person=member, proposed_form=form("chien-si-thi-dua-co-so")
    )
    award(member, "lao-dong-tien-tien", 2020, symbol="33-QĐ/ĐU")
    for year in range(2018, 2021):
        rate(member, year)
    with translation.override("en"):
        record = nominee_record(nomination)
        html = render_to_string(
            "awards/_nominee_record.html",
            {"record": record, "eligibility": evaluate(nomination, facts=record.facts)},
        )
    assert "33-QĐ/ĐU" in html
    assert "✗ Not met" in html  # no initiative: required before the 2022 law
    assert "✓ Met" in html
    assert "Có sáng kiến (hoặc đề tài) được công nhận từ cấp cơ sở trở lên" in html
    assert "not rated yet" in html  # 2016 and 2017 in the five years shown
