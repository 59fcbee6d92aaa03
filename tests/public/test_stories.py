"""Staff pages of stories: the workflow (draft → published → withdrawn, delete drafts only),
addresses made without diacritics, links within the organization's subtree, permissions
(404 outside the grant), one story per double submit, photos without their metadata, the
list's search, filters and query-count guard."""

import dataclasses
import datetime
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from PIL import Image

from lantoa.awards.models import Award, Decision, DecisionKind, DecisionStatus
from lantoa.core.models import AuditEntry
from lantoa.movements.photos import process_photo
from lantoa.orgs.models import Role
from lantoa.programs.models import UnitModel
from lantoa.public.models import Comment, CommentStatus, Story, StoryPhoto, StoryStatus
from lantoa.public.services import stories as services
from tests.awards.factories import award_form
from tests.factories import PersonFactory, UserFactory, grant
from tests.movements.factories import make_deed
from tests.movements.test_photos import camera_jpeg

D = datetime.date


# --- helpers ------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def own_staff(tree):
    """Committee staff of the `own` subtree only."""
    user = UserFactory(username="own_staff")
    grant(user, Role.COMMITTEE_STAFF, tree.own)
    return user


def files_in(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def jpeg_upload(name: str = "anh.jpg", data: bytes | None = None) -> SimpleUploadedFile:
    if data is None:
        out = io.BytesIO()
        Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
        data = out.getvalue()
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def write(by, organization, **fields) -> Story:
    values = {
        "title": "Điển hình tiên tiến",
        "body": "Anh **Nguyễn Văn An** giúp đỡ bà con nghèo.",
    }
    values.update(fields)
    return services.create_story(by=by, organization=organization, **values)


def field_errors(raised) -> dict[str, list[str]]:
    return {name: [str(m) for m in errors] for name, errors in raised.value.message_dict.items()}


def issued_award(org, person=None, **decision_fields) -> Award:
    fields = {
        "subject": "Khen thưởng điển hình tiên tiến",
        "status": DecisionStatus.ISSUED,
        "symbol": "15-QĐ/ĐU",
        "date": D(2020, 5, 19),
    }
    fields.update(decision_fields)
    decision = Decision.objects.create(organization=org, kind=DecisionKind.COMMENDATION, **fields)
    person = person or PersonFactory(organization=org)
    return Award.objects.create(decision=decision, person=person, form=award_form())


def unit_model(org, title="Mô hình dân vận khéo") -> UnitModel:
    return UnitModel.objects.create(organization=org, year_from=2018, title=title)


def story_data(**fields) -> dict:
    data = {
        "title": "Gương sáng dân vận khéo",
        "summary": "",
        "body": "Một đoạn văn.\n\nĐoạn thứ hai.",
        "slug": "",
        "comments_open": "on",
        "form_token": "tok-1",
    }
    data.update(fields)
    return data


# --- addresses ----------------------------------------------------------------------------


def test_the_address_is_made_without_diacritics_and_kept_unique(tree, committee_staff):
    first = write(committee_staff, tree.root, title="Điển hình")
    second = write(committee_staff, tree.root, title="ĐIỂN HÌNH")
    third = write(committee_staff, tree.root, title="Điển   hình!")
    assert (first.slug, second.slug, third.slug) == ("dien-hinh", "dien-hinh-2", "dien-hinh-3")
    assert write(committee_staff, tree.root, title="Đường Đức Đạt").slug == "duong-duc-dat"
    assert write(committee_staff, tree.root, title="…!").slug == "bai-viet"


def test_a_typed_address_is_made_ascii_and_must_be_free(tree, committee_staff):
    story = write(committee_staff, tree.root, slug="Gương Sáng Cà Mau")
    assert story.slug == "guong-sang-ca-mau"
    with pytest.raises(ValidationError) as raised:
        write(committee_staff, tree.root, title="Khác", slug="guong-sang-ca-mau")
    assert "slug" in field_errors(raised)
    other = write(committee_staff, tree.root, title="Khác")
    with pytest.raises(ValidationError) as raised:
        services.update_story(other, by=committee_staff, slug="guong-sang-ca-mau")
    assert "slug" in field_errors(raised)


def test_the_address_may_be_changed_or_made_again_from_the_title(tree, committee_staff):
    story = write(committee_staff, tree.root, title="Điển hình")
    story = services.update_story(story, by=committee_staff, slug="dien-hinh-ca-mau")
    assert story.slug == "dien-hinh-ca-mau"
    story = services.update_story(story, by=committee_staff, title="Gương sáng", slug="")
    assert story.slug == "guong-sang"
    # a correction without the address keeps it
    story = services.update_story(story, by=committee_staff, title="Gương sáng mới")
    assert story.slug == "guong-sang"


# --- the text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"body": " \n "}, "body"),
        ({"body": "x" * (services.MAX_BODY + 1)}, "body"),
        ({"summary": "x" * 501}, "summary"),
    ],
)
def test_title_and_text_are_required_and_bounded(tree, committee_staff, fields, field):
    with pytest.raises(ValidationError) as raised:
        write(committee_staff, tree.root, **fields)
    assert field in field_errors(raised)
    assert not Story.objects.exists()


