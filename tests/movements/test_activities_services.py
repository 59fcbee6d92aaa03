"""Recording activities: who may, the bounds of every figure, the movement's period and
reach, partners, photos; and nothing half-saved, not even a file."""

import dataclasses
import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone, translation
from PIL import Image

from lantoa.movements.models import Activity, ActivityPhoto
from lantoa.movements.photos import process_photo
from lantoa.movements.services import activities as services
from lantoa.movements.services import proposals
from tests.factories import make_org
from tests.movements.factories import (
    BLOOD,
    HOUSES,
    activity_type,
    beneficiary_category,
    make_activity,
    make_movement,
)

DAY = datetime.date(2019, 6, 14)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_in(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def jpeg(colour=(200, 30, 30), size=(64, 48), name="anh.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def photo(colour=(200, 30, 30), name="anh.jpg"):
    return process_photo(jpeg(colour, name=name))


def record(by, org, **fields) -> Activity:
    values = {
        "activity_type": activity_type(BLOOD),
        "title": "Ngày hội hiến máu tình nguyện",
        "date": DAY,
        "place": "Hội trường Ban Dân vận",
        "participants": 40,
        "quantity": 35,
        "money": 0,
    }
    values.update(fields)
    return services.record_activity(by=by, organization=org, **values)


def refusal(by, org, **fields) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        record(by, org, **fields)
    return caught.value.message_dict


# --- recording ----------------------------------------------------------------------------


def test_staff_record_an_activity_with_partners_and_photos(tree, base_secretary, media):
    activity = record(
        base_secretary,
        tree.own,
        partners=[tree.own_cell],
        beneficiaries=12,
        beneficiary_category=beneficiary_category(),
        money=1_500_000,
        photos=[photo(name="mot.jpg"), photo((30, 30, 200), name="hai.jpg")],
    )

    activity.refresh_from_db()
    assert activity.recorded_by == base_secretary
    assert activity.quantity == 35 and activity.money == 1_500_000
    assert list(activity.partners.all()) == [tree.own_cell]
    photos = list(activity.photos.all())
    assert [p.original_name for p in photos] == ["mot.jpg", "hai.jpg"]
    assert all(p.format == "jpeg" and p.uploaded_by == base_secretary for p in photos)
    stored = files_in(media)
    assert len(stored) == 4  # each photo and its thumbnail
    for p in photos:
        assert (media / p.image.name).is_file()
        assert (media / p.thumbnail.name).is_file()
        assert p.image.name.endswith(".jpg") and "mot" not in p.image.name  # random names


def test_recording_needs_the_right_on_the_organization(tree, base_secretary, council_member):
    with pytest.raises(PermissionDenied):
        record(base_secretary, tree.other)
    with pytest.raises(PermissionDenied):
        record(council_member, tree.own)
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"quantity": -1}, "quantity", "The quantity cannot be negative."),
        (
            {"quantity": 20_001},
            "quantity",
            "20.001 đơn vị máu is too many for one activity of this type: at most "
            "20.000 đơn vị máu.",
        ),
        ({"money": -5}, "money", "The value cannot be negative."),
        ({"money": Decimal("1500.5")}, "money", "Enter the value in whole đồng."),
        (
            {"money": 100_000_000_001},
            "money",
            "At most 100.000.000.000 đồng for one activity.",
        ),
        (
            {"participants": 1_000_001},
            "participants",
            "At most 1.000.000 participants for one activity.",
        ),
        ({"participants": -3}, "participants", "The number of participants cannot be negative."),
        (
            {"beneficiaries": 5},
            "beneficiary_category",
            "Choose the category of the beneficiaries.",
        ),
        ({"date": datetime.date(1929, 12, 31)}, "date", "The date cannot be before 1930."),
        ({"title": "   "}, "title", "Enter the title of the activity."),
    ],
)
def test_absurd_figures_are_refused(tree, base_secretary, fields, field, message):
    errors = refusal(base_secretary, tree.own, **fields)
    assert errors[field] == [message]
    assert not Activity.objects.exists()


