"""Readers' comments on a story, as a reader meets them: the form and its notice, refusals
next to the field with the text kept, replies one level deep, pre-moderation, the honeypot,
the rate limit per address, and the email that never leaves the moderators."""

import datetime
import hashlib
import hmac
import html
import re
import uuid

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lantoa.core.models import AuditEntry
from lantoa.public.models import Comment, CommentStatus, Story, StoryStatus
from lantoa.public.services.comments import approved_thread, post_comment

A = CommentStatus
# the readers' emails: never on a public page, in a feed or in a public response
SECRET_EMAIL = "ban.doc.rieng.4471@example.vn"
REPLY_EMAIL = "tra.loi.rieng.5582@example.vn"
NOTICE_EN = "Your email address will not be published. Required fields are marked *"
AWAITING_EN = "Your comment is awaiting approval."


@pytest.fixture(autouse=True)
def public_settings(settings, tmp_path):
    settings.SITE_URL = "https://lantoa.example.vn"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.COMMENT_RATE_LIMIT = 5
    settings.COMMENT_TRUSTED_PROXY = False


@pytest.fixture
def en(client):
    """A reader whose browser chose English (the site is Vietnamese first)."""
    client.cookies["django_language"] = "en"
    return client


def make_story(org, slug: str = "tam-guong-ca-mau", **fields) -> Story:
    defaults = {
        "title": "Tấm gương sáng ở Cà Mau",
        "summary": "Một đảng viên tiêu biểu.",
        "body": "Chị đã **lan tỏa** việc làm tốt.",
        "status": StoryStatus.PUBLISHED,
        "published_at": timezone.now() - datetime.timedelta(days=1),
    }
    defaults.update(fields)
    return Story.objects.create(organization=org, slug=slug, **defaults)


def add_comment(story=None, status=A.APPROVED, parent=None, **fields) -> Comment:
    defaults = {
        "name": "Lê Thị Mai",
        "email": SECRET_EMAIL,
        "body": "Cảm ơn bài viết.",
        "status": status,
    }
    defaults.update(fields)
    return Comment.objects.create(story=story, parent=parent, **defaults)


