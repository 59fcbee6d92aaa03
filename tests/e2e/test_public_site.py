"""The public site in a real browser, as an anonymous reader and as the committee's staff:
reading a story and the honor roll, commenting, moderating, replying, and searching
without diacritics.

The data is built with the factories and the services: a person commended by an issued
decision of 2020, a collective commended in 2019, and a published story resting on the
2020 award. Elements are found by id, class and name, never by translated text.
"""

import datetime
import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from playwright.sync_api import expect

from lantoa.public.models import Comment, CommentStatus, Story
from lantoa.public.services.comments import post_comment
from lantoa.public.services.moderation import moderate
from lantoa.public.services.stories import create_story, publish_story
from tests.awards.test_certificates import make_award, make_decision
from tests.e2e.conftest import TIMEOUT_MS
from tests.factories import PersonFactory

# The live server needs committed data: see test_people.py for why available_apps is set.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS)),
]

TITLE = "Chị Hường: tận tụy với công việc, tận tình với Nhân dân"
BODY_WORDS = "Mười lăm năm gắn bó với công tác dân vận"
BODY = (
    f"{BODY_WORDS}, chị luôn **lắng nghe** ý kiến của người dân.\n\n"
    "- trả lời kiến nghị đúng hạn;\n"
    "- đi cơ sở thường xuyên."
)
HUONG = "Nguyễn Thị Hường"
SEND = "form#comment-form button[type=submit]"
READER = ("Lê Văn Tám", "tam.le@example.vn")


def field(page, name: str):
    """The form's block for one field: its label, input, help and error."""
    return page.locator(f"#comment-form .field:has(#id_{name})")


@pytest.fixture
def site(tree, committee_staff):
    """Hường (Chi bộ 1) commended in 2020, Đảng bộ Viễn thông in 2019, and the committee's
    published story on Hường's award."""
    huong = PersonFactory(
        family_name="Nguyễn",
        middle_name="Thị",
        given_name="Hường",
        organization=tree.own_cell,
        birth_date=datetime.date(1980, 3, 8),
    )
    d2020 = make_decision(tree.root, symbol="15-QĐ/ĐU", date=datetime.date(2020, 12, 20))
    d2019 = make_decision(tree.root, symbol="9-QĐ/ĐU", date=datetime.date(2019, 5, 19))
    award = make_award(d2020, person=huong)
    older = make_award(d2019, collective=tree.other)
    story = create_story(
        by=committee_staff,
        organization=tree.root,
        title=TITLE,
        summary="Gương sáng của Chi bộ 1 trong học tập và làm theo Bác.",
        body=BODY,
        award=award,
        subject_organization=tree.own_cell,
    )
    story = publish_story(story, by=committee_staff)
    return {"story": story, "award": award, "older": older, "person": huong}


@pytest.fixture
def staff_page(browser, live_server, password, committee_staff) -> Iterator[object]:
    """A second browser (its own cookies) where the committee's staff are logged in."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    staff = context.new_page()
    staff.goto("/accounts/login/")
    staff.fill("#id_username", committee_staff.get_username())
    staff.fill("#id_password", password)
    with staff.expect_navigation():
        staff.click("form.form button[type=submit]")
    assert "/accounts/login/" not in staff.url, "the login form did not accept the staff"
    yield staff
    context.close()


def story_url(story: Story) -> str:
    return f"/bai-viet/{story.slug}/"


def send(page, name: str, email: str, body: str) -> None:
    page.fill("#id_name", name)
    page.fill("#id_email", email)
    page.fill("#id_body", body)
    with page.expect_navigation():
        page.click(SEND)


def pending(story: Story, body: str, parent: Comment | None = None) -> Comment:
    """A reader's comment sent through the service, as the form does."""
    return post_comment(
        story=story,
        name=READER[0],
        email=READER[1],
        body=body,
        parent_id=parent.pk if parent else None,
        address="198.51.100.7",
        honeypot="",
    )


# --- reading -----------------------------------------------------------------------------


