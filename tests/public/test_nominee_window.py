"""The nominee publication window: while a round publishes its nominees, the public reads
them and comments; outside it, nothing of them shows; approved comments reach the
nomination's file, which the staff read. The round's two days are set on its form."""

import datetime
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lantoa.awards.models import NominationStatus, Round
from lantoa.public.models import Comment, CommentStatus
from lantoa.public.services.comments import window_open
from tests.awards.factories import award_form, make_nomination, make_round, vote_rule
from tests.factories import PersonFactory

A = CommentStatus
S = NominationStatus
D = datetime.date
SECRET_EMAIL = "gop.y.rieng.6620@example.vn"
AWAITING_EN = "Your comment is awaiting approval."


@pytest.fixture(autouse=True)
def public_settings(settings, tmp_path):
    settings.SITE_URL = "https://lantoa.example.vn"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.COMMENT_RATE_LIMIT = 5


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def today() -> datetime.date:
    return timezone.localdate()


def round_in_window(org, start: int = -2, end: int = 3, **fields) -> Round:
    """A round whose nominees are published from `start` to `end` days from today, before
    a vote that opens a week from today."""
    day = today()
    defaults = {
        "year": day.year,
        "submissions_close": day - datetime.timedelta(days=5),
        "voting_opens": day + datetime.timedelta(days=7),
        "voting_closes": day + datetime.timedelta(days=14),
        "public_comments_from": day + datetime.timedelta(days=start),
        "public_comments_until": day + datetime.timedelta(days=end),
        "title": "Xét khen thưởng điển hình tiên tiến",
    }
    defaults.update(fields)
    return make_round(org, **defaults)


@pytest.fixture
def nominees(tree):
    """An open round with a person in review, a collective submitted, and nominations the
    public must not see (a draft, one selected, one withdrawn)."""
    round_ = round_in_window(tree.root)
    person = PersonFactory(
        family_name="Nguyễn",
        middle_name="Thị",
        given_name="Hường",
        birth_date=D(1980, 3, 8),
        organization=tree.own,
        position="Phó Trưởng ban",
    )
    return {
        "round": round_,
        "person": make_nomination(
            round_,
            tree.own,
            person=person,
            status=S.IN_REVIEW,
            proposed_form=award_form("bang-khen"),
            achievements="Vận động xây 12 căn nhà đại đoàn kết.",
        ),
        "collective": make_nomination(
            round_,
            tree.other,
            collective=tree.other_cell,
            status=S.SUBMITTED,
            achievements="Chi bộ trong sạch vững mạnh 5 năm liền.",
        ),
        "draft": make_nomination(
            round_, tree.own, person=PersonFactory(given_name="Nháp"), status=S.DRAFT
        ),
        "selected": make_nomination(
            round_, tree.own, person=PersonFactory(given_name="Đãchọn"), status=S.SELECTED
        ),
        "withdrawn": make_nomination(
            round_, tree.own, person=PersonFactory(given_name="Rútlại"), status=S.WITHDRAWN
        ),
    }


def page_url(round_: Round) -> str:
    return reverse("public:nominees", args=[round_.pk])


def comment_url(nomination) -> str:
    return reverse("public:nominee_comment", args=[nomination.pk])


def form(**changes) -> dict:
    data = {
        "form_token": uuid.uuid4().hex,
        "name": "Trần Văn Bình",
        "email": SECRET_EMAIL,
        "body": "Chị Hường rất xứng đáng.",
        "parent": "",
        "website": "",
    }
    data.update(changes)
    return data


def add_comment(nomination, status=A.APPROVED, parent=None, **fields) -> Comment:
    defaults = {"name": "Lê Thị Mai", "email": SECRET_EMAIL, "body": "Đồng ý đề nghị."}
    defaults.update(fields)
    return Comment.objects.create(nomination=nomination, parent=parent, status=status, **defaults)


def section(page: str, nomination) -> str:
    start = page.index(f'id="nominee-{nomination.pk}"')
    end = page.find('<article class="nominee"', start + 1)
    return page[start : end if end > 0 else len(page)]


# --- the window ----------------------------------------------------------------------------


def test_the_window_is_both_days_inclusive(tree):
    round_ = round_in_window(tree.root, start=0, end=0)
    assert window_open(round_, today())
    assert not window_open(round_, today() - datetime.timedelta(days=1))
    assert not window_open(round_, today() + datetime.timedelta(days=1))
    round_.public_comments_from = round_.public_comments_until = None
    assert not window_open(round_, today())


