"""Study sessions through the services: who may record, who may be listed, atomicity,
and attendance figures computed over subtrees."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lantoa.core.models import AuditEntry
from lantoa.orgs.models import Membership, OrganizationKind
from lantoa.programs.models import Attendance, StudySession, Theme, ThemeLevel
from lantoa.programs.queries import study as queries
from lantoa.programs.services import study as services
from tests.factories import PersonFactory, make_org

D = datetime.date
YEAR = 2024
SINCE = D(2020, 1, 1)
SESSION_DAY = D(YEAR, 3, 15)


def member(org, since=SINCE, **names):
    """A person of the organization, a member since the date."""
    person = PersonFactory(organization=org, **names)
    Membership.objects.create(person=person, organization=org, start_date=since)
    return person


def members(org, count, since=SINCE):
    return [member(org, since) for _ in range(count)]


def record(by, cell, present=(), absent=None, day=SESSION_DAY, **fields):
    """Record a session: `present` people, `absent` {person: reason}."""
    fields.setdefault("title", "Sinh hoạt chuyên đề")
    return services.record_study_session(
        by=by,
        organization=cell,
        date=day,
        present_ids=[p.pk for p in present],
        absences={p.pk: reason for p, reason in (absent or {}).items()},
        **fields,
    )


def test_a_session_is_recorded_with_its_attendance(tree, base_secretary):
    a, b, c = members(tree.own_cell, 3)

    session = record(base_secretary, tree.own_cell, [a, b], {c: "Đi công tác"})

    rows = {row.person_id: row for row in session.attendance.all()}
    assert {pk: row.present for pk, row in rows.items()} == {a.pk: True, b.pk: True, c.pk: False}
    assert rows[c.pk].absence_reason == "Đi công tác"
    assert session.recorded_by == base_secretary
    assert AuditEntry.objects.filter(verb="programs.attendance.recorded").count() == 3
    created = AuditEntry.objects.get_for_object(session).filter(action=AuditEntry.Action.CREATE)
    assert created.count() == 1


def test_an_attendee_not_in_the_cell_is_refused_and_nothing_is_saved(tree, committee_staff):
    a, b = members(tree.own_cell, 2)
    stranger = member(tree.other_cell, family_name="Lê", middle_name="Văn", given_name="Lạ")

    with pytest.raises(ValidationError) as error:
        record(committee_staff, tree.own_cell, [a, stranger], {b: "Ốm"})

    assert "Lê Văn Lạ" in " ".join(error.value.messages)
    assert StudySession.objects.count() == 0
    assert Attendance.objects.count() == 0
    assert not AuditEntry.objects.filter(verb__startswith="programs.").exists()


def test_a_stranger_outside_the_users_reach_is_not_named(tree, base_secretary):
    (a,) = members(tree.own_cell, 1)
    stranger = member(tree.other_cell, family_name="Lê", middle_name="Văn", given_name="Lạ")

    with pytest.raises(ValidationError) as error:
        record(base_secretary, tree.own_cell, [a, stranger])

    message = " ".join(error.value.messages)
    assert "Lạ" not in message
    assert f"#{stranger.pk}" in message


def test_a_member_who_joined_after_the_session_is_refused(tree, base_secretary):
    (old,) = members(tree.own_cell, 1)
    newcomer = member(tree.own_cell, since=D(YEAR, 6, 1), given_name="Mới")

    with pytest.raises(ValidationError) as error:
        record(base_secretary, tree.own_cell, [old, newcomer], day=D(YEAR, 3, 15))

    assert newcomer.full_name in " ".join(error.value.messages)
    assert StudySession.objects.count() == 0


def test_a_member_who_left_before_the_session_is_refused(tree, base_secretary):
    (stays,) = members(tree.own_cell, 1)
    left = member(tree.own_cell)
    Membership.objects.filter(person=left).update(end_date=D(YEAR, 1, 31))

    with pytest.raises(ValidationError):
        record(base_secretary, tree.own_cell, [stays, left], day=D(YEAR, 3, 15))
    assert record(base_secretary, tree.own_cell, [stays, left], day=D(YEAR, 1, 20))


def test_an_absentee_without_a_reason_is_refused(tree, base_secretary):
    a, b = members(tree.own_cell, 2)

    with pytest.raises(ValidationError) as error:
        record(base_secretary, tree.own_cell, [a], {b: "   "})

    assert b.full_name in " ".join(error.value.messages)
    assert StudySession.objects.count() == 0
    assert Attendance.objects.count() == 0


def test_the_database_refuses_an_absence_without_a_reason(tree, base_secretary):
    a, b = members(tree.own_cell, 2)
    session = record(base_secretary, tree.own_cell, [a])
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(session=session, person=b, present=False, absence_reason="")


def test_the_same_person_cannot_be_present_and_absent(tree, base_secretary):
    (a,) = members(tree.own_cell, 1)
    with pytest.raises(ValidationError):
        record(base_secretary, tree.own_cell, [a], {a: "Ốm"})
    assert StudySession.objects.count() == 0


def test_a_session_without_anyone_is_refused(tree, base_secretary):
    with pytest.raises(ValidationError):
        record(base_secretary, tree.own_cell)


def test_a_future_date_is_refused(tree, base_secretary):
    (a,) = members(tree.own_cell, 1)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        record(base_secretary, tree.own_cell, [a], day=tomorrow)
    assert "date" in error.value.error_dict


def test_a_session_needs_a_topic_or_a_title(tree, base_secretary):
    (a,) = members(tree.own_cell, 1)
    with pytest.raises(ValidationError) as error:
        record(base_secretary, tree.own_cell, [a], title="")
    assert "title" in error.value.error_dict


def test_only_cells_record_sessions(tree, committee_staff):
    (a,) = members(tree.own, 1)
    with pytest.raises(ValidationError) as error:
        record(committee_staff, tree.own, [a])
    assert "organization" in error.value.error_dict


def test_organization_staff_records_only_in_its_subtree(tree, base_secretary):
    (a,) = members(tree.other_cell, 1)
    with pytest.raises(PermissionDenied):
        record(base_secretary, tree.other_cell, [a])
    assert StudySession.objects.count() == 0


def test_a_topic_from_another_line_is_refused(tree, committee_staff):
    (a,) = members(tree.own_cell, 1)
    theirs = Theme.objects.create(
        year=YEAR, level=ThemeLevel.COMMITTEE, issuer="ĐU", title="Riêng", organization=tree.other
    )
    with pytest.raises(ValidationError) as error:
        record(committee_staff, tree.own_cell, [a], theme=theirs)
    assert "theme" in error.value.error_dict


def test_deleting_a_session_removes_its_attendance_and_audits_it(tree, base_secretary):
    a, b = members(tree.own_cell, 2)
    session = record(base_secretary, tree.own_cell, [a, b])

    services.delete_study_session(session, by=base_secretary)

    assert StudySession.objects.count() == 0
    assert Attendance.objects.count() == 0
    assert AuditEntry.objects.filter(verb="programs.attendance.deleted").count() == 2


# --- figures -----------------------------------------------------------------------------


@pytest.fixture
def studied(tree, committee_staff):
    """own_cell: 3/4 and 2/2 present; deep cell under own: 1/2; other_cell: 0/1; and a
    session of the year before that must not count."""
    deep = make_org(tree.own, code="BDV-CB9", name="Chi bộ 9")
    own = members(tree.own_cell, 4)
    deep_people = members(deep, 2)
    (other,) = members(tree.other_cell, 1)
    record(committee_staff, tree.own_cell, own[:3], {own[3]: "Ốm"})
    record(committee_staff, tree.own_cell, own[:2], day=D(YEAR, 9, 1))
    record(committee_staff, deep, deep_people[:1], {deep_people[1]: "Nghỉ phép"})
    record(committee_staff, tree.other_cell, [], {other: "Công tác"})
    record(committee_staff, tree.own_cell, own, day=D(YEAR - 1, 5, 5))
    return deep


def test_attendance_rate_is_computed_over_a_subtree(tree, studied):
    assert queries.attendance_rate(tree.own_cell, YEAR) == queries.Rate(5, 6)
    assert queries.attendance_rate(tree.own, YEAR) == queries.Rate(6, 8)
    assert queries.attendance_rate(tree.other, YEAR) == queries.Rate(0, 1)
    assert queries.attendance_rate(tree.root, YEAR) == queries.Rate(6, 9)
    assert queries.attendance_rate(tree.root, YEAR - 1) == queries.Rate(4, 4)
    assert queries.attendance_rate(tree.root, YEAR).percent == pytest.approx(66.666, abs=0.01)


def test_attendance_rate_without_sessions_has_no_percent(tree):
    rate = queries.attendance_rate(tree.root, YEAR)
    assert rate == queries.Rate(0, 0)
    assert rate.percent is None


def test_attendance_figures_by_cell(tree, studied):
    figures = queries.figures_by_cell(tree.root, YEAR)
    assert figures == {
        tree.own_cell.pk: queries.CellFigures(sessions=2, present=5, expected=6),
        studied.pk: queries.CellFigures(sessions=1, present=1, expected=2),
        tree.other_cell.pk: queries.CellFigures(sessions=1, present=0, expected=1),
    }
    cells = list(queries.cells_in(tree.own, YEAR))
    assert [c.pk for c in cells] == [tree.own_cell.pk, studied.pk]


def test_study_coverage_counts_base_organizations_that_held_a_session(tree, studied):
    base_cell = make_org(tree.root, code="BC", name="Chi bộ cơ sở", kind=OrganizationKind.BASE_CELL)
    assert queries.study_coverage(tree.root, YEAR) == (2, 3)
    assert queries.study_coverage(tree.root, YEAR - 1) == (1, 3)
    assert queries.study_coverage(tree.own, YEAR) == (1, 1)
    assert base_cell.kind == OrganizationKind.BASE_CELL


def test_attendance_coverage_counts_members_present_at_least_once(tree, studied):
    # own subtree: 4 + 2 members; present at least once in the year: 3 (own) + 1 (deep)
    assert queries.attendance_coverage(tree.own, YEAR) == (4, 6)
    assert queries.attendance_coverage(tree.root, YEAR) == (4, 7)
    assert queries.attendance_coverage(tree.other, YEAR) == (0, 1)


# --- topics ------------------------------------------------------------------------------


def test_a_topic_needs_exactly_one_of_year_and_term(tree, committee_staff):
    from lantoa.programs.models import Term

    term = Term.objects.create(name="Nhiệm kỳ 2020–2025", code="2020-2025", start_date=SINCE)
    fields = {"level": ThemeLevel.PROVINCIAL, "issuer": "Tỉnh ủy", "title": "Chuyên đề"}
    with pytest.raises(ValidationError):
        services.create_theme(by=committee_staff, organization=tree.root, **fields)
    with pytest.raises(ValidationError):
        services.create_theme(
            by=committee_staff, organization=tree.root, year=YEAR, term=term, **fields
        )
    theme = services.create_theme(by=committee_staff, organization=tree.root, term=term, **fields)
    assert theme.search_key == "chuyen de tinh uy"


def test_organization_staff_cannot_keep_topics(tree, base_secretary):
    with pytest.raises(PermissionDenied):
        services.create_theme(
            by=base_secretary,
            organization=tree.own,
            year=YEAR,
            level=ThemeLevel.COMMITTEE,
            issuer="ĐU",
            title="Chuyên đề",
        )


def test_a_studied_topic_cannot_be_deleted(tree, committee_staff):
    (a,) = members(tree.own_cell, 1)
    theme = services.create_theme(
        by=committee_staff,
        organization=tree.root,
        year=YEAR,
        level=ThemeLevel.COMMITTEE,
        issuer="Đảng ủy",
        title="Chuyên đề năm",
    )
    record(committee_staff, tree.own_cell, [a], theme=theme, title="")
    with pytest.raises(ValidationError):
        services.delete_theme(theme, by=committee_staff)
    assert Theme.objects.filter(pk=theme.pk).exists()