# --- links --------------------------------------------------------------------------------


def test_links_within_the_subtree_are_kept(tree, own_staff):
    award = issued_award(tree.own_cell)
    model = unit_model(tree.own_cell)
    deed = make_deed(tree.own_cell)
    story = write(
        own_staff,
        tree.own,
        award=award,
        unit_model=model,
        good_deed=deed,
        subject_organization=tree.own_cell,
    )
    story.refresh_from_db()
    assert (story.award, story.unit_model, story.good_deed) == (award, model, deed)
    assert story.subject_organization == tree.own_cell


def test_links_outside_the_subtree_are_refused(tree, own_staff):
    with pytest.raises(ValidationError) as raised:
        write(
            own_staff,
            tree.own,
            award=issued_award(tree.other),
            unit_model=unit_model(tree.other),
            good_deed=make_deed(tree.other),
            subject_organization=tree.other_cell,
        )
    assert set(field_errors(raised)) == {"award", "unit_model", "good_deed", "subject_organization"}


def test_only_awards_of_issued_decisions_not_revoked(tree, committee_staff):
    draft = issued_award(tree.own, status=DecisionStatus.DRAFT, symbol="", date=None)
    with pytest.raises(ValidationError) as raised:
        write(committee_staff, tree.root, award=draft)
    assert "award" in field_errors(raised)
    revoked = issued_award(tree.own)
    revocation = Decision.objects.create(
        organization=tree.own,
        kind=DecisionKind.REVOCATION,
        refers_to=revoked.decision,
        status=DecisionStatus.ISSUED,
        subject="Thu hồi",
        symbol="16-QĐ/ĐU",
        date=D(2020, 6, 1),
    )
    Award.objects.filter(pk=revoked.pk).update(revoked_by=revocation)
    revoked.refresh_from_db()
    with pytest.raises(ValidationError) as raised:
        write(committee_staff, tree.root, award=revoked)
    assert "award" in field_errors(raised)


# --- the workflow -------------------------------------------------------------------------


