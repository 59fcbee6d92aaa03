"""Plans through the services: targets whose progress comes from the records, pilots
followed up and evaluated, and who may do it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lantoa.core.models import AuditEntry
from lantoa.programs.models import PilotStatus, Plan, TargetKind
from lantoa.programs.queries import plans as queries
from lantoa.programs.services import plans as services
from tests.programs.test_study_services import YEAR, D, members, record

PLAN = {
    "symbol": "45-KH/ĐU",
    "title": "Kế hoạch thực hiện Chỉ thị 05",
    "issued_on": D(2016, 10, 20),
}


@pytest.fixture
def plan(tree, committee_staff) -> Plan:
    return services.create_plan(by=committee_staff, issuer=tree.root, **PLAN)


def target(plan, by, kind, percent=100, year=YEAR, label="Chỉ tiêu"):
    return services.add_target(
        plan, by=by, kind=kind, label=label, target_percent=percent, year=year
    )


def test_a_plan_is_searchable_without_diacritics(plan):
    assert plan.search_key == "45-kh/du ke hoach thuc hien chi thi 05"


def test_organization_staff_cannot_make_plans(tree, base_secretary):
    with pytest.raises(PermissionDenied):
        services.create_plan(by=base_secretary, issuer=tree.own, **PLAN)


def test_a_plan_cannot_be_issued_in_the_future(tree, committee_staff):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError):
        services.create_plan(by=committee_staff, issuer=tree.root, title="KH", issued_on=tomorrow)


def test_a_target_is_unique_per_indicator_and_year(plan, committee_staff):
    target(plan, committee_staff, TargetKind.STUDY_COVERAGE)
    with pytest.raises(ValidationError) as error:
        target(plan, committee_staff, TargetKind.STUDY_COVERAGE)
    assert "kind" in error.value.error_dict
    target(plan, committee_staff, TargetKind.STUDY_COVERAGE, year=YEAR + 1)


@pytest.mark.parametrize("percent", [0, 101, -5])
def test_a_target_share_is_between_1_and_100(plan, committee_staff, percent):
    with pytest.raises(ValidationError) as error:
        target(plan, committee_staff, TargetKind.STUDY_COVERAGE, percent=percent)
    assert "target_percent" in error.value.error_dict


def test_study_coverage_progress_is_computed_from_the_sessions(tree, plan, committee_staff):
    goal = target(plan, committee_staff, TargetKind.STUDY_COVERAGE, percent=100)
    assert queries.target_progress(goal) == queries.Progress(0, 2, 100)

    (a,) = members(tree.own_cell, 1)
    record(committee_staff, tree.own_cell, [a])
    progress = queries.target_progress(goal)
    assert (progress.done, progress.total, progress.percent, progress.met) == (1, 2, 50, False)

    (b,) = members(tree.other_cell, 1)
    record(committee_staff, tree.other_cell, [b])
    progress = queries.target_progress(goal)
    assert (progress.done, progress.total, progress.percent, progress.met) == (2, 2, 100, True)


def test_attendance_coverage_progress_is_computed_from_the_attendance(tree, plan, committee_staff):
    goal = target(plan, committee_staff, TargetKind.ATTENDANCE_COVERAGE, percent=75)
    a, b, c = members(tree.own_cell, 3)
    (d,) = members(tree.other_cell, 1)
    record(committee_staff, tree.own_cell, [a, b], {c: "Ốm"})
    record(committee_staff, tree.own_cell, [a], {b: "Ốm", c: "Ốm"}, day=D(YEAR, 6, 1))
    record(committee_staff, tree.other_cell, [d], day=D(YEAR - 1, 6, 1))  # another year

    progress = queries.target_progress(goal)

    assert (progress.done, progress.total, progress.met) == (2, 4, False)
    assert progress.percent == 50
    record(committee_staff, tree.other_cell, [d], day=D(YEAR, 7, 1))
    assert queries.target_progress(goal).met is True  # 3 of 4 = 75 %


def test_a_figure_from_a_missing_area_is_not_available(plan, committee_staff, monkeypatch):
    goal = target(plan, committee_staff, TargetKind.MODEL_COVERAGE)
    monkeypatch.setattr(queries, "REGISTRATION", "lantoa.programs.queries.not_there")
    assert queries.target_progress(goal) is None
    [shown] = queries.with_progress([goal])
    assert shown.progress is None


def test_progress_of_several_targets_shares_figures(plan, committee_staff):
    first = target(plan, committee_staff, TargetKind.STUDY_COVERAGE, percent=80)
    second = target(plan, committee_staff, TargetKind.ATTENDANCE_COVERAGE, percent=90)
    shown = queries.with_progress([first, second])
    assert [t.progress for t in shown] == [
        queries.Progress(0, 2, 80),
        queries.Progress(0, 0, 90),
    ]
    assert shown[1].progress.met is False
    assert shown[1].progress.percent is None


# --- pilots ------------------------------------------------------------------------------


def test_a_pilot_must_be_under_the_issuer(tree, committee_staff):
    plan = services.create_plan(by=committee_staff, issuer=tree.own, title="KH của BDV")
    with pytest.raises(ValidationError):
        services.add_pilot(plan, by=committee_staff, organization=tree.other)
    with pytest.raises(ValidationError):
        services.add_pilot(plan, by=committee_staff, organization=tree.own)
    pilot = services.add_pilot(plan, by=committee_staff, organization=tree.own_cell)
    with pytest.raises(ValidationError):
        services.add_pilot(plan, by=committee_staff, organization=tree.own_cell)
    assert pilot.status == PilotStatus.CHOSEN


def test_a_pilot_is_followed_up_then_evaluated(tree, plan, committee_staff):
    pilot = services.add_pilot(plan, by=committee_staff, organization=tree.own)

    services.add_pilot_note(
        pilot, by=committee_staff, date=D(2017, 3, 1), text="Đã xây dựng kế hoạch riêng"
    )
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.IN_PROGRESS

    services.evaluate_pilot(
        pilot,
        by=committee_staff,
        evaluation="Làm tốt",
        lesson="Người đứng đầu phải gương mẫu",
        on=D(2018, 12, 1),
    )
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.EVALUATED
    assert (pilot.evaluation, pilot.lesson, pilot.evaluated_on) == (
        "Làm tốt",
        "Người đứng đầu phải gương mẫu",
        D(2018, 12, 1),
    )
    verbs = set(
        AuditEntry.objects.filter(verb__startswith="programs.pilot.").values_list("verb", flat=True)
    )
    assert verbs == {"programs.pilot.in_progress", "programs.pilot.evaluated"}
    with pytest.raises(ValidationError):
        services.remove_pilot(pilot, by=committee_staff)


def test_an_evaluation_needs_its_text(tree, plan, committee_staff):
    pilot = services.add_pilot(plan, by=committee_staff, organization=tree.own)
    with pytest.raises(ValidationError) as error:
        services.evaluate_pilot(pilot, by=committee_staff, evaluation="  ", lesson="")
    assert "evaluation" in error.value.error_dict
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.CHOSEN


def test_a_pilot_chosen_by_mistake_can_be_removed(tree, plan, committee_staff):
    pilot = services.add_pilot(plan, by=committee_staff, organization=tree.own)
    services.remove_pilot(pilot, by=committee_staff)
    assert plan.pilots.count() == 0


def test_organization_staff_cannot_follow_up_pilots(tree, plan, committee_staff, base_secretary):
    pilot = services.add_pilot(plan, by=committee_staff, organization=tree.own)
    with pytest.raises(PermissionDenied):
        services.add_pilot_note(pilot, by=base_secretary, date=D(2017, 1, 1), text="x")
    with pytest.raises(PermissionDenied):
        services.evaluate_pilot(pilot, by=base_secretary, evaluation="x", lesson="")
