"""A cell secretary records a study session in a real browser, and the attendance rate
of her organization changes accordingly.

Elements are found by id and name, never by translated text (the translations change).
"""

import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from lantoa.programs.models import Attendance, StudySession, Theme, ThemeLevel
from tests.programs.test_study_services import members, record

# The live server needs committed data: see test_people.py for why available_apps is set.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS)),
]

SAVE = "form[data-once] button[type=submit]"
SESSION_URL = re.compile(r"/study/sessions/(\d+)/$")


def expect_rate(page, present: int, expected: int, shown: str) -> None:
    page.goto("/study/attendance/")
    rate = page.locator("#rate")
    expect(rate).to_have_attribute("data-present", str(present))
    expect(rate).to_have_attribute("data-expected", str(expected))
    expect(page.locator("#rate-value")).to_have_text(shown)


def test_a_recorded_session_changes_the_attendance_rate(
    page, console, login, tree, base_secretary, committee_staff
):
    today = timezone.localdate()
    first, second, third, fourth = members(tree.own_cell, 4)
    theme = Theme.objects.create(
        year=today.year,
        level=ThemeLevel.COMMITTEE,
        issuer="Đảng ủy Dân Chính Đảng tỉnh",
        title="Xây dựng phong cách, tác phong công tác của người đứng đầu",
        organization=tree.root,
    )
    # Earlier this year: one member of two present.
    record(committee_staff, tree.own_cell, [first], {second: "Ốm"}, day=today)
    login(base_secretary)

    # The rate of her base organization before: 1 present of 2 expected.
    expect_rate(page, 1, 2, "50,0%")

    # Choose the cell, then the topic; the members are listed, ticked present.
    page.goto("/study/sessions/new/")
    page.select_option("#id_org", str(tree.own_cell.pk))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.select_option("#id_theme", str(theme.pk))
    for person in (first, second, third, fourth):
        expect(page.locator(f"#id_present_{person.pk}")).to_be_checked()

    # One member absent, without a reason at first: refused, nothing saved.
    page.uncheck(f"#id_present_{fourth.pk}")
    with page.expect_navigation():
        page.click(SAVE)
    expect(page.locator(f"#id_reason_{fourth.pk}_error")).to_be_visible()
    assert StudySession.objects.count() == 1

    # With the reason, the session is saved.
    expect(page.locator(f"#id_present_{fourth.pk}")).not_to_be_checked()
    page.fill(f"#id_reason_{fourth.pk}", "Đi công tác")
    with page.expect_navigation():
        page.click(SAVE)
    match = SESSION_URL.search(page.url)
    assert match, f"not on the session's page after saving: {page.url}"
    session = StudySession.objects.get(pk=int(match.group(1)))
    assert session.theme_id == theme.pk
    assert session.date == today
    assert dict(Attendance.objects.filter(session=session).values_list("person_id", "present")) == {
        first.pk: True,
        second.pk: True,
        third.pk: True,
        fourth.pk: False,
    }

    # The rate after: 1 + 3 present of 2 + 4 expected.
    expect_rate(page, 4, 6, "66,7%")
    expect(page.locator(f"#cell-{tree.own_cell.pk}")).to_contain_text("66,7%")

    assert console.csp_violations() == []
    assert console.errors == []
