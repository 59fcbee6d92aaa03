"""A corpus of XSS payloads stays inert in a real browser: readers post them as names and
comments (and a reply) through the story page's form, a moderator approves them (directly
in the database), and the story's own text carries a Markdown link to javascript: and a
<style> tag. The page then shows every payload as text: no dialog opens, no injected script
runs or is even blocked by the policy, no inline script, frame, SVG or event handler exists.

The comment forms (nominees, errors shown) also pass axe-core. Elements are found by id,
class and name, never by translated text.
"""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from lantoa.public.models import Comment, CommentStatus, Story, StoryStatus
from tests.awards.factories import make_nomination, make_round
from tests.e2e.axe import severe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS)),
]

SEND = "form#comment-form button[type=submit]"
# (name, comment) pairs: each payload once as a name and once in a body
CORPUS = [
    ("<script>alert(1)</script>", "Trước <script>alert('body')</script> sau"),
    ("<img src=x onerror=alert(1)>", "Ảnh <img src=x onerror=alert(2)> đây"),
    ('"><svg onload=alert(1)>', 'Thoát thuộc tính "><svg onload=alert(3)>'),
    ("javascript:alert(1)", "Liên kết javascript:alert(4) không bấm được"),
    ("<iframe src=javascript:alert(1)>", "Khung <iframe src=javascript:alert(5)></iframe>"),
    ("</textarea><script>alert(1)</script>", "</textarea><script>alert(6)</script>"),
    ("{{7*7}}", "Mẫu {{7*7}} và {% now 'Y' %} và ${7*7}"),
    ('<a href="javascript:alert(1)">x</a>', 'Bấm <a href="javascript:alert(7)">vào đây</a>'),
    ("<style>body{display:none}</style>", "<style>*{color:red}</style>Kiểu chữ"),
    ("Bình thường", "[x](javascript:alert(8)) và <b onmouseover=alert(9)>đậm</b>"),
]
REPLY = ("<script>alert('reply')</script>", '<img src=x onerror=alert("reply")>')
STORY_BODY = (
    "Đoạn đầu của bài viết.\n\n"
    "[Bấm vào đây](javascript:alert('md')) và [an toàn](https://example.vn)\n\n"
    "<style>body{display:none}</style>\n\n"
    "<script>alert('story')</script> <img src=x onerror=alert('story')>\n\n"
    '<a href="javascript:alert(10)">liên kết</a> <iframe src="javascript:alert(11)"></iframe>'
)
NO_INLINE_SCRIPT = "document.querySelectorAll('script:not([src])').length"
INJECTED = "document.querySelectorAll('main iframe, main svg, main object, main embed, style')"
HANDLERS = (
    "[...document.querySelectorAll('*')].filter(e => [...e.attributes]"
    ".some(a => a.name.startsWith('on'))).length"
)
JS_LINKS = "document.querySelectorAll('a[href^=\"javascript\" i]').length"


@pytest.fixture(autouse=True)
def room_for_the_corpus(settings):
    """The whole corpus comes from one address: the rate limit must not stop it."""
    settings.COMMENT_RATE_LIMIT = 100


def send(page, name: str, body: str, email: str = "ban.doc@example.vn") -> None:
    page.fill("#id_name", name)
    page.fill("#id_email", email)
    page.fill("#id_body", body)
    with page.expect_navigation():
        page.click(SEND)


