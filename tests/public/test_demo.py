"""The Cà Mau demo's public site (lantoa/public/demo.py): the whole `manage.py load_demo`
(orgs, programs, movements, awards, public) is loaded once for the module, inside a
transaction rolled back at the end."""

import dataclasses
import random
import re
from io import StringIO
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lantoa.awards.models import DecisionStatus, Round
from lantoa.core.models import AuditEntry
from lantoa.orgs.demo import loader
from lantoa.orgs.models import Organization, PersonPrivate
from lantoa.programs.demo import NAMED_MODELS
from lantoa.public import demo as public_demo
from lantoa.public.formatting import render_body
from lantoa.public.models import Comment, CommentStatus, Story, StoryStatus
from lantoa.public.services.comments import address_hash

C = CommentStatus
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
NAMED_UNITS = {
    "BDV": "Ban Dân vận Tỉnh ủy Cà Mau",
    "CDYT": "Trường Cao đẳng Y tế Cà Mau",
    "PCCM": "Công ty Điện lực Cà Mau",
    "VNPT": "Viễn thông Cà Mau",
}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@dataclasses.dataclass
class Loaded:
    output: str = ""
    context: object = None  # the DemoContext handed to this app's demo
    state: object = None  # the generator's state when it was handed over
    counts: dict | None = None
    queries: int = 0


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the whole demo once for the module (the programs demo's scans go to a temporary
    media folder), keeping what this app's demo was given, to load it again."""
    found = Loaded()
    real = loader.app_demo_loaders()

    def load(ctx):
        found.context, found.state = ctx, ctx.rng.getstate()
        with CaptureQueriesContext(connection) as queries:
            found.counts = public_demo.load(ctx)
        found.queries = len(queries)
        return found.counts

    loaders = [(label, load if fn.__module__ == public_demo.__name__ else fn) for label, fn in real]
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")
        ),
        mock.patch.object(loader, "app_demo_loaders", return_value=loaders),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("load_demo", stdout=out)
        found.output = out.getvalue()
        yield found
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db) -> Loaded:
    return loaded


def _published():
    return Story.objects.filter(status=StoryStatus.PUBLISHED)


def _story_comments():
    return Comment.objects.filter(story__isnull=False)


# --- stories ---------------------------------------------------------------------------------


def test_the_command_reports_what_the_public_demo_added(demo):
    assert "Bài viết đã đăng: 12" in demo.output
    assert demo.counts["Bài viết đã đăng"] == 12
    assert demo.counts["Bài viết nháp, đã gỡ"] == 2
    assert demo.counts["Bình luận của bạn đọc"] == _story_comments().count()


def test_twelve_stories_are_published_each_resting_on_a_model_an_award_or_a_deed(demo):
    stories = list(_published())
    assert len(stories) == 12
    for story in stories:
        assert story.unit_model_id or story.award_id or story.good_deed_id, story.title
        assert story.published_at is not None
        assert story.subject_organization_id is not None


def test_the_four_models_of_the_case_each_have_a_story_about_their_unit(demo):
    stories = _published().filter(unit_model__isnull=False).select_related("unit_model")
    told = {story.unit_model.title: story for story in stories}
    assert set(told) == set(NAMED_MODELS.values())
    for code, title in NAMED_MODELS.items():
        story = told[title]
        assert story.subject_organization == story.unit_model.organization
        assert story.unit_model.organization.host_name == NAMED_UNITS[code]
        assert f"“{title}”" in story.body


def test_award_stories_rest_on_issued_awards_and_are_about_the_recipients_organization(demo):
    stories = Story.objects.filter(award__isnull=False).select_related(
        "award__decision", "award__person", "award__collective"
    )
    assert stories.filter(status=StoryStatus.PUBLISHED).count() == 8
    assert stories.filter(award__person__isnull=False).exists()
    assert stories.filter(award__collective__isnull=False).exists()
    for story in stories:
        award = story.award
        assert award.decision.status == DecisionStatus.ISSUED
        assert award.revoked_by_id is None
        recipient = award.person.organization if award.person else award.collective
        assert story.subject_organization == recipient
        name = award.person.full_name if award.person else award.collective.name
        assert name in story.title
        assert award.decision.symbol in story.body


def test_some_stories_tell_the_good_deed_a_nomination_rested_on(demo):
    stories = _published().filter(good_deed__isnull=False).select_related("good_deed", "award")
    assert stories.count() == 3
    for story in stories:
        assert story.good_deed.person_id == story.award.person_id
        assert story.good_deed in story.award.nomination.good_deeds.all()
        assert story.good_deed.description in story.body


