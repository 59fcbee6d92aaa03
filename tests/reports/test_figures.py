"""The figures of a subtree and a period (lantoa.reports.figures.compute), on a small world
made with the factories: what counts as nominated, selected, commended and honored, that
drafts, withdrawn nominations, draft decisions and revoked awards do not count, that both
ends of a period count, and that the subtree is the one of the period's last day (an
organization moved later still counts where it was)."""

import datetime
import importlib
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lantoa.awards.models import Award, Ceremony, Decision, DecisionStatus, NominationStatus
from lantoa.orgs import services as org_services
from lantoa.orgs.models import Organization
from lantoa.programs.models import (
    Attendance,
    Commitment,
    Pilot,
    PilotStatus,
    Plan,
    Rating,
    RatingList,
    RatingListStatus,
    StudySession,
    UnitModel,
    UnitModelStatus,
)
from lantoa.public.models import Story, StoryStatus
from lantoa.reports.figures import Period, as_dict, compute
from tests.awards.factories import award_form, make_nomination, make_round
from tests.factories import MemberFactory, PersonFactory, UserFactory, make_org
from tests.movements.factories import make_activity

D = datetime.date
S = NominationStatus
YEAR_2020 = Period(D(2020, 1, 1), D(2020, 12, 31), "2020")
_catalog = importlib.import_module("lantoa.movements.migrations.0002_catalog")


@pytest.fixture(autouse=True)
def movement_catalog(db) -> None:
    _catalog.seed(apps, None)


def decision(org: Organization, day: datetime.date | None, **fields) -> Decision:
    values = {
        "subject": "Về việc khen thưởng tập thể, cá nhân tiêu biểu",
        "symbol": f"{Decision.objects.count() + 1}-QĐ/ĐU",
        "date": day,
        "place": "Cà Mau",
        "status": DecisionStatus.ISSUED,
    }
    values.update(fields)
    if values["status"] == DecisionStatus.DRAFT:
        values["symbol"] = ""
    return Decision.objects.create(organization=org, **values)


def award(of: Decision, nomination=None, form: str = "giay-khen", **who) -> Award:
    if nomination is not None:
        who = {"person": nomination.person, "collective": nomination.collective}
    return Award.objects.create(decision=of, nomination=nomination, form=award_form(form), **who)


def ceremony(org: Organization, day: datetime.date, honored: list[Award], held: bool = True):
    held_one = Ceremony.objects.create(
        organization=org, title="Hội nghị tuyên dương", date=day, place="Cà Mau", held=held
    )
    held_one.honored.set(honored)
    return held_one


@dataclass
class World:
    tree: object
    awards: dict[str, Award]