def test_while_open_the_public_reads_the_nominees_and_their_approved_comments(
    en, nominees, django_assert_max_num_queries
):
    add_comment(nominees["person"], name="Lê Thị Mai", body="Chị ấy giúp đỡ nhiều hộ nghèo.")
    add_comment(nominees["person"], status=A.PENDING, body="Chưa được duyệt")
    page = en.get(page_url(nominees["round"])).content.decode()
    assert "Xét khen thưởng điển hình tiên tiến" in page
    assert "2 nominees" in page

    person = section(page, nominees["person"])
    assert "Nguyễn Thị Hường" in person and "Đảng bộ Ban Dân vận Tỉnh ủy" in person
    assert "Bằng khen" in person and "Vận động xây 12 căn nhà đại đoàn kết." in person
    assert "Chị ấy giúp đỡ nhiều hộ nghèo." in person and "Lê Thị Mai" in person
    assert "Chưa được duyệt" not in page
    assert f'action="{comment_url(nominees["person"])}"' in person

    collective = section(page, nominees["collective"])
    assert "Chi bộ 2" in collective and "Chi bộ trong sạch vững mạnh 5 năm liền." in collective
    assert "No comments yet." in collective

    for hidden in ("Nháp", "Đãchọn", "Rútlại"):
        assert hidden not in page
    # nothing private of the person, nor any reader's email; not for search engines
    for private in ("08/03/1980", "1980-03-08", "Phó Trưởng ban", SECRET_EMAIL):
        assert private not in page
    assert '<meta name="robots" content="noindex' in page
    # each nominee's form has its own ids
    assert len(re.findall(r'id="id_n\d+_body"', page)) == 2 and 'id="id_body"' not in page


def test_the_list_runs_the_same_queries_for_few_and_many_nominees(client, tree):
    def count(round_) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(round_)).status_code == 200
        return len(queries)

    small = round_in_window(tree.root)
    top = add_comment(make_nomination(small, tree.own, status=S.SUBMITTED))
    add_comment(top.nomination, parent=top)
    big = round_in_window(tree.root, vote_rule=small.vote_rule)
    for n in range(15):
        nomination = make_nomination(big, tree.own, person=PersonFactory(), status=S.IN_REVIEW)
        top = add_comment(nomination, body=f"Ý kiến {n}")
        add_comment(nomination, parent=top)
    assert count(big) == count(small)


def test_the_list_searches_names_without_diacritics(en, nominees):
    page = en.get(page_url(nominees["round"]) + "?q=huong").content.decode()
    assert "Nguyễn Thị Hường" in page and "Chi bộ 2" not in page
    assert "1 nominee" in page


def test_a_reply_link_keeps_the_search_and_the_page(en, nominees):
    top = add_comment(nominees["person"])
    url = page_url(nominees["round"])
    page = en.get(url + "?q=huong").content.decode()
    assert f'href="{url}?q=huong&amp;reply_to={top.pk}#nominee-{nominees["person"].pk}-form"' in (
        page
    )
    page = en.get(url + f"?q=huong&reply_to={top.pk}").content.decode()
    assert f'href="{url}?q=huong#nominee-{nominees["person"].pk}-form" class="cancel-reply"' in (
        page
    )


@pytest.mark.parametrize(
    ("start", "end", "words"), [(1, 3, "not open for comments yet"), (-5, -1, "no longer open")]
)
def test_outside_the_window_nothing_of_the_nominees_shows(en, tree, start, end, words):
    round_ = round_in_window(tree.root, start=start, end=end)
    nomination = make_nomination(
        round_, tree.own, person=PersonFactory(given_name="Kínđáo"), status=S.IN_REVIEW
    )
    response = en.get(page_url(round_))
    page = response.content.decode()
    assert response.status_code == 200 and words in page
    assert "Kínđáo" not in page and 'name="body"' not in page

    refused = en.post(comment_url(nomination), form())
    assert "Comments on this nominee are closed." in refused.content.decode()
    assert not Comment.objects.exists()


def test_a_round_without_a_window_has_no_public_page(client, tree):
    round_ = make_round(tree.root)
    nomination = make_nomination(round_, tree.own, status=S.IN_REVIEW)
    assert client.get(page_url(round_)).status_code == 404
    assert client.post(comment_url(nomination), form()).status_code == 404
    assert client.get(reverse("public:nominees", args=[987654])).status_code == 404


# --- commenting -------------------------------------------------------------------------


def test_a_comment_on_a_nominee_waits_for_approval(en, nominees):
    response = en.post(comment_url(nominees["person"]), form())
    assert response.status_code == 302 and response["Location"] == page_url(nominees["round"])
    comment = Comment.objects.get()
    assert (comment.nomination, comment.story, comment.status) == (
        nominees["person"],
        None,
        A.PENDING,
    )
    assert AWAITING_EN in en.get(response["Location"]).content.decode()


def test_replies_under_a_nominee_follow_the_story_rules(en, nominees):
    person, collective = nominees["person"], nominees["collective"]
    top = add_comment(person, name="Lê Thị Mai")
    page = en.get(page_url(nominees["round"]) + f"?reply_to={top.pk}").content.decode()
    mine = section(page, person)
    assert "Replying to Lê Thị Mai" in mine
    assert f'<input type="hidden" name="parent" value="{top.pk}">' in mine
    assert "Replying to" not in section(page, collective)

    assert en.post(comment_url(person), form(parent=str(top.pk))).status_code == 302
    assert Comment.objects.get(parent=top).nomination == person

    # a comment of another nominee cannot be answered here
    other = add_comment(collective)
    refused = en.post(comment_url(person), form(parent=str(other.pk), body="Nhầm chỗ"))
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "You can only reply to a comment shown on this page." in page
    assert "Nhầm chỗ</textarea>" in page and "Nguyễn Thị Hường" in page
    assert not Comment.objects.filter(body="Nhầm chỗ").exists()