def test_stories_are_the_committees_spread_over_2018_to_2020_after_the_ceremony(demo):
    committee = Organization.objects.get(code="DCD")
    assert set(Story.objects.values_list("organization", flat=True)) == {committee.pk}
    years = {story.published_at.year for story in _published()}
    assert years == {2018, 2019, 2020}
    for story in _published().filter(award__isnull=False).select_related("award__decision"):
        honored = story.award.ceremonies.get()
        assert story.published_at.date() > honored.date > story.award.decision.date


def test_slugs_are_ascii_unique_and_made_from_the_titles(demo):
    stories = list(Story.objects.all())
    slugs = [story.slug for story in stories]
    assert len(set(slugs)) == len(slugs) == 14
    for story in stories:
        assert SLUG.match(story.slug), story.slug
        assert len(story.slug) <= 100
    titled = Story.objects.get(title__startswith="Ban Dân vận Tỉnh ủy Cà Mau")
    assert titled.slug == "ban-dan-van-tinh-uy-ca-mau-ton-trong-nhan-dan-tu-nhung-viec-lam-cu-the"


def test_bodies_use_the_markdown_subset_and_no_placeholder_is_left(demo):
    bodies = "".join(str(render_body(story.body)) for story in Story.objects.all())
    assert "<strong>" in bodies and "<ul>" in bodies and "<li>" in bodies
    for story in Story.objects.all():
        for text in (story.title, story.summary, story.body):
            assert not PLACEHOLDER.search(text), story.title
    # the search key is the text's without diacritics, as Story.save() makes it
    assert _published().filter(search_key__contains="dien luc ca mau").exists()


def test_stories_show_no_private_data_of_the_people_they_tell(demo):
    people = Story.objects.filter(award__person__isnull=False).values_list("award__person")
    private = PersonPrivate.objects.filter(person__in=people).select_related("person")
    texts = " ".join(f"{s.title} {s.summary} {s.body}" for s in Story.objects.all())
    assert private.exists()
    for row in private:
        for value in (row.citizen_id, row.phone, row.email):
            assert not value or value not in texts
        if row.person.birth_date:
            assert f"{row.person.birth_date:%d/%m/%Y}" not in texts
    assert "@" not in texts


def test_a_draft_and_a_withdrawn_story_show_the_workflow(demo):
    draft = Story.objects.get(status=StoryStatus.DRAFT)
    withdrawn = Story.objects.get(status=StoryStatus.WITHDRAWN)
    assert draft.published_at is None
    assert withdrawn.published_at is not None
    assert withdrawn.updated_at > withdrawn.published_at
    entry = AuditEntry.objects.get(object_pk=str(withdrawn.pk), verb="public.story.withdrawn")
    assert entry.changes["reason"][1]


# --- comments --------------------------------------------------------------------------------


def test_most_stories_have_comments_of_every_status(demo):
    commented = _published().filter(comments__isnull=False).distinct().count()
    assert commented == 12 - public_demo.SILENT_STORIES
    counts = {status: _story_comments().filter(status=status).count() for status in C.values}
    assert all(counts.values()), counts
    assert counts[C.APPROVED] > sum(counts.values()) / 2
    assert counts[C.SPAM] <= 2
    for story in _published():
        assert story.comments.filter(parent__isnull=True).count() <= 7  # 1–6, and spam
    assert not Comment.objects.filter(story__status=StoryStatus.DRAFT).exists()


def test_replies_answer_approved_top_level_comments_of_the_same_story(demo):
    replies = _story_comments().filter(parent__isnull=False).select_related("parent")
    assert replies.filter(status=C.APPROVED).exists()
    for reply in replies:
        parent = reply.parent
        assert parent.status == C.APPROVED
        assert parent.parent_id is None
        assert parent.story_id == reply.story_id
        assert reply.created_at > parent.created_at


def test_no_approved_reply_sits_under_a_comment_not_approved(demo):
    hidden = Comment.objects.filter(status__in=[C.PENDING, C.REJECTED, C.SPAM])
    assert not Comment.objects.filter(parent__in=hidden, status=C.APPROVED).exists()


def test_comments_follow_their_story_and_moderated_ones_say_when_and_by_whom(demo):
    admin = demo.context.admin
    for comment in _story_comments().select_related("story"):
        assert comment.created_at > comment.story.published_at
        if comment.status in (C.APPROVED, C.REJECTED):
            assert comment.moderated_at > comment.created_at
            assert comment.moderated_by == admin
        if comment.status == C.PENDING:
            assert comment.moderated_at is None and comment.moderated_by is None
    # one spam message was caught by the honeypot, one by a moderator
    spam = _story_comments().filter(status=C.SPAM)
    assert sorted(c.moderated_at is None for c in spam) == [False, True]