@pytest.fixture
def world(tree) -> World:
    """A round of 2020 of the committee (its vote closes on 10/12/2020); nominations of
    every status by the own base organization and the other one; an issued decision of
    20/12/2020, one of 31/12/2020 and one of 01/01/2021, a draft, a revoked award; a
    ceremony held on 31/12/2020, one planned, one held on 01/01/2021."""
    round_ = make_round(tree.root)
    person = {
        name: PersonFactory(organization=tree.own_cell, given_name=name) for name in "ABCDEFG"
    }
    nominated = {
        name: make_nomination(round_, tree.own, person=person[name], status=status)
        for name, status in (
            ("A", S.SELECTED),
            ("B", S.COMMENDED),
            ("C", S.HONORED),
            ("D", S.NOT_SELECTED),
            ("E", S.DRAFT),
            ("F", S.WITHDRAWN),
            ("G", S.REJECTED),
        )
    }
    h = PersonFactory(organization=tree.other_cell, given_name="H")
    nominated["H"] = make_nomination(round_, tree.other, person=h, status=S.COMMENDED)
    nominated["own_cell"] = make_nomination(
        round_, tree.own, collective=tree.own_cell, status=S.SELECTED
    )
    nominated["own"] = make_nomination(round_, tree.own, collective=tree.own, status=S.COMMENDED)
    nominated["other_cell"] = make_nomination(
        round_, tree.other, collective=tree.other_cell, status=S.NOT_SELECTED
    )
    issued = decision(tree.root, D(2020, 12, 20), round=round_)
    last_day = decision(tree.root, D(2020, 12, 31))
    next_year = decision(tree.root, D(2021, 1, 1))
    draft = decision(tree.root, None, status=DecisionStatus.DRAFT)
    awards = {
        "B": award(issued, nominated["B"]),
        "C": award(issued, nominated["C"]),
        "H": award(issued, nominated["H"], form="bang-khen"),
        "own": award(issued, nominated["own"]),
        "other": award(last_day, collective=tree.other),
        "J": award(next_year, person=PersonFactory(organization=tree.own_cell, given_name="J")),
        "A": award(draft, nominated["A"]),
        "revoked": award(issued, person=PersonFactory(organization=tree.own_cell)),
    }
    revocation = decision(tree.root, D(2021, 2, 1), kind="revocation", refers_to=issued)
    awards["revoked"].revoked_by = revocation
    awards["revoked"].save(update_fields=["revoked_by"])
    ceremony(tree.root, D(2020, 12, 31), [awards["C"], awards["own"], awards["revoked"]])
    ceremony(tree.root, D(2020, 12, 30), [awards["B"]], held=False)
    ceremony(tree.root, D(2021, 1, 1), [awards["B"]])
    return World(tree, awards)


def test_the_committee_counts_every_stage(world):
    c = compute(world.tree.root, YEAR_2020).commendation

    # (collectives, individuals): drafts and withdrawn are not nominated; rejected are
    assert (c.nominated_collectives, c.nominated_people) == (3, 6)
    assert (c.selected_collectives, c.selected_people) == (2, 4)
    # no draft decision, no revoked award, nothing decided on 01/01/2021
    assert (c.commended_collectives, c.commended_people) == (2, 3)
    # the ceremony of 31/12/2020 (the revoked award is not counted, the planned one is not
    # held, the one of 01/01/2021 is outside)
    assert (c.honored_collectives, c.honored_people) == (1, 1)
    assert c.ceremonies == 1
    forms = {(row.form, row.collectives, row.people) for row in c.by_form}
    assert forms == {("Giấy khen", 2, 2), ("Bằng khen", 0, 1)}


def test_both_ends_of_a_period_count(world):
    root = world.tree.root
    one_day = compute(root, Period(D(2020, 12, 31), D(2020, 12, 31))).commendation
    assert (one_day.commended_collectives, one_day.commended_people) == (1, 0)
    assert one_day.ceremonies == 1 and one_day.honored_people == 1
    vote_day = compute(root, Period(D(2020, 12, 10), D(2020, 12, 10))).commendation
    assert (vote_day.nominated_collectives, vote_day.nominated_people) == (3, 6)
    after = compute(root, Period(D(2020, 12, 11), D(2020, 12, 19))).commendation
    assert (after.nominated_people, after.commended_people, after.ceremonies) == (0, 0, 0)
    new_year = compute(root, Period(D(2021, 1, 1), D(2021, 12, 31))).commendation
    assert (new_year.commended_collectives, new_year.commended_people) == (0, 1)
    assert (new_year.honored_people, new_year.ceremonies) == (1, 1)


def test_a_base_organization_counts_what_it_put_forward_and_received(world):
    own = compute(world.tree.own, YEAR_2020).commendation
    assert (own.nominated_collectives, own.nominated_people) == (2, 5)
    assert (own.selected_collectives, own.selected_people) == (2, 3)
    # B, C and its own collective: put forward by it (the committee decided)
    assert (own.commended_collectives, own.commended_people) == (1, 2)
    assert (own.honored_collectives, own.honored_people) == (1, 1)
    assert own.ceremonies == 0  # held by the committee, above it
    other = compute(world.tree.other, YEAR_2020).commendation
    assert (other.nominated_collectives, other.nominated_people) == (1, 1)
    # H (put forward by it) and the collective commended on 31/12 (its own recipient)
    assert (other.commended_collectives, other.commended_people) == (1, 1)


