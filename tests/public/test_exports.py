"""Exports of the staff's lists of the public site: stories and the moderation queue, with
the page's filters, the user's subtree and bounded queries; the reader's email only in
the moderators' export (their page shows it to them), the address hash never."""

import datetime

import pytest
from django.urls import reverse

from lantoa.orgs.models import Role
from lantoa.public.models import Comment, CommentStatus, Story, StoryStatus
from tests.exports import csv_rows, xlsx_rows
from tests.factories import UserFactory, grant

EMAIL = "ban.doc.rieng@example.vn"


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def own_staff(tree):
    """Committee staff of the `own` subtree only: moderates its stories' comments."""
    user = UserFactory(username="own_staff")
    grant(user, Role.COMMITTEE_STAFF, tree.own)
    return user


def story(org, title: str, status: str = StoryStatus.PUBLISHED) -> Story:
    return Story.objects.create(
        organization=org,
        title=title,
        slug=f"s-{Story.objects.count() + 1}",
        body="Một câu chuyện đẹp.",
        status=status,
        published_at=datetime.datetime(2020, 5, 19, tzinfo=datetime.UTC)
        if status == StoryStatus.PUBLISHED
        else None,
    )


def comment(subject: Story, name: str, status: str = CommentStatus.PENDING) -> Comment:
    return Comment.objects.create(
        story=subject, name=name, email=EMAIL, body="Rất cảm động.", status=status
    )


@pytest.fixture
def stories(tree):
    mine = story(tree.own, "Gương sáng Ban Dân vận")
    draft = story(tree.own_cell, "Bản nháp chi bộ", status=StoryStatus.DRAFT)
    theirs = story(tree.other, "Điển hình Viễn thông")
    comment(mine, "An")
    comment(mine, "Bình", status=CommentStatus.APPROVED)
    comment(theirs, "Cường")
    return mine, draft, theirs


# --- stories ---------------------------------------------------------------------------------


def test_story_export_has_the_filters_and_the_subtree(
    client, stories, committee_staff, base_secretary
):
    client.force_login(committee_staff)
    rows = csv_rows(client.get(reverse("public:story_export_csv") + "?status=draft"))
    assert [row[0] for row in rows[1:]] == ["Bản nháp chi bộ"]
    sheet = xlsx_rows(client.get(reverse("public:story_export") + "?q=guong sang"))
    assert [(row[0], row[8]) for row in sheet[1:]] == [("Gương sáng Ban Dân vận", 1)]
    client.force_login(base_secretary)
    rows = csv_rows(client.get(reverse("public:story_export_csv")))
    assert {row[0] for row in rows[1:]} == {"Gương sáng Ban Dân vận", "Bản nháp chi bộ"}
    page = client.get(reverse("public:story_list") + "?status=draft").content.decode()
    assert reverse("public:story_export_csv") + "?status=draft" in page


def test_story_export_needs_the_export_permission(client, stories, council_member):
    client.force_login(council_member)
    assert client.get(reverse("public:story_export_csv")).status_code == 404
    assert (
        reverse("public:story_export")
        not in client.get(reverse("public:story_list")).content.decode()
    )


# --- the moderation queue --------------------------------------------------------------------


def test_moderation_export_is_the_queue_with_the_email(client, stories, own_staff):
    client.force_login(own_staff)
    english(client)
    rows = csv_rows(client.get(reverse("public:moderation_export_csv")))  # pending first
    assert rows[0][:3] == ["Sent at", "Reader", "Email"]
    assert [row[1:3] for row in rows[1:]] == [["An", EMAIL]]  # not Cường (other subtree)
    sheet = xlsx_rows(client.get(reverse("public:moderation_export") + "?status=all&q=Bình"))
    assert [(row[1], row[6], row[8]) for row in sheet[1:]] == [
        ("Bình", "Gương sáng Ban Dân vận", "Approved")
    ]
    page = client.get(reverse("public:moderation") + "?status=all").content.decode()
    assert EMAIL in page  # the page shows it to the moderator: so may the export
    assert reverse("public:moderation_export_csv") + "?status=all" in page


def test_moderation_export_is_for_moderators_only(client, stories, base_secretary, tree):
    _mine, _draft, theirs = stories
    client.force_login(base_secretary)  # sees stories, moderates nothing
    assert client.get(reverse("public:moderation_export_csv")).status_code == 404
    page = client.get(reverse("public:story_export_csv"))
    assert EMAIL not in b"".join(page.streaming_content).decode()
    own_staff = UserFactory(username="own_staff2")
    grant(own_staff, Role.COMMITTEE_STAFF, tree.own)
    client.force_login(own_staff)
    url = reverse("public:moderation_export_csv") + f"?story={theirs.pk}"
    assert client.get(url).status_code == 404  # a story outside the grant


def test_exports_queries_are_bounded(
    client, tree, stories, committee_staff, django_assert_max_num_queries
):
    mine = stories[0]
    for n in range(20):
        story(tree.own_cell, f"Câu chuyện {n}")
        comment(mine, f"Bạn đọc {n}")
    client.force_login(committee_staff)
    with django_assert_max_num_queries(8):
        assert len(csv_rows(client.get(reverse("public:story_export_csv")))) == 24
    with django_assert_max_num_queries(8):
        assert len(csv_rows(client.get(reverse("public:moderation_export_csv")))) == 23