def test_xss_payloads_in_comments_and_the_story_stay_inert(page, console, tree):
    story = Story.objects.create(
        organization=tree.root,
        title="Tấm gương <script>alert('title')</script>",
        slug="tam-guong-xss",
        summary='Tóm tắt "><img src=x onerror=alert(12)>',
        body=STORY_BODY,
        status=StoryStatus.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(hours=1),
    )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    url = f"/bai-viet/{story.slug}/"

    # Readers post the corpus through the form; each is told it awaits approval.
    page.goto(url)
    for name, body in CORPUS:
        send(page, name, body)
        expect(page.locator(".messages li.success")).to_have_count(1)
    assert Comment.objects.filter(story=story, status=CommentStatus.PENDING).count() == 10

    # A refused comment comes back inside the textarea, still inert, and kept as typed.
    send(page, "Người đọc", "</textarea><script>alert('kept')</script>", email="")
    expect(page.locator("#id_email_error")).to_be_visible()
    expect(page.locator("#id_body")).to_have_value("</textarea><script>alert('kept')</script>")
    assert page.evaluate(NO_INLINE_SCRIPT) == 0

    # A moderator approves them; a reader answers the first one.
    Comment.objects.filter(story=story).update(status=CommentStatus.APPROVED)
    page.goto(url)
    first = Comment.objects.filter(story=story).order_by("id").first()
    with page.expect_navigation():
        page.click(f"#comment-{first.pk} a.reply-link")
    expect(page.locator("#comment-form-replying")).to_contain_text(CORPUS[0][0])
    send(page, *REPLY)
    reply = Comment.objects.get(parent=first)
    reply.status = CommentStatus.APPROVED
    reply.save()

    # The story page, with every payload approved.
    page.goto(url)
    comments = list(Comment.objects.filter(story=story, parent=None).order_by("id"))
    assert len(comments) == len(CORPUS)
    for comment, (name, body) in zip(comments, CORPUS, strict=True):
        block = page.locator(f"#comment-{comment.pk} > article")
        expect(block.locator(".comment-author")).to_have_text(name)
        shown = block.locator(".comment-body").inner_text()
        assert " ".join(shown.split()) == " ".join(body.split()), name
    reply_block = page.locator(f"#comment-{reply.pk}")
    expect(reply_block.locator(".comment-author")).to_have_text(REPLY[0])
    expect(reply_block.locator(".comment-body")).to_have_text(REPLY[1])
    expect(page.locator("h1")).to_have_text("Tấm gương <script>alert('title')</script>")
    assert "{{7*7}}" in page.inner_text("#comments") and "49" not in page.inner_text("#comments")

    # The story's own text: the safe link stays, javascript: and markup are gone.
    body = page.locator(".story-body")
    expect(body.locator('a[href="https://example.vn"]')).to_have_count(1)
    assert page.evaluate(JS_LINKS) == 0

    # Nothing ran, nothing was even tried.
    page.wait_for_timeout(300)  # give a late onerror or onload its chance
    assert dialogs == []
    assert page.evaluate(NO_INLINE_SCRIPT) == 0
    assert page.evaluate(f"{INJECTED}.length") == 0
    assert page.evaluate(HANDLERS) == 0
    assert page.evaluate("getComputedStyle(document.body).display") != "none"
    assert console.errors == []
    assert console.csp_violations() == []
    assert not [m for m in console.messages if "alert" in m or "Failed to load" in m]


def test_the_comment_forms_are_accessible_with_their_errors(page, console, tree):
    """axe-core finds nothing serious on the nominees' page (a form per nominee, a reply
    under way) nor on a story's form shown again with its errors."""
    today = timezone.localdate()
    round_ = make_round(
        tree.root,
        year=today.year,
        submissions_close=today - datetime.timedelta(days=3),
        voting_opens=today + datetime.timedelta(days=5),
        voting_closes=today + datetime.timedelta(days=9),
        public_comments_from=today - datetime.timedelta(days=1),
        public_comments_until=today + datetime.timedelta(days=4),
    )
    nominations = [make_nomination(round_, tree.own, status="submitted") for _ in range(2)]
    first = Comment.objects.create(
        nomination=nominations[0],
        name="Lê Thị Mai",
        email="mai@example.vn",
        body="Đồng ý.",
        status=CommentStatus.APPROVED,
    )
    page.goto(f"/cong-khai/dot-xet/{round_.pk}/?reply_to={first.pk}")
    expect(page.locator(f"#nominee-{nominations[0].pk}-form-replying")).to_be_visible()
    assert severe_violations(page) == []

    story = Story.objects.create(
        organization=tree.root,
        title="Tấm gương",
        slug="tam-guong",
        body="Nội dung.",
        status=StoryStatus.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(hours=1),
    )
    page.goto(f"/bai-viet/{story.slug}/")
    send(page, "", "x" * 3001, email="khong-hop-le")
    expect(page.locator("#id_name_error")).to_be_visible()
    expect(page.locator("#id_body_error")).to_be_visible()
    assert severe_violations(page) == []
    assert console.errors == [] and console.csp_violations() == []