def form(**changes) -> dict:
    data = {
        "form_token": uuid.uuid4().hex,
        "name": "Trần Văn Bình",
        "email": "binh@example.vn",
        "body": "Tấm gương rất đáng học tập.\nXin cảm ơn.",
        "parent": "",
        "website": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def story(tree) -> Story:
    return make_story(tree.root)


def story_url(story: Story) -> str:
    return reverse("public:story", args=[story.slug])


def post_url(story: Story) -> str:
    return reverse("public:story_comment", args=[story.slug])


def field_error(page: str, field: str) -> str:
    """The message shown right under the field (core/_field.html), or ""."""
    found = re.search(rf'<p class="error" id="id_{field}_error">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


def form_errors(page: str) -> str:
    """The messages at the top of the comment form (the comment replied to, the limit)."""
    found = re.search(r'<div class="errors" role="alert">(.*?)</div>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))) if found else ""


def typed_body(page: str) -> str:
    """The text in the comment box (Django starts a textarea with a new line)."""
    found = re.search(r'<textarea name="body"[^>]*>\r?\n?(.*?)</textarea>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


def hashed(address: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


# --- the form -------------------------------------------------------------------------


def test_the_story_page_offers_the_form_with_its_notice_and_required_marks(en, story):
    page = en.get(story_url(story)).content.decode()
    assert f'action="{post_url(story)}"' in page
    assert NOTICE_EN in page
    for field, label, autocomplete in (
        ("name", "Name", "name"),
        ("email", "Email", "email"),
        ("body", "Comment", None),
    ):
        assert re.search(
            rf'<label for="id_{field}">{label} <span class="req"[^>]*>\*</span></label>', page
        ), field
        if autocomplete:
            assert re.search(rf'<input[^>]*autocomplete="{autocomplete}"[^>]*id="id_{field}"', page)
    # the honeypot is there for bots, in a wrapper people do not see
    assert re.search(r'<div class="hp" aria-hidden="true">\s*<label for="id_website">', page)
    assert 'name="website"' in page and 'tabindex="-1"' in page
    assert "public/comments.css" in page


def test_the_form_and_its_notice_show_on_the_vietnamese_page_too(client, story):
    page = client.get(story_url(story)).content.decode()
    assert 'class="note comment-notice"' in page
    assert 'name="name"' in page and 'name="email"' in page and 'name="body"' in page


def test_a_comment_waits_for_approval_and_the_reader_is_told(en, story):
    response = en.post(post_url(story), form())
    assert response.status_code == 302 and response["Location"] == story_url(story)
    comment = Comment.objects.get()
    assert (comment.story, comment.status, comment.parent) == (story, A.PENDING, None)
    assert comment.name == "Trần Văn Bình" and comment.email == "binh@example.vn"
    assert comment.body == "Tấm gương rất đáng học tập.\nXin cảm ơn."

    page = en.get(response["Location"]).content.decode()
    assert AWAITING_EN in page
    # not shown before a moderator approves it
    assert "Tấm gương rất đáng học tập." not in page


def test_the_address_is_kept_only_as_a_keyed_hash(en, story):
    en.post(post_url(story), form(), REMOTE_ADDR="203.113.5.7")
    comment = Comment.objects.get()
    assert comment.address_hash == hashed("203.113.5.7") != hashed("203.113.5.8")
    assert "203.113.5.7" not in comment.address_hash
    # nor in the audit trail that recorded the new comment (nor the email)
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Comment), object_pk=str(comment.pk)
    )
    assert entries.exists()
    for entry in entries:
        assert entry.remote_addr in (None, "")
        assert "binh@example.vn" not in str(entry.changes)
        assert comment.address_hash not in str(entry.changes)


def test_a_double_submit_makes_one_comment(en, story):
    data = form()
    first = en.post(post_url(story), data)
    again = en.post(post_url(story), data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Comment.objects.count() == 1


def test_a_reload_of_the_post_address_goes_back_to_the_story(client, story):
    response = client.get(post_url(story))
    assert response.status_code == 302 and response["Location"].startswith(story_url(story))


def test_no_comment_on_a_draft_or_withdrawn_story(client, tree):
    for n, status in enumerate((StoryStatus.DRAFT, StoryStatus.WITHDRAWN)):
        hidden = make_story(tree.root, slug=f"an-{n}", status=status, published_at=None)
        assert client.post(post_url(hidden), form()).status_code == 404
    future = make_story(
        tree.root, slug="sap-dang", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert client.post(post_url(future), form()).status_code == 404
    assert not Comment.objects.exists()


def test_closed_comments_show_no_form_and_refuse_a_comment(en, tree):
    closed = make_story(tree.root, slug="da-dong", comments_open=False)
    add_comment(closed, body="Bình luận cũ đã duyệt.")
    page = en.get(story_url(closed)).content.decode()
    assert "Comments are closed." in page and "Bình luận cũ đã duyệt." in page
    assert 'name="body"' not in page
    response = en.post(post_url(closed), form())
    assert response.status_code == 200 and Comment.objects.count() == 1


# --- refusals next to the field, the text kept ----------------------------------------


def test_missing_fields_are_each_refused_next_to_the_field(en, story):
    page = en.post(post_url(story), form(name="", email="", body="")).content.decode()
    assert field_error(page, "name") == "Enter your name."
    assert field_error(page, "email") == "Enter your email address."
    assert field_error(page, "body") == "Write your comment."
    assert not Comment.objects.exists()

    # with some fields filled, what was typed stays
    page = en.post(post_url(story), form(name="", body="Nội dung vẫn còn")).content.decode()
    assert field_error(page, "name") == "Enter your name."
    assert field_error(page, "body") == ""
    assert 'value="binh@example.vn"' in page
    assert typed_body(page) == "Nội dung vẫn còn"


def test_missing_fields_in_vietnamese_use_the_site_language(client, story):
    page = client.post(post_url(story), form(name="", email="x")).content.decode()
    assert field_error(page, "name") and field_error(page, "email")
    assert typed_body(page) == "Tấm gương rất đáng học tập.\nXin cảm ơn."
    assert not Comment.objects.exists()


def test_an_invalid_email_is_refused_and_the_comment_kept(en, story):
    page = en.post(post_url(story), form(email="binh@@example")).content.decode()
    assert field_error(page, "email") == "Enter a valid email address, such as ten@example.vn."
    assert 'value="binh@@example"' in page
    assert 'value="Trần Văn Bình"' in page
    assert typed_body(page) == "Tấm gương rất đáng học tập.\nXin cảm ơn."
    assert not Comment.objects.exists()


def test_an_overlong_comment_is_refused_with_the_limit_and_kept(en, story):
    body = "Rất hay. " * 400  # 3,600 characters
    page = en.post(post_url(story), form(body=body)).content.decode()
    message = field_error(page, "body")
    assert message == (
        f"A comment can be at most 3000 characters long; yours has {len(body.strip())}."
    )
    assert typed_body(page) == body  # exactly as typed
    # the browser does not cut the text silently: the server says how long it is
    assert not re.search(r"<textarea[^>]*maxlength", page)
    assert not Comment.objects.exists()
    assert en.post(post_url(story), form(body="x" * 3000)).status_code == 302


def test_an_overlong_name_is_refused(en, story):
    page = en.post(post_url(story), form(name="N" * 101)).content.decode()
    assert field_error(page, "name") == "A name can be at most 100 characters long."


# --- replies ---------------------------------------------------------------------------


def test_a_reply_to_an_approved_comment_is_threaded_below_it(en, story):
    first = add_comment(story, name="Lê Thị Mai", body="Câu hỏi của tôi.")
    page = en.get(story_url(story) + f"?reply_to={first.pk}").content.decode()
    assert 'id="comment-form-replying"' in page and "Replying to Lê Thị Mai" in page
    assert f'<input type="hidden" name="parent" value="{first.pk}">' in page
    assert f'href="{story_url(story)}#comment-form" class="cancel-reply"' in page
    reply_link = f'href="{story_url(story)}?reply_to={first.pk}#comment-form"'
    assert reply_link in page

    response = en.post(post_url(story), form(parent=str(first.pk), body="Xin trả lời chị."))
    assert response.status_code == 302
    reply = Comment.objects.get(body="Xin trả lời chị.")
    assert reply.parent == first and reply.status == A.PENDING

    reply.status = A.APPROVED
    reply.save()
    page = en.get(story_url(story)).content.decode()
    thread = page[page.index(f'id="comment-{first.pk}"') :]
    assert thread.index("Câu hỏi của tôi.") < thread.index("Xin trả lời chị.")
    assert 'class="comment-replies"' in thread
    # no "Reply" on a reply: threads go one level deep
    assert f"reply_to={reply.pk}" not in page


def test_an_unknown_reply_target_in_the_address_is_ignored(en, story):
    pending = add_comment(story, status=A.PENDING, name="Chưa duyệt")
    page = en.get(story_url(story) + f"?reply_to={pending.pk}").content.decode()
    assert "Replying to" not in page and 'name="parent" value=' not in page
    page = en.get(story_url(story) + "?reply_to=abc").content.decode()
    assert "Replying to" not in page


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("pending", "This comment cannot be answered: it has not been approved."),
        ("rejected", "This comment cannot be answered: it has not been approved."),
        ("other_story", "You can only reply to a comment shown on this page."),
        ("reply", "Replies go one level deep: answer the first comment of the thread instead."),
        ("missing", "You can only reply to a comment shown on this page."),
    ],
)
def test_a_reply_that_cannot_be_is_refused_and_the_text_kept(en, story, tree, target, message):
    top = add_comment(story)
    other = make_story(tree.root, slug="bai-khac")
    targets = {
        "pending": lambda: add_comment(story, status=A.PENDING),
        "rejected": lambda: add_comment(story, status=A.REJECTED),
        "other_story": lambda: add_comment(other),
        "reply": lambda: add_comment(story, parent=top),
        "missing": lambda: Comment(pk=987654),
    }
    parent = targets[target]()
    before = Comment.objects.count()
    page = en.post(
        post_url(story), form(parent=str(parent.pk), body="Trả lời bị từ chối")
    ).content.decode()
    assert Comment.objects.count() == before
    assert message in form_errors(page)
    assert 'value="Trần Văn Bình"' in page and typed_body(page) == "Trả lời bị từ chối"
    # sent again, it is a plain comment (the reader read why)
    assert "Replying to" not in page and f'name="parent" value="{parent.pk}"' not in page


# --- spam and flooding -------------------------------------------------------------------


def test_a_filled_honeypot_is_kept_as_spam_and_the_sender_told_the_same(en, story):
    response = en.post(post_url(story), form(website="http://spam.example"))
    assert response.status_code == 302
    assert Comment.objects.get().status == A.SPAM
    assert AWAITING_EN in en.get(response["Location"]).content.decode()


def test_six_comments_in_ten_minutes_from_one_address_are_too_many(en, story):
    for n in range(5):
        assert en.post(post_url(story), form(body=f"Bình luận {n}")).status_code == 302
    page = en.post(post_url(story), form(body="Bình luận thứ sáu")).content.decode()
    assert "Please try again later." in form_errors(page)
    assert typed_body(page) == "Bình luận thứ sáu"
    assert Comment.objects.count() == 5

    # another address is not held back
    other = en.post(post_url(story), form(body="Người khác"), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302

    # ten minutes later, the first address may comment again
    Comment.objects.filter(address_hash=hashed("127.0.0.1")).update(
        created_at=timezone.now() - datetime.timedelta(minutes=10, seconds=1)
    )
    assert en.post(post_url(story), form(body="Bình luận thứ sáu")).status_code == 302
    assert Comment.objects.count() == 7


def test_spam_counts_toward_the_limit(en, story):
    for n in range(5):
        en.post(post_url(story), form(body=f"Quảng cáo {n}", website="x"))
    page = en.post(post_url(story), form()).content.decode()
    assert "Please try again later." in form_errors(page)


def test_a_forwarded_address_is_not_trusted_unless_the_settings_say_so(en, story, settings):
    for n in range(5):
        en.post(post_url(story), form(body=f"B{n}"), HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    refused = en.post(post_url(story), form(body="B5"), HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert refused.status_code == 200 and Comment.objects.count() == 5

    settings.COMMENT_TRUSTED_PROXY = True
    allowed = en.post(
        post_url(story), form(body="B6"), HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7"
    )
    assert allowed.status_code == 302
    assert Comment.objects.get(body="B6").address_hash == hashed("198.51.100.7")


def test_the_service_refuses_a_comment_on_nothing_or_on_both(story):
    with pytest.raises(TypeError):
        post_comment(name="A", email="a@example.vn", body="x", address="", honeypot="")


# --- what the public reads ---------------------------------------------------------------


def test_the_thread_is_approved_comments_in_order_in_two_queries(story, tree):
    other = make_story(tree.root, slug="bai-khac")
    tops = [add_comment(story, body=f"Gốc {n}") for n in range(6)]
    for top in tops:
        add_comment(story, parent=top, body=f"Trả lời {top.body}")
        add_comment(story, parent=top, status=A.PENDING, body="Chờ duyệt")
    add_comment(story, status=A.PENDING, body="Gốc chờ")
    add_comment(story, status=A.REJECTED, body="Gốc bị từ chối")
    add_comment(story, status=A.SPAM, body="Quảng cáo")
    add_comment(other, body="Bài khác")

    with CaptureQueriesContext(connection) as queries:
        thread = approved_thread(story=story)
        shown = [(c.body, [r.body for r in c.approved_replies]) for c in thread]
    assert len(queries) == 2
    assert shown == [(f"Gốc {n}", [f"Trả lời Gốc {n}"]) for n in range(6)]
    # the email and the address hash are not even read
    for query in queries.captured_queries:
        assert "email" not in query["sql"].lower()
        assert "address_hash" not in query["sql"].lower()


def test_an_empty_thread_costs_one_query(story, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert approved_thread(story=story) == []


def test_names_and_bodies_are_escaped_with_their_line_breaks(client, story):
    add_comment(story, name="<b>Mai</b>", body="Dòng một\nDòng <i>hai</i>")
    page = client.get(story_url(story)).content.decode()
    assert "&lt;b&gt;Mai&lt;/b&gt;" in page and "<b>Mai</b>" not in page
    assert "Dòng một<br>Dòng &lt;i&gt;hai&lt;/i&gt;" in page


def test_the_readers_emails_appear_on_no_public_page_or_feed(client, tree, story):
    top = add_comment(story, name="Lê Thị Mai")
    add_comment(story, parent=top, name="Phạm Văn Tư", email=REPLY_EMAIL)
    add_comment(story, status=A.PENDING, email="cho.duyet.9931@example.vn")
    urls = [
        story_url(story),
        story_url(story) + f"?reply_to={top.pk}",
        reverse("public:home"),
        reverse("public:search") + "?q=Mai",
        reverse("public:search") + "?q=example.vn",
    ]
    urls += [reverse(f"public:{name}") for name in ("rss", "sitemap", "honor_roll")]
    shown_names = False
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for email in (SECRET_EMAIL, REPLY_EMAIL, "cho.duyet.9931@example.vn", "@example.vn"):
            assert email not in text, (url, email)
        shown_names = shown_names or ("Phạm Văn Tư" in text)
    assert shown_names  # the reply was on the page, its sender's email was not
