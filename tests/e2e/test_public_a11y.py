"""Accessibility of the public site with axe-core (from the npm registry) in the real
browser: the home page, the honor roll with a filter applied, a story with its comments and
their form (and the form showing its errors), the search results and an organization's
page; and the staff's story form and moderation queue. No serious or critical violation.

The data is that of the browser tests (tests/e2e/test_public_site.py): a published story
on an award of an issued decision, plus an approved comment with a reply and a pending one.
"""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from lantoa.public.models import CommentStatus
from lantoa.public.services.moderation import moderate
from tests.e2e.axe import severe_violations
from tests.e2e.test_public_site import (
    pending,
    send,
    site,  # noqa: F401 - fixture
    staff_page,  # noqa: F401 - fixture
    story_url,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS)),
]


def assert_accessible(page, what: str) -> None:
    found = severe_violations(page)
    assert found == [], f"{what} ({page.url}):\n" + "\n".join(found)


@pytest.fixture
def thread(site, committee_staff):  # noqa: F811 - the fixture imported above
    """An approved comment with an approved reply, and a comment still pending."""
    story = site["story"]
    first = pending(story, "Chị Hường là tấm gương để chúng tôi noi theo.")
    moderate([first], CommentStatus.APPROVED, by=committee_staff)
    reply = pending(story, "Xin cảm ơn bạn đã chia sẻ.", parent=first)
    moderate([reply], CommentStatus.APPROVED, by=committee_staff)
    waiting = pending(story, "Một ý kiến còn chờ duyệt.")
    return {"first": first, "reply": reply, "pending": waiting}


def test_the_public_pages_have_no_serious_violation(page, console, site, thread, tree):  # noqa: F811
    story = site["story"]

    page.goto("/")
    expect(page.locator("#latest-stories .story-card")).to_have_count(1)
    assert_accessible(page, "home")

    page.goto("/bang-vang/")
    page.select_option("#f-year", "2020")
    page.select_option("#f-org", tree.own.code)
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    expect(page.locator(f"#award-{site['award'].pk}")).to_be_visible()
    assert_accessible(page, "honor roll, filtered")

    # The story, its thread (a reply indented) and its form, replying to the comment.
    page.goto(f"{story_url(story)}?reply_to={thread['first'].pk}")
    expect(page.locator(f"#comment-{thread['reply'].pk}")).to_be_visible()
    expect(page.locator("#comment-form-replying")).to_be_visible()
    assert_accessible(page, "story with its comment form")

    # The form sent back with its errors, the reader's text kept.
    page.goto(story_url(story))
    send(page, "", "khong-phai-email", "x" * 3001)
    for name in ("name", "email", "body"):
        expect(page.locator(f"#id_{name}_error")).to_be_visible()
    assert_accessible(page, "comment form with errors")

    page.goto("/tim-kiem/?q=nguyen")
    expect(page.locator("#results-honorees li[data-kind=person]")).to_have_count(1)
    assert_accessible(page, "search results")
    page.goto("/tim-kiem/?q=khong+co+gi+ca")
    expect(page.locator("#search-total")).to_be_visible()
    assert_accessible(page, "search without results")

    page.goto(f"/don-vi/{tree.own_cell.code}/")
    expect(page.locator(f"#award-{site['award'].pk}")).to_be_visible()
    expect(page.locator("#org-stories .story-card")).to_have_count(1)
    assert_accessible(page, "organization")
    page.goto(f"/don-vi/{tree.root.code}/")
    expect(page.locator("#children")).to_be_visible()
    assert_accessible(page, "organization with organizations under it")

    assert console.errors == [] and console.csp_violations() == []


def test_the_staff_story_form_and_moderation_queue_have_no_serious_violation(
    staff_page,  # noqa: F811
    thread,
):
    staff_page.goto("/work/stories/new/")
    expect(staff_page.locator("#id_title")).to_be_visible()
    assert_accessible(staff_page, "story form")

    staff_page.goto("/work/comments/")
    expect(staff_page.locator(f"#comment-{thread['pending'].pk}")).to_be_visible()
    assert_accessible(staff_page, "moderation queue")