def test_field_errors_show_under_the_nominee_with_the_text_kept(en, nominees):
    person = nominees["person"]
    page = en.post(comment_url(person), form(email="khong-hop-le")).content.decode()
    assert f'id="id_n{person.pk}_email_error"' in page
    assert "Enter a valid email address, such as ten@example.vn." in page
    assert 'value="khong-hop-le"' in page and "Chị Hường rất xứng đáng.</textarea>" in page
    assert not Comment.objects.exists()


def test_only_published_nominations_take_comments(client, nominees):
    for key in ("draft", "selected", "withdrawn"):
        assert client.post(comment_url(nominees[key]), form()).status_code == 404, key
    assert not Comment.objects.exists()


# --- the file of the nomination ---------------------------------------------------------------


def test_the_staff_read_the_approved_comments_in_the_nomination_s_file(
    client, nominees, committee_staff
):
    person = nominees["person"]
    top = add_comment(person, name="Lê Thị Mai", body="Chị ấy giúp đỡ nhiều hộ nghèo.")
    add_comment(person, parent=top, name="Phạm Văn Tư", body="Tôi xác nhận điều đó.")
    add_comment(person, status=A.PENDING, body="Ý kiến chờ duyệt")
    add_comment(person, status=A.REJECTED, body="Ý kiến bị từ chối")
    add_comment(person, status=A.SPAM, body="Quảng cáo")
    add_comment(nominees["collective"], body="Ý kiến về chi bộ")

    client.cookies["django_language"] = "en"
    client.force_login(committee_staff)
    page = client.get(reverse("awards:nomination_detail", args=[person.pk])).content.decode()
    start = page.index('id="public-comments"')
    dossier = page[start : page.index("</section>", start)]
    assert "Public comments" in dossier
    assert "Lê Thị Mai" in dossier and "Chị ấy giúp đỡ nhiều hộ nghèo." in dossier
    assert "Phạm Văn Tư" in dossier and "Tôi xác nhận điều đó." in dossier
    for hidden in ("Ý kiến chờ duyệt", "Ý kiến bị từ chối", "Quảng cáo", "Ý kiến về chi bộ"):
        assert hidden not in page
    assert SECRET_EMAIL not in page


def test_the_round_page_shows_the_window_and_links_to_the_public_list(
    client, nominees, committee_staff
):
    client.force_login(committee_staff)
    round_ = nominees["round"]
    page = client.get(reverse("awards:round_detail", args=[round_.pk])).content.decode()
    assert 'id="publication-window"' in page and f'href="{page_url(round_)}"' in page


# --- the round's form -------------------------------------------------------------------------


def round_form(round_: Round, **changes) -> dict:
    data = {
        "form_token": uuid.uuid4().hex,
        "title": round_.title,
        "year": str(round_.year),
        "kind": round_.kind,
        "criteria": "",
        "submissions_close": "30/11/2020",
        "voting_opens": "10/12/2020",
        "voting_closes": "20/12/2020",
        "vote_rule": str(round_.vote_rule_id),
        "evidence_required": "on",
        "public_comments_from": "",
        "public_comments_until": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("01/12/2020", "", "public_comments_until", "Enter the last day of comments"),
        ("", "05/12/2020", "public_comments_from", "Enter the first day of comments"),
        ("05/12/2020", "01/12/2020", "public_comments_until", "cannot close (01/12/2020)"),
        ("01/12/2020", "11/12/2020", "public_comments_until", "by the day voting opens"),
    ],
)
def test_the_window_on_the_round_form_is_checked(
    client, tree, committee_staff, start, end, field, message
):
    round_ = make_round(tree.root, vote_rule=vote_rule(valid_from=D(2015, 1, 1)))
    client.cookies["django_language"] = "en"
    client.force_login(committee_staff)
    url = reverse("awards:round_edit", args=[round_.pk])
    page = client.post(
        url, round_form(round_, public_comments_from=start, public_comments_until=end)
    ).content.decode()
    error = re.search(rf'<p class="error" id="id_{field}_error">(.*?)</p>', page, re.S)
    assert error and message in error.group(1)
    round_.refresh_from_db()
    assert round_.public_comments_from is None and round_.public_comments_until is None


def test_the_window_on_the_round_form_is_saved(client, tree, committee_staff):
    round_ = make_round(tree.root, vote_rule=vote_rule(valid_from=D(2015, 1, 1)))
    client.force_login(committee_staff)
    url = reverse("awards:round_edit", args=[round_.pk])
    form_page = client.get(url).content.decode()
    assert 'name="public_comments_from"' in form_page
    response = client.post(
        url,
        round_form(round_, public_comments_from="01/12/2020", public_comments_until="10/12/2020"),
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert (round_.public_comments_from, round_.public_comments_until) == (
        D(2020, 12, 1),
        D(2020, 12, 10),
    )
    # and emptied again: no publication
    client.post(url, round_form(round_))
    round_.refresh_from_db()
    assert round_.public_comments_from is None and round_.public_comments_until is None