def test_the_whole_tree_is_the_sum_of_the_roots(world):
    everything = compute(None, YEAR_2020)
    assert everything.organization == "" and everything.organization_code == ""
    assert (
        as_dict(everything)["commendation"]
        == as_dict(compute(world.tree.root, YEAR_2020))["commendation"]
    )


def test_years_split_the_period(world):
    figures = compute(world.tree.root, Period(D(2020, 6, 1), D(2021, 3, 1)))
    rows = {row.year: row for row in figures.years}
    assert list(rows) == [2020, 2021]
    assert (rows[2020].commended_collectives, rows[2020].commended_people) == (2, 3)
    assert (rows[2021].commended_collectives, rows[2021].commended_people) == (0, 1)
    assert figures.commendation.commended_people == 4


def test_an_organization_moved_later_counts_where_it_was(tree):
    """An enterprise's base organization nominated in 2019 under another bloc, then moved
    under the committee on 01/04/2020."""
    bloc = make_org(code="KDN", name="Đảng bộ Khối Doanh nghiệp tỉnh")
    enterprise = make_org(bloc, code="PCCM", name="Đảng bộ Công ty Điện lực Cà Mau")
    round_ = make_round(
        bloc,
        year=2019,
        submissions_close=D(2019, 11, 30),
        voting_opens=D(2019, 12, 1),
        voting_closes=D(2019, 12, 10),
    )
    worker = PersonFactory(organization=enterprise)
    nomination = make_nomination(round_, enterprise, person=worker, status=S.COMMENDED)
    award(decision(bloc, D(2019, 12, 20)), nomination)
    admin = UserFactory(username="admin", is_superuser=True)
    org_services.move_organization(enterprise, tree.root, by=admin, on=D(2020, 4, 1))
    tree.root.refresh_from_db()
    bloc.refresh_from_db()

    year_2019 = Period(D(2019, 1, 1), D(2019, 12, 31))
    both_years = Period(D(2019, 1, 1), D(2020, 12, 31))
    committee_2019 = compute(tree.root, year_2019).commendation
    assert (committee_2019.nominated_people, committee_2019.commended_people) == (0, 0)
    bloc_2019 = compute(bloc, year_2019).commendation
    assert (bloc_2019.nominated_people, bloc_2019.commended_people) == (1, 1)
    # over 2019–2020 the tree is the one of 31/12/2020: the enterprise is the committee's
    committee_both = compute(tree.root, both_years).commendation
    assert (committee_both.nominated_people, committee_both.commended_people) == (1, 1)
    bloc_both = compute(bloc, both_years).commendation
    assert bloc_both.nominated_people == 0
    assert bloc_both.commended_people == 1  # the bloc decided it