def test_publish_withdraw_and_publish_again(tree, committee_staff):
    story = write(committee_staff, tree.root)
    assert story.status == StoryStatus.DRAFT and not story.is_public
    story = services.publish_story(story, by=committee_staff)
    assert story.status == StoryStatus.PUBLISHED and story.is_public
    first = story.published_at
    assert first is not None
    with pytest.raises(ValidationError):
        services.publish_story(story, by=committee_staff)

    with pytest.raises(ValidationError) as raised:
        services.withdraw_story(story, by=committee_staff, reason="  ")
    assert "reason" in field_errors(raised)
    story = services.withdraw_story(story, by=committee_staff, reason="Sai tên đơn vị")
    assert story.status == StoryStatus.WITHDRAWN and not story.is_public
    entry = AuditEntry.objects.get(verb="public.story.withdrawn", object_pk=str(story.pk))
    assert entry.changes["reason"] == ["", "Sai tên đơn vị"]
    assert entry.changes["status"] == ["published", "withdrawn"]
    assert entry.actor == committee_staff
    with pytest.raises(ValidationError):
        services.withdraw_story(story, by=committee_staff, reason="lần nữa")

    story = services.publish_story(story, by=committee_staff)
    assert story.status == StoryStatus.PUBLISHED
    assert story.published_at == first  # the first publication date stays


def test_a_story_without_text_is_not_published(tree, committee_staff):
    story = Story.objects.create(organization=tree.root, title="Trống", slug="trong", body="")
    with pytest.raises(ValidationError):
        services.publish_story(story, by=committee_staff)
    story.refresh_from_db()
    assert story.status == StoryStatus.DRAFT and story.published_at is None


def test_only_drafts_are_deleted(tree, committee_staff):
    published = services.publish_story(write(committee_staff, tree.root), by=committee_staff)
    with pytest.raises(ValidationError):
        services.delete_story(published, by=committee_staff)
    withdrawn = services.withdraw_story(published, by=committee_staff, reason="Tạm gỡ")
    with pytest.raises(ValidationError):
        services.delete_story(withdrawn, by=committee_staff)
    draft = write(committee_staff, tree.root, title="Bản nháp")
    services.delete_story(draft, by=committee_staff)
    assert list(Story.objects.values_list("pk", flat=True)) == [published.pk]


def test_only_committee_staff_of_the_subtree_write(
    tree, own_staff, base_secretary, council_member, outsider
):
    for user in (base_secretary, council_member, outsider):
        with pytest.raises(PermissionDenied):
            write(user, tree.own)
    theirs = write(UserFactory(is_superuser=True), tree.other)
    with pytest.raises(PermissionDenied):
        write(own_staff, tree.other)
    for action in (
        lambda: services.update_story(theirs, by=own_staff, title="X"),
        lambda: services.publish_story(theirs, by=own_staff),
        lambda: services.delete_story(theirs, by=own_staff),
    ):
        with pytest.raises(PermissionDenied):
            action()


# --- pages: permissions -------------------------------------------------------------------