def test_emails_are_made_up_and_addresses_kept_only_as_a_keyed_hash(demo):
    comments = list(Comment.objects.all())
    domains = {c.email.rpartition("@")[2] for c in comments}
    assert domains <= {"example.vn", "vaynhanh.example.com", "dichvu.example.net"}
    hashes = {c.address_hash for c in comments}
    assert all(len(h) == 64 for h in hashes)
    readers = {address_hash(public_demo._reader_address(i)) for i in range(30)}
    assert hashes & readers
    assert address_hash(public_demo.EDITORS_ADDRESS) in hashes
    assert not any("203.0.113" in f"{c.body} {c.name} {c.address_hash}" for c in comments)


def test_a_reader_comments_once_on_a_story(demo):
    for story in Story.objects.all():
        names = list(
            story.comments.filter(
                parent__isnull=True, status__in=[C.APPROVED, C.PENDING]
            ).values_list("name", flat=True)
        )
        assert len(names) == len(set(names)), story.title


def test_the_2020_round_published_its_nominees_for_comments_before_the_vote(demo):
    round_ = Round.objects.get(organization__code="DCD", year=2020)
    assert round_.submissions_close < round_.public_comments_from
    assert round_.public_comments_from <= round_.public_comments_until < round_.voting_opens
    assert not Round.objects.exclude(pk=round_.pk).filter(public_comments_from__isnull=False)
    comments = Comment.objects.filter(nomination__isnull=False).select_related("nomination")
    assert comments.count() == 3
    for comment in comments:
        assert comment.nomination.round_id == round_.pk
        assert comment.status == C.APPROVED and comment.parent_id is None
        day = timezone.localtime(comment.created_at).date()
        assert round_.public_comments_from <= day <= round_.public_comments_until
        nominee = comment.nomination.person or comment.nomination.collective
        assert str(nominee) in comment.body


# --- audit, speed and reproducibility ------------------------------------------------------


def test_every_story_and_comment_has_an_audit_entry_without_email(demo):
    for model, verb in ((Story, "public.story.created"), (Comment, "public.comment.posted")):
        content_type = ContentType.objects.get_for_model(model)
        audited = set(
            AuditEntry.objects.filter(content_type=content_type, verb=verb).values_list(
                "object_pk", flat=True
            )
        )
        assert {str(pk) for pk in model.objects.values_list("pk", flat=True)} == audited
    moderated = Comment.objects.filter(status=C.APPROVED).count()
    approved = AuditEntry.objects.filter(verb="public.comment.approved").count()
    assert approved == moderated
    entries = AuditEntry.objects.filter(verb__startswith="public.comment.")
    assert not any("@" in f"{e.object_repr} {e.changes}" for e in entries)


def test_the_load_takes_a_few_queries(demo):
    assert demo.queries <= 40


def _fingerprint(after: dict[str, int]) -> dict[str, list]:
    """What the demo wrote after the given last ids, without ids or addresses (slugs)."""
    stories = Story.objects.filter(pk__gt=after["story"]).order_by("pk")
    comments = Comment.objects.filter(pk__gt=after["comment"]).order_by("pk")
    return {
        "stories": list(
            stories.values_list(
                "title",
                "summary",
                "body",
                "status",
                "published_at",
                "created_at",
                "subject_organization",
                "award",
                "unit_model",
                "good_deed",
            )
        ),
        "comments": list(
            comments.values_list(
                "story__title",
                "nomination",
                "parent__body",
                "name",
                "email",
                "body",
                "status",
                "address_hash",
                "created_at",
                "moderated_at",
            )
        ),
    }


def _last_ids() -> dict[str, int]:
    def last(model) -> int:
        return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    return {"story": last(Story), "comment": last(Comment)}


def test_the_same_generator_gives_the_same_demo(demo):
    first = _fingerprint({"story": 0, "comment": 0})
    before = _last_ids()
    rng = random.Random()
    rng.setstate(demo.state)
    counts = public_demo.load(dataclasses.replace(demo.context, rng=rng))
    assert counts == demo.counts
    assert _fingerprint(before) == first
    # the addresses were taken: the same titles get a suffix
    again = Story.objects.filter(pk__gt=before["story"])
    assert all(story.slug.endswith("-2") for story in again)


def test_a_second_run_creates_nothing(demo):
    models = (Story, Comment, AuditEntry)
    before = {model.__name__: model.objects.count() for model in models}
    call_command("load_demo", stdout=StringIO())
    assert {model.__name__: model.objects.count() for model in models} == before
