"""Personal commitments in a real browser: a member registers on "My commitment" and the
coverage figure that the committee's staff read moves by one.

Elements are found by id, name and data attributes, never by translated text.
"""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from lantoa.orgs.models import Role
from lantoa.programs.models import Commitment, CommitmentDeadline
from tests.factories import PASSWORD, PersonFactory, UserFactory, grant

# The live server needs committed data; see tests/e2e/test_people.py for available_apps.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS)),
]

SAVE = "form[data-once] button[type=submit]"
ITEMS = ["Gương mẫu, đúng giờ trong sinh hoạt chi bộ", "Thực hành tiết kiệm điện, nước"]


def figure(page, selector: str) -> int:
    return int(page.locator(selector).get_attribute("data-value"))


def log_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" not in page.url, "the login form did not accept the user"


def test_a_member_registers_and_the_coverage_moves_by_one(
    page, browser, live_server, console, tree, committee_staff
):
    year = timezone.localdate().year
    PersonFactory.create_batch(2, organization=tree.own_cell)
    PersonFactory(organization=tree.other_cell)
    member_account = UserFactory(username="dang_vien")
    grant(member_account, Role.MEMBER, tree.own_cell)
    member = PersonFactory(
        family_name="Trần",
        middle_name="Thị",
        given_name="Mai",
        organization=tree.own_cell,
        account=member_account,
    )
    # The base organization's deadline applies to its cell, which has none of its own.
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    CommitmentDeadline.objects.create(organization=tree.own, year=year, deadline=deadline)

    # The committee's staff read the coverage of the whole committee.
    log_in(page, committee_staff)
    coverage_url = f"/coverage/{tree.root.pk}/?year={year}"
    page.goto(coverage_url)
    total_committed, total_members = "#coverage-total .committed", "#coverage-total .members"
    own_row = f'#coverage tr[data-org="{tree.own.pk}"] .committed'
    before = figure(page, total_committed)
    assert (before, figure(page, total_members)) == (0, 4)
    expect(page.locator(own_row)).to_have_text("0")

    # The member registers two items on "My commitment", in their own browser session.
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    try:
        member_page = context.new_page()
        log_in(member_page, member_account)
        member_page.goto("/commitments/mine/")
        expect(member_page.locator("#commitment-status")).to_have_attribute("data-status", "none")
        expect(member_page.locator("#commitment-deadline")).to_contain_text(
            deadline.strftime("%d/%m/%Y")
        )
        member_page.fill("#id_item_1", ITEMS[0])
        member_page.fill("#id_item_2", ITEMS[1])
        with member_page.expect_navigation():
            member_page.click(SAVE)
        expect(member_page.locator("#commitment-status")).to_have_attribute(
            "data-status", "registered"
        )
        expect(member_page.locator("#id_item_1")).to_have_value(ITEMS[0])
        expect(member_page.locator("#id_item_2")).to_have_value(ITEMS[1])
    finally:
        context.close()

    commitment = Commitment.objects.get(person=member, year=year)
    assert [item.text for item in commitment.items.all()] == ITEMS
    assert commitment.organization_id == tree.own_cell.pk

    # The staff reload the coverage page: one more member with a commitment.
    page.reload()
    assert figure(page, total_committed) == before + 1
    assert figure(page, total_members) == 4
    expect(page.locator(own_row)).to_have_text("1")
    expect(page.locator(f'#coverage tr[data-org="{tree.other.pk}"] .committed')).to_have_text("0")

    assert console.csp_violations() == []
    assert console.errors == []