def test_outsiders_and_other_subtrees_get_404(client, tree, own_staff, outsider):
    theirs = write(UserFactory(is_superuser=True), tree.other, title="Của Viễn thông")
    mine = write(own_staff, tree.own, title="Của Ban Dân vận")
    client.force_login(outsider)
    for url in (
        reverse("public:story_list"),
        reverse("public:story_create"),
        reverse("public:story_detail", args=[mine.pk]),
        reverse("public:story_edit", args=[mine.pk]),
    ):
        assert client.get(url).status_code == 404, url

    client.force_login(own_staff)
    listing = client.get(reverse("public:story_list")).text
    assert "Của Ban Dân vận" in listing and "Của Viễn thông" not in listing
    for name in ("story_detail", "story_edit", "story_withdraw"):
        assert client.get(reverse(f"public:{name}", args=[theirs.pk])).status_code == 404
    for name in ("story_publish", "story_delete", "story_withdraw", "story_photo_add"):
        assert client.post(reverse(f"public:{name}", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == StoryStatus.DRAFT


def test_organization_staff_see_but_do_not_manage(client, tree, committee_staff, base_secretary):
    story = write(committee_staff, tree.own, title="Gương sáng Chi bộ 1")
    client.force_login(base_secretary)
    page = client.get(reverse("public:story_detail", args=[story.pk]))
    assert page.status_code == 200 and "Gương sáng Chi bộ 1" in page.text
    assert reverse("public:story_publish", args=[story.pk]) not in page.text
    assert client.get(reverse("public:story_edit", args=[story.pk])).status_code == 404
    assert client.post(reverse("public:story_publish", args=[story.pk])).status_code == 404
    assert client.get(reverse("public:story_create")).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, tree, committee_staff):
    story = write(committee_staff, tree.root)
    response = client.get(reverse("public:story_detail", args=[story.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- pages: writing -----------------------------------------------------------------------


def test_a_story_is_written_once_whatever_the_double_submit(client, tree, committee_staff):
    client.force_login(committee_staff)
    form = client.get(reverse("public:story_create"))
    assert form.status_code == 200
    assert "**" in form.text and "##" in form.text  # the formatting help
    data = story_data(organization=tree.own.pk)
    first = client.post(reverse("public:story_create"), data)
    second = client.post(reverse("public:story_create"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    story = Story.objects.get()
    assert first["Location"] == reverse("public:story_detail", args=[story.pk])
    assert story.organization == tree.own and story.slug == "guong-sang-dan-van-kheo"
    assert story.status == StoryStatus.DRAFT and story.created_by == committee_staff


def test_bad_input_is_shown_next_to_the_field_and_kept(client, tree, committee_staff):
    client.force_login(committee_staff)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("public:story_create"),
        story_data(organization=tree.own.pk, title="Tiêu đề giữ lại", body="   "),
    )
    assert response.status_code == 200
    assert "Tiêu đề giữ lại" in response.text
    assert 'id="id_body_error"' in response.text
    assert not Story.objects.exists()


def test_a_story_is_corrected_with_its_links(client, tree, committee_staff):
    award = issued_award(tree.own_cell)
    story = write(committee_staff, tree.own)
    client.force_login(committee_staff)
    page = client.get(reverse("public:story_edit", args=[story.pk]))
    assert page.status_code == 200 and "15-QĐ/ĐU" in page.text
    response = client.post(
        reverse("public:story_edit", args=[story.pk]),
        story_data(title="Tên mới", slug=story.slug, award=award.pk, form_token="tok-2"),
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "Tên mới" and story.award == award
    assert story.slug == "dien-hinh-tien-tien"
    detail = client.get(reverse("public:story_detail", args=[story.pk])).text
    assert award.person.full_name in detail and 'id="story-award"' in detail


def test_the_detail_page_publishes_withdraws_and_deletes(client, tree, committee_staff):
    story = write(committee_staff, tree.own, body="## Thành tích\n\nGiúp **dân**.")
    client.force_login(committee_staff)
    client.cookies["django_language"] = "en"
    detail_url = reverse("public:story_detail", args=[story.pk])
    page = client.get(detail_url).text
    assert "<h2>Thành tích</h2>" in page and "<strong>dân</strong>" in page
    assert 'data-confirm="' in page
    assert client.get(reverse("public:story_publish", args=[story.pk])).status_code == 405

    response = client.post(reverse("public:story_publish", args=[story.pk]))
    assert response["Location"] == detail_url
    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED
    page = client.get(detail_url).text
    assert "The story is published." in page
    assert reverse("public:story_delete", args=[story.pk]) not in page
    try:
        public = reverse("public:story", args=[story.slug])
    except NoReverseMatch:
        public = None
    if public:
        assert f'href="{public}?preview=1"' in page

    refused = client.post(reverse("public:story_delete", args=[story.pk]), follow=True)
    assert "Only a draft can be deleted" in refused.text
    assert Story.objects.filter(pk=story.pk).exists()

    empty = client.post(reverse("public:story_withdraw", args=[story.pk]), {"reason": ""})
    assert empty.status_code == 200 and 'id="id_reason_error"' in empty.text
    response = client.post(
        reverse("public:story_withdraw", args=[story.pk]), {"reason": "Cần sửa số liệu"}
    )
    assert response["Location"] == detail_url
    story.refresh_from_db()
    assert story.status == StoryStatus.WITHDRAWN

    draft = write(committee_staff, tree.own, title="Nháp bỏ")
    response = client.post(reverse("public:story_delete", args=[draft.pk]))
    assert response["Location"] == reverse("public:story_list")
    assert not Story.objects.filter(pk=draft.pk).exists()


# --- photos -------------------------------------------------------------------------------


def test_photos_are_added_without_their_metadata(client, tree, committee_staff, media):
    story = write(committee_staff, tree.own)
    client.force_login(committee_staff)
    url = reverse("public:story_photo_add", args=[story.pk])
    response = client.post(
        url,
        {"photos": [jpeg_upload("IMG_0001.JPG", camera_jpeg())], "caption": "Ngày hội"},
    )
    assert response.status_code == 302
    photo = StoryPhoto.objects.get()
    assert photo.caption == "Ngày hội"
    with photo.image.open("rb") as handle:
        stored = handle.read()
    image = Image.open(io.BytesIO(stored))
    assert dict(image.getexif()) == {}
    for key in ("exif", "comment", "icc_profile", "xmp"):
        assert key not in image.info
    assert b"SecretCam" not in stored and b"taken at home" not in stored
    assert (photo.width, photo.height) == (20, 40)  # turned upright
    assert len(files_in(media)) == 2  # the photo and its thumbnail

    served = client.get(reverse("public:story_photo_file", args=[photo.pk, "thumb"]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"


def test_a_file_that_is_not_a_photo_is_refused(client, tree, committee_staff, media):
    story = write(committee_staff, tree.own)
    client.force_login(committee_staff)
    client.cookies["django_language"] = "en"
    fake = SimpleUploadedFile("anh.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(
        reverse("public:story_photo_add", args=[story.pk]), {"photos": [fake]}, follow=True
    )
    assert "not a real" in response.text
    assert not StoryPhoto.objects.exists() and files_in(media) == []


def test_a_failing_photo_leaves_no_file_behind(tree, committee_staff, media):
    story = write(committee_staff, tree.own)
    good = process_photo(jpeg_upload())
    broken = dataclasses.replace(good, width=-1)  # the database refuses it
    with pytest.raises(IntegrityError):
        services.add_photos(story, by=committee_staff, photos=[good, broken])
    assert not StoryPhoto.objects.exists()
    assert files_in(media) == []


def test_photos_are_captioned_reordered_and_deleted(
    client, tree, committee_staff, media, django_capture_on_commit_callbacks
):
    story = write(committee_staff, tree.own)
    photos = services.add_photos(
        story,
        by=committee_staff,
        photos=[process_photo(jpeg_upload()) for _ in range(3)],
    )
    assert [p.position for p in photos] == [0, 1, 2]
    client.force_login(committee_staff)
    client.post(reverse("public:story_photo_edit", args=[photos[2].pk]), {"caption": "Trao quà"})
    photos[2].refresh_from_db()
    assert photos[2].caption == "Trao quà"

    client.post(reverse("public:story_photo_move", args=[photos[2].pk, "up"]))
    order = list(story.photos.values_list("pk", flat=True))
    assert order == [photos[0].pk, photos[2].pk, photos[1].pk]
    services.reorder_photos(story, by=committee_staff, order=[photos[1].pk])
    assert list(story.photos.values_list("pk", flat=True)) == [
        photos[1].pk,
        photos[0].pk,
        photos[2].pk,
    ]

    assert len(files_in(media)) == 6
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("public:story_photo_delete", args=[photos[0].pk]))
    assert story.photos.count() == 2
    assert len(files_in(media)) == 4


def test_deleting_a_draft_removes_its_photo_files(
    client, tree, committee_staff, media, django_capture_on_commit_callbacks
):
    story = write(committee_staff, tree.own)
    services.add_photos(story, by=committee_staff, photos=[process_photo(jpeg_upload())])
    assert len(files_in(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_story(story, by=committee_staff)
    assert files_in(media) == []


def test_photos_of_another_subtree_answer_404(client, tree, own_staff, media):
    theirs = write(UserFactory(is_superuser=True), tree.other)
    [photo] = services.add_photos(
        theirs, by=UserFactory(is_superuser=True), photos=[process_photo(jpeg_upload())]
    )
    client.force_login(own_staff)
    file_url = reverse("public:story_photo_file", args=[photo.pk, "full"])
    assert client.get(file_url).status_code == 404
    assert client.post(reverse("public:story_photo_delete", args=[photo.pk])).status_code == 404
    assert StoryPhoto.objects.filter(pk=photo.pk).exists()


# --- the list -----------------------------------------------------------------------------


def test_the_list_searches_without_diacritics_and_filters_by_status(client, tree, committee_staff):
    write(committee_staff, tree.own, title="Điển hình dân vận khéo")
    published = write(committee_staff, tree.own, title="Gương người tốt việc tốt")
    services.publish_story(published, by=committee_staff)
    client.force_login(committee_staff)
    url = reverse("public:story_list")
    page = client.get(url, {"q": "dien hinh"}).text
    assert "Điển hình dân vận khéo" in page and "Gương người tốt" not in page
    page = client.get(url, {"q": "ĐIỂN HÌNH"}).text
    assert "Điển hình dân vận khéo" in page
    page = client.get(url, {"status": "published"}).text
    assert "Gương người tốt việc tốt" in page and "Điển hình dân vận khéo" not in page
    page = client.get(url, {"status": "nonsense", "page": "x"}).text
    assert "Gương người tốt việc tốt" in page and "Điển hình dân vận khéo" in page


def test_the_list_shows_pending_comments(client, tree, committee_staff):
    story = write(committee_staff, tree.own, title="Có bình luận")
    for status in (CommentStatus.PENDING, CommentStatus.PENDING, CommentStatus.APPROVED):
        Comment.objects.create(
            story=story, name="Bạn đọc", email="a@b.vn", body="Hay", status=status
        )
    client.force_login(committee_staff)
    page = client.get(reverse("public:story_list")).text
    assert f'{reverse("public:moderation")}?story={story.pk}">2</a>' in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("query", ["", "?q=dien+hinh", "?status=draft"])
def test_the_list_query_count_does_not_grow_with_rows(client, tree, committee_staff, query):
    client.force_login(committee_staff)
    url = reverse("public:story_list") + query

    def add(count):
        for _ in range(count):
            story = write(committee_staff, tree.own, title="Điển hình")
            Comment.objects.create(story=story, name="B", email="b@c.vn", body="Hay")

    add(1)
    one = _queries(client, url)
    add(30)
    assert _queries(client, url) == one


def test_the_detail_page_query_count_does_not_grow_with_photos(
    client, tree, committee_staff, media
):
    story = write(committee_staff, tree.own)
    client.force_login(committee_staff)
    url = reverse("public:story_detail", args=[story.pk])
    services.add_photos(story, by=committee_staff, photos=[process_photo(jpeg_upload())])
    one = _queries(client, url)
    services.add_photos(
        story, by=committee_staff, photos=[process_photo(jpeg_upload()) for _ in range(5)]
    )
    assert _queries(client, url) == one


def test_the_commendation_hub_links_to_stories_and_moderation(
    client, tree, committee_staff, base_secretary
):
    story = write(committee_staff, tree.own)
    Comment.objects.create(story=story, name="B", email="b@c.vn", body="Hay")
    Comment.objects.create(story=story, name="C", email="c@c.vn", body="Tốt")
    client.force_login(committee_staff)
    page = client.get(reverse("awards:hub")).text
    assert reverse("public:story_list") in page
    assert reverse("public:moderation") in page and "(2)" in page
    client.force_login(base_secretary)
    page = client.get(reverse("awards:hub")).text
    assert reverse("public:story_list") in page and reverse("public:moderation") not in page