def test_programs_and_activities_of_the_period(tree):
    members = MemberFactory.create_batch(4, organization=tree.own_cell)
    outsider = MemberFactory(organization=tree.other_cell)
    at = timezone.make_aware(datetime.datetime(2020, 2, 1, 9))
    for person in members[:3]:
        Commitment.objects.create(
            person=person, year=2020, organization=tree.own_cell, submitted_at=at
        )
    Commitment.objects.create(
        person=outsider, year=2020, organization=tree.other_cell, submitted_at=at
    )
    rated = RatingList.objects.create(
        organization=tree.own,
        year=2020,
        rated_on=D(2020, 12, 15),
        status=RatingListStatus.CONFIRMED,
    )
    for person, level in zip(members, ("excellent", "good", "good", "pass"), strict=True):
        Rating.objects.create(list=rated, person=person, score=80, level=level)
    later = RatingList.objects.create(
        organization=tree.own_cell,
        year=2021,
        rated_on=D(2021, 12, 15),
        status=RatingListStatus.CONFIRMED,
    )
    Rating.objects.create(list=later, person=members[0], score=95, level="excellent")
    session = StudySession.objects.create(organization=tree.own_cell, date=D(2020, 3, 3))
    StudySession.objects.create(organization=tree.own_cell, date=D(2021, 3, 3))
    for person, present in zip(members, (True, True, True, False), strict=True):
        reason = "" if present else "Đi công tác"
        Attendance.objects.create(
            session=session, person=person, present=present, absence_reason=reason
        )
    plan = Plan.objects.create(
        issuer=tree.root, title="Kế hoạch thực hiện Chỉ thị 05", issued_on=D(2016, 10, 20)
    )
    Pilot.objects.create(
        plan=plan, organization=tree.own, status=PilotStatus.EVALUATED, evaluated_on=D(2017, 12, 20)
    )
    Pilot.objects.create(plan=plan, organization=tree.other)
    shown = UnitModel.objects.create(
        organization=tree.own,
        year_from=2017,
        year_to=2020,
        title="Tôn trọng Nhân dân",
        status=UnitModelStatus.EVALUATED,
        result="excellent",
    )
    UnitModel.objects.create(organization=tree.own, year_from=2020, title="Mô hình mới")
    UnitModel.objects.create(organization=tree.other, year_from=2015, year_to=2016, title="Đã xong")
    Story.objects.create(
        organization=tree.root,
        title="Tôn trọng Nhân dân",
        slug="ton-trong-nhan-dan",
        status=StoryStatus.PUBLISHED,
        published_at=timezone.now(),
        unit_model=shown,
    )
    make_activity(tree.own_cell, date=D(2020, 6, 14), quantity=10)
    make_activity(tree.other_cell, date=D(2020, 12, 31), quantity=5)
    make_activity(tree.own_cell, date=D(2021, 1, 1), quantity=100)

    own = compute(tree.own, YEAR_2020)
    r = own.registration
    assert (r.members, r.with_commitment, r.coverage_percent) == (4, 3, 75.0)
    assert r.ratings_year == 2020 and r.ratings == {"excellent": 1, "good": 2, "pass": 1}
    assert r.models_registered == 2
    assert (own.study.sessions, own.study.present, own.study.expected) == (1, 3, 4)
    assert own.study.attendance_percent == 75.0
    assert own.models.by_status == {"evaluated": 1, "registered": 1}
    assert own.models.named == [(tree.own.name, "Tôn trọng Nhân dân")]
    assert own.pilots.pilots == 1 and own.pilots.evaluated == 1  # the pilot in its subtree
    committee = compute(tree.root, YEAR_2020)
    assert committee.pilots.pilots == 2 and committee.pilots.evaluated == 1
    assert committee.pilots.names == [tree.own.name, tree.other.name]
    assert compute(tree.root, Period(D(2015, 1, 1), D(2015, 12, 31))).pilots.pilots == 0
    blood = {row.code: row for row in committee.activities}["hien-mau"]
    assert (blood.activities, blood.quantity) == (2, 15)
    assert {row.code: row for row in own.activities}["hien-mau"].quantity == 10
    assert committee.registration.members == 5


def test_compute_runs_a_fixed_number_of_queries(world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            compute(world.tree.root, Period(D(2018, 1, 1), D(2020, 12, 31)))
        return len(captured)

    few = queries()
    round_ = make_round(world.tree.root, title="Đợt khác")
    issued = decision(world.tree.root, D(2020, 5, 5))
    honored = []
    for n in range(15):
        cell = make_org(world.tree.own, code=f"CB{n}", name=f"Chi bộ {n}")
        nomination = make_nomination(round_, world.tree.own, collective=cell, status=S.HONORED)
        honored.append(award(issued, nomination, form="bieu-duong"))
    ceremony(world.tree.root, D(2020, 6, 1), honored)
    assert queries() == few
    assert few <= 25