def test_a_reader_reads_a_story_and_the_honor_roll_by_year(page, console, site):
    story, award, older = site["story"], site["award"], site["older"]
    page.goto("/")
    link = page.locator("#latest-stories a", has_text=TITLE)
    expect(link).to_have_count(1)
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(story_url(story))

    # The title, the formatted body, and the award it rests on.
    expect(page.locator("h1")).to_have_text(TITLE)
    body = page.locator(".story-body")
    expect(body).to_contain_text(BODY_WORDS)
    expect(body.locator("strong")).to_have_text("lắng nghe")
    expect(body.locator("li")).to_have_count(2)
    basis = page.locator("#basis-award")
    expect(basis).to_contain_text(HUONG)
    expect(basis).to_contain_text(award.form.name)
    expect(basis).to_contain_text("15-QĐ/ĐU")
    expect(basis).to_contain_text("20/12/2020")

    # The honor roll, from the menu: both years, then 2020 only.
    with page.expect_navigation():
        page.click(".site-nav a[href='/bang-vang/']")
    expect(page.locator(f"#award-{award.pk}")).to_be_visible()
    expect(page.locator(f"#award-{older.pk}")).to_be_visible()
    expect(page.locator("#year-2019")).to_be_visible()
    page.select_option("#f-year", "2020")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "year=2020" in page.url
    expect(page.locator("#f-year")).to_have_value("2020")
    row = page.locator(f"#award-{award.pk}")
    expect(row).to_contain_text(HUONG)
    expect(row).to_contain_text("Chi bộ 1")
    expect(row).to_contain_text("15-QĐ/ĐU")
    expect(page.locator(f"#award-{older.pk}")).to_have_count(0)
    expect(page.locator("#year-2019")).to_have_count(0)
    expect(page.locator("#honor-counts [data-count=people]")).to_have_text("1")
    expect(page.locator("#honor-counts [data-count=collectives]")).to_have_text("0")

    assert console.errors == [] and console.csp_violations() == []


# --- commenting ----------------------------------------------------------------------------