def test_the_bound_is_the_types_own(tree, base_secretary):
    errors = refusal(base_secretary, tree.own, activity_type=activity_type(HOUSES), quantity=501)
    assert errors["quantity"] == [
        "501 căn nhà is too many for one activity of this type: at most 500 căn nhà."
    ]
    assert record(base_secretary, tree.own, activity_type=activity_type(HOUSES), quantity=500)


def test_a_future_date_is_refused(tree, base_secretary):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert refusal(base_secretary, tree.own, date=tomorrow)["date"] == [
        "The date cannot be in the future."
    ]
    assert record(base_secretary, tree.own, date=timezone.localdate())


def test_every_error_is_reported_at_once(tree, base_secretary):
    errors = refusal(base_secretary, tree.own, quantity=-1, money=-1, participants=-1)
    assert set(errors) == {"quantity", "money", "participants"}


def test_the_messages_are_vietnamese(tree, base_secretary):
    with pytest.raises(ValidationError) as caught, translation.override("vi"):
        record(base_secretary, tree.own, date=timezone.localdate() + datetime.timedelta(days=2))
    assert caught.value.message_dict["date"] == ["Ngày không được sau ngày hôm nay."]


# --- movements ----------------------------------------------------------------------------


def test_an_activity_answers_a_movement_sent_down_to_its_organization(tree, base_secretary):
    movement = make_movement(tree.root)
    activity = record(base_secretary, tree.own_cell, movement=movement)
    assert activity.movement == movement


def test_the_date_must_lie_in_the_movements_period(tree, base_secretary):
    movement = make_movement(
        tree.root, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2020, 12, 31)
    )
    errors = refusal(base_secretary, tree.own, movement=movement, date=DAY)
    assert len(errors["date"]) == 1
    assert "01/01/2020" in errors["date"][0] and "31/12/2020" in errors["date"][0]
    assert not Activity.objects.exists()


def test_a_movement_of_another_subtree_is_refused(tree, base_secretary):
    movement = make_movement(tree.other)
    errors = refusal(base_secretary, tree.own, movement=movement)
    assert errors["movement"] == ["This movement was not sent down to this organization."]


def test_a_movement_launched_below_does_not_reach_up(tree, base_secretary):
    movement = make_movement(tree.own_cell)
    assert "movement" in refusal(base_secretary, tree.own, movement=movement)


# --- partners -----------------------------------------------------------------------------


def test_partners_must_be_visible_and_not_the_organization_itself(tree, base_secretary):
    assert refusal(base_secretary, tree.own, partners=[tree.own])["partners"] == [
        "The organization that held the activity is not its own partner."
    ]
    assert refusal(base_secretary, tree.own, partners=[tree.other])["partners"] == [
        "Choose partner organizations from your list."
    ]


def test_committee_staff_may_name_any_organization_of_their_tree(tree, committee_staff):
    activity = record(committee_staff, tree.own, partners=[tree.other, tree.other_cell])
    assert set(activity.partners.all()) == {tree.other, tree.other_cell}


def test_an_archived_organization_records_nothing(tree, committee_staff):
    archived = make_org(tree.own, code="CU", name="Chi bộ cũ", archived=True)
    assert refusal(committee_staff, archived)["organization"] == ["This organization is archived."]


# --- nothing half-saved -------------------------------------------------------------------


def test_a_failing_second_photo_leaves_nothing_behind(tree, base_secretary, media):
    first = photo()
    broken = dataclasses.replace(photo((0, 0, 255)), width=-1)  # the database refuses it
    with pytest.raises(IntegrityError):  # after both photos' files were written
        record(base_secretary, tree.own, photos=[first, broken])

    assert not Activity.objects.exists()
    assert not ActivityPhoto.objects.exists()
    assert files_in(media) == []