def test_a_reader_comments_and_is_told_it_awaits_approval(page, console, site):
    story = site["story"]
    page.goto(story_url(story))

    # The form says which fields are required, and that the email stays private.
    for name in ("name", "email", "body"):
        expect(field(page, name).locator("label .req")).to_have_text("*")
    notice = page.locator("#comment-form .comment-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("*")
    expect(page.locator("#comments .no-comments")).to_be_visible()

    send(page, *READER, "Cảm ơn chị Hường, một tấm gương rất đáng học tập.")
    assert page.url.endswith(story_url(story))
    expect(page.locator(".messages li.success")).to_have_count(1)
    comment = Comment.objects.get(story=story)
    assert comment.status == CommentStatus.PENDING
    # Not shown until a moderator approves it.
    expect(page.locator(f"#comment-{comment.pk}")).to_have_count(0)
    expect(page.locator("#comments")).not_to_contain_text("tấm gương rất đáng học tập")
    expect(page.locator("#comments .no-comments")).to_be_visible()

    # A second comment without an email: the message sits next to the email field, and
    # what the reader typed is still there.
    second = "Tôi cũng muốn kể về chị Hường:\nchị giúp bà con làm giấy tờ rất tận tình."
    send(page, "Trần Thị Bé", "", second)
    email = field(page, "email")
    expect(email.locator("#id_email_error")).to_be_visible()
    expect(email).to_have_class(re.compile(r"\bhas-error\b"))
    expect(page.locator("#id_name")).to_have_value("Trần Thị Bé")
    expect(page.locator("#id_body")).to_have_value(second)
    expect(page.locator("#id_name_error")).to_have_count(0)
    expect(page.locator(".messages li.success")).to_have_count(0)
    assert Comment.objects.filter(story=story).count() == 1

    assert console.errors == [] and console.csp_violations() == []


# --- moderation ----------------------------------------------------------------------------


def test_staff_approve_a_comment_in_bulk_and_the_reader_sees_it(page, console, site, staff_page):
    story = site["story"]
    comment = pending(story, "Bài viết rất hay, cảm ơn Ban biên tập.")
    other = pending(story, "Một ý kiến khác còn chờ duyệt.")
    page.goto(story_url(story))
    expect(page.locator(f"#comment-{comment.pk}")).to_have_count(0)

    # The committee's staff open the queue, tick the comment and approve the ticked ones.
    staff_page.goto("/work/comments/")
    row = staff_page.locator(f"#comments #comment-{comment.pk}")
    expect(row.locator(".comment-body")).to_have_text("Bài viết rất hay, cảm ơn Ban biên tập.")
    expect(row.locator(".comment-email")).to_have_text(READER[1])  # moderators see it
    staff_page.check(f"#tick-{comment.pk}")
    with staff_page.expect_navigation():
        staff_page.click("#bulk-actions button[value=approved]")
    expect(staff_page.locator(".messages .success")).to_have_count(1)
    # the queue (pending) no longer lists it; the other one still waits
    expect(staff_page.locator(f"#comments #comment-{comment.pk}")).to_have_count(0)
    expect(staff_page.locator(f"#comments #comment-{other.pk}")).to_have_count(1)
    comment.refresh_from_db()
    other.refresh_from_db()
    assert (comment.status, other.status) == (CommentStatus.APPROVED, CommentStatus.PENDING)

    # The reader reloads the story: the approved comment shows, without the email.
    page.reload()
    shown = page.locator(f"#comment-{comment.pk}")
    expect(shown.locator(".comment-author")).to_have_text(READER[0])
    expect(shown.locator(".comment-body")).to_have_text("Bài viết rất hay, cảm ơn Ban biên tập.")
    expect(page.locator(f"#comment-{other.pk}")).to_have_count(0)
    assert READER[1] not in page.content()

    assert console.errors == [] and console.csp_violations() == []


# --- replying ------------------------------------------------------------------------------


def test_a_reply_awaits_approval_then_shows_indented_under_its_comment(
    page, console, site, staff_page, committee_staff
):
    story = site["story"]
    parent = pending(story, "Chị Hường đã giúp gia đình tôi rất nhiều.")
    moderate([parent], CommentStatus.APPROVED, by=committee_staff)
    page.goto(story_url(story))

    # "Trả lời" under the approved comment: the form says whom the reader answers.
    with page.expect_navigation():
        page.click(f"#comment-{parent.pk} a.reply-link")
    expect(page.locator("#comment-form-replying")).to_contain_text(READER[0])
    expect(page.locator("#comment-form input[name=parent]")).to_have_value(str(parent.pk))
    send(page, "Phạm Thu Hà", "ha.pham@example.vn", "Tôi cũng vậy, xin cảm ơn chị.")
    expect(page.locator(".messages li.success")).to_have_count(1)
    reply = Comment.objects.get(parent=parent)
    assert reply.status == CommentStatus.PENDING and reply.story_id == story.pk
    expect(page.locator(f"#comment-{reply.pk}")).to_have_count(0)

    # The staff approve it with its own button in the queue.
    staff_page.goto("/work/comments/")
    expect(staff_page.locator(f"#comment-{reply.pk} .reply-to")).to_contain_text(READER[0])
    with staff_page.expect_navigation():
        staff_page.click(f"#comment-{reply.pk} button[value='approved:{reply.pk}']")
    reply.refresh_from_db()
    assert reply.status == CommentStatus.APPROVED

    # The reader sees the reply inside its comment's thread, indented.
    page.goto(story_url(story))
    nested = page.locator(f"#comment-{parent.pk} .comment-replies #comment-{reply.pk}")
    expect(nested.locator(".comment-author")).to_have_text("Phạm Thu Hà")
    expect(nested.locator(".comment-body")).to_have_text("Tôi cũng vậy, xin cảm ơn chị.")
    parent_box = page.locator(f"#comment-{parent.pk} > article").bounding_box()
    reply_box = page.locator(f"#comment-{reply.pk} > article").bounding_box()
    assert reply_box["x"] > parent_box["x"] + 10, (parent_box, reply_box)
    assert reply_box["y"] > parent_box["y"]

    assert console.errors == [] and console.csp_violations() == []


# --- search --------------------------------------------------------------------------------


def test_search_without_diacritics_finds_the_honoree_and_the_story(page, console, site):
    story = site["story"]
    page.goto("/tim-kiem/")
    page.fill("#q", "nguyen")
    with page.expect_navigation():
        page.press("#q", "Enter")
    assert "q=nguyen" in page.url
    honorees = page.locator("#results-honorees li[data-kind=person]")
    expect(honorees).to_have_count(1)
    expect(honorees).to_contain_text(HUONG)
    expect(honorees).to_contain_text("Chi bộ 1")

    # A word of the story without its diacritics finds the story; a click opens it.
    page.fill("#q", "tan tuy")
    with page.expect_navigation():
        page.click("form.search-form button[type=submit]")
    found = page.locator("#results-stories a", has_text=TITLE)
    expect(found).to_have_count(1)
    with page.expect_navigation():
        found.click()
    assert page.url.endswith(story_url(story))

    # From the home page's box too, for the commended collective's name.
    page.goto("/")
    page.fill("#home-q", "vien thong")
    with page.expect_navigation():
        page.press("#home-q", "Enter")
    expect(page.locator("#results-honorees li[data-kind=collective]")).to_contain_text(
        "Đảng bộ Viễn thông Cà Mau"
    )
    expect(page.locator("#results-organizations")).to_contain_text("Đảng bộ Viễn thông Cà Mau")

    assert console.errors == [] and console.csp_violations() == []