def test_a_bad_quantity_with_photos_writes_no_file(tree, base_secretary, media):
    errors = refusal(base_secretary, tree.own, quantity=-2, photos=[photo(), photo()])
    assert "quantity" in errors
    assert not Activity.objects.exists()
    assert not ActivityPhoto.objects.exists()
    assert files_in(media) == []


def test_at_most_twenty_photos(tree, base_secretary, media):
    one = photo()
    errors = refusal(base_secretary, tree.own, photos=[one] * 21)
    assert errors["photos"] == ["An activity has at most 20 photos."]
    assert files_in(media) == []
    activity = record(base_secretary, tree.own, photos=[one] * 20)
    assert activity.photos.count() == 20


def test_photos_must_be_checked_first(tree, base_secretary):
    with pytest.raises(TypeError):
        record(base_secretary, tree.own, photos=[jpeg()])


# --- corrections and deletions ------------------------------------------------------------


def test_an_activity_is_corrected_with_the_same_checks(tree, base_secretary):
    activity = record(base_secretary, tree.own)
    with pytest.raises(ValidationError), translation.override("en"):
        services.update_activity(activity, by=base_secretary, quantity=-1)
    activity.refresh_from_db()
    assert activity.quantity == 35

    updated = services.update_activity(
        activity, by=base_secretary, quantity=40, title="Hiến máu đợt 2", partners=[tree.own_cell]
    )
    assert updated.quantity == 40
    activity.refresh_from_db()
    assert activity.title == "Hiến máu đợt 2"
    assert list(activity.partners.all()) == [tree.own_cell]


def test_an_activity_cannot_be_moved_out_of_reach(tree, base_secretary, committee_staff):
    activity = record(base_secretary, tree.own)
    with pytest.raises(PermissionDenied):
        services.update_activity(activity, by=base_secretary, organization=tree.other)
    with pytest.raises(PermissionDenied):
        services.update_activity(make_activity(tree.other), by=base_secretary, quantity=1)
    moved = services.update_activity(activity, by=committee_staff, organization=tree.other)
    assert moved.organization == tree.other


def test_deleting_an_activity_removes_its_files_once_committed(
    tree, base_secretary, media, django_capture_on_commit_callbacks
):
    activity = record(base_secretary, tree.own, photos=[photo(), photo()])
    assert len(files_in(media)) == 4
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_activity(activity, by=base_secretary)
    assert not Activity.objects.exists()
    assert not ActivityPhoto.objects.exists()
    assert files_in(media) == []


def test_an_activity_put_forward_is_withdrawn_before_deletion(tree, base_secretary):
    activity = record(base_secretary, tree.own)
    proposals.put_forward(activity, by=base_secretary, note="Tiêu biểu")
    with pytest.raises(ValidationError):
        services.delete_activity(activity, by=base_secretary)
    proposals.withdraw(activity, by=base_secretary)
    services.delete_activity(activity, by=base_secretary)
    assert not Activity.objects.exists()


def test_photos_are_added_up_to_twenty_and_deleted(
    tree, base_secretary, media, django_capture_on_commit_callbacks
):
    activity = record(base_secretary, tree.own, photos=[photo()] * 19)
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        services.add_photos(activity, by=base_secretary, photos=[photo(), photo()])
    assert caught.value.message_dict["photos"] == [
        "An activity has at most 20 photos; it has 19 already."
    ]
    assert len(files_in(media)) == 38

    (added,) = services.add_photos(activity, by=base_secretary, photos=[photo()])
    assert activity.photos.count() == 20
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_photo(added, by=base_secretary)
    assert activity.photos.count() == 19
    assert len(files_in(media)) == 38


def test_photos_of_another_subtree_are_out_of_reach(tree, base_secretary, committee_staff):
    activity = record(committee_staff, tree.other, photos=[photo()])
    with pytest.raises(PermissionDenied):
        services.add_photos(activity, by=base_secretary, photos=[photo()])
    with pytest.raises(PermissionDenied):
        services.delete_photo(activity.photos.get(), by=base_secretary)
    with pytest.raises(PermissionDenied):
        services.delete_activity(activity, by=base_secretary)
