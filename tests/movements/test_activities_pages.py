"""Pages of the activity ledger: who sees what (another subtree answers 404, photos too),
recording with photos once however often the form is sent, corrections, photos added and
deleted, putting forward, the export, and a query-count guard on the list."""

import datetime
import io
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from lantoa.movements.models import Activity, ActivityPhoto
from lantoa.movements.photos import process_photo
from lantoa.movements.services import activities as services
from lantoa.orgs.models import Role
from tests.factories import UserFactory, grant
from tests.movements.factories import (
    BLOOD,
    GIFTS,
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


def jpeg(name="anh.jpg", colour=(200, 30, 30), size=(64, 48)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(name="so-do.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGBA", (30, 20), (0, 128, 0, 255)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def recorded(by, org, photos=(), **fields) -> Activity:
    values = {
        "activity_type": activity_type(BLOOD),
        "title": "Ngày hội hiến máu tình nguyện",
        "date": DAY,
        "place": "Hội trường",
        "quantity": 35,
        "participants": 40,
    }
    values.update(fields)
    processed = [process_photo(p) for p in photos]
    return services.record_activity(by=by, organization=org, photos=processed, **values)


def form_data(**fields) -> dict:
    data = {
        "form_token": uuid.uuid4().hex,
        "activity_type": activity_type(BLOOD).pk,
        "title": "Hiến máu nhân đạo đợt 1",
        "date": "14/06/2019",
        "place": "Nhà văn hóa phường 5",
        "quantity": "35",
        "money": "",
        "participants": "42",
        "beneficiaries": "",
    }
    data.update(fields)
    return data


def create_url(org=None, movement=None) -> str:
    url = reverse("movements:activity_create")
    if org is not None:
        return f"{url}?org={org.pk}"
    if movement is not None:
        return f"{url}?movement={movement.pk}"
    return url


def photo_url(photo: ActivityPhoto, variant: str = "thumb") -> str:
    return reverse("movements:activity_photo", args=[photo.pk, variant])


# --- who sees what ------------------------------------------------------------------------


@pytest.fixture
def two_sides(tree, committee_staff):
    own = recorded(committee_staff, tree.own_cell, photos=[jpeg()], title="Hiến máu nội bộ")
    other = recorded(committee_staff, tree.other_cell, photos=[png()], title="Tặng quà Viễn thông")
    return own, other


def test_the_list_shows_the_users_subtree_only(client, tree, base_secretary, two_sides):
    client.force_login(base_secretary)
    response = client.get(reverse("movements:activity_list"))
    assert response.status_code == 200
    assert "Hiến máu nội bộ" in response.text
    assert "Tặng quà Viễn thông" not in response.text
    assert client.get(reverse("movements:activity_list") + f"?org={tree.other.pk}").status_code == (
        404
    )
    assert client.get(reverse("movements:activity_list") + "?org=abc").status_code == 404


def test_pages_of_another_subtree_answer_404(client, tree, base_secretary, two_sides):
    _own, other = two_sides
    client.force_login(base_secretary)
    photo = other.photos.get()
    for url in [
        reverse("movements:activity_detail", args=[other.pk]),
        reverse("movements:activity_edit", args=[other.pk]),
        reverse("movements:activity_put_forward", args=[other.pk]),
        photo_url(photo, "thumb"),
        photo_url(photo, "full"),
        create_url(org=tree.other),
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        reverse("movements:activity_delete", args=[other.pk]),
        reverse("movements:activity_withdraw", args=[other.pk]),
        reverse("movements:activity_photo_delete", args=[photo.pk]),
        reverse("movements:activity_photo_add", args=[other.pk]),
    ]:
        assert client.post(url).status_code == 404, url
    assert Activity.objects.filter(pk=other.pk).exists()
    assert ActivityPhoto.objects.filter(pk=photo.pk).exists()


def test_readers_see_but_do_not_record(client, tree, council_member, two_sides):
    own, _other = two_sides
    client.force_login(council_member)
    assert client.get(reverse("movements:activity_list")).status_code == 200
    page = client.get(reverse("movements:activity_detail", args=[own.pk]))
    assert page.status_code == 200
    assert reverse("movements:activity_edit", args=[own.pk]) not in page.text
    assert client.get(photo_url(own.photos.get())).status_code == 200
    assert client.get(create_url()).status_code == 404
    assert client.get(reverse("movements:activity_edit", args=[own.pk])).status_code == 404
    assert client.get(reverse("movements:activity_export")).status_code == 404  # no EXPORT


def test_outsiders_see_nothing(client, outsider, two_sides):
    own, _other = two_sides
    client.force_login(outsider)
    assert client.get(reverse("movements:activity_list")).status_code == 404
    assert client.get(reverse("movements:activity_detail", args=[own.pk])).status_code == 404
    assert client.get(photo_url(own.photos.get())).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, two_sides):
    own, _other = two_sides
    response = client.get(photo_url(own.photos.get()))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- photos -------------------------------------------------------------------------------


def test_photos_are_served_with_their_type_and_nosniff(client, committee_staff, two_sides):
    own, other = two_sides
    client.force_login(committee_staff)
    for photo, variant, content_type, pillow in [
        (own.photos.get(), "full", "image/jpeg", "JPEG"),
        (own.photos.get(), "thumb", "image/jpeg", "JPEG"),
        (other.photos.get(), "full", "image/png", "PNG"),
        (other.photos.get(), "thumb", "image/jpeg", "JPEG"),
    ]:
        response = client.get(photo_url(photo, variant))
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]
        image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        assert image.format == pillow
    assert client.get(f"/activities/photos/{own.photos.get().pk}/raw/").status_code == 404
    assert client.get(photo_url(ActivityPhoto(pk=999_999))).status_code == 404


def test_the_detail_page_shows_figures_thumbnails_and_partners(
    client, tree, committee_staff, base_secretary
):
    movement = make_movement(tree.root, title="Phong trào Vì người nghèo")
    activity = recorded(
        committee_staff,
        tree.own,
        photos=[jpeg(), jpeg("hai.jpg")],
        activity_type=activity_type(GIFTS),
        quantity=1200,
        money=150_000_000,
        beneficiaries=1200,
        beneficiary_category=beneficiary_category(),
        partners=[tree.other],
        movement=movement,
    )
    client.force_login(base_secretary)
    page = client.get(reverse("movements:activity_detail", args=[activity.pk])).text
    assert "1.200 suất quà" in page
    assert "150.000.000" in page
    assert tree.other.name in page
    assert "Phong trào Vì người nghèo" in page
    for photo in activity.photos.all():
        assert f'href="{photo_url(photo, "full")}"' in page
        assert f'src="{photo_url(photo, "thumb")}"' in page


def test_photos_are_added_and_deleted_from_the_detail_page(
    client, tree, base_secretary, media, django_capture_on_commit_callbacks
):
    activity = recorded(base_secretary, tree.own)
    client.force_login(base_secretary)
    add_url = reverse("movements:activity_photo_add", args=[activity.pk])
    response = client.post(
        add_url, {"form_token": uuid.uuid4().hex, "photos": [jpeg("a.jpg"), png("b.png")]}
    )
    assert response.status_code == 302
    assert activity.photos.count() == 2
    assert len(files_in(media)) == 4

    fake = SimpleUploadedFile("c.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(add_url, {"form_token": uuid.uuid4().hex, "photos": [fake]}, follow=True)
    assert "c.jpg: " in response.text
    assert activity.photos.count() == 2

    photo = activity.photos.first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("movements:activity_photo_delete", args=[photo.pk]))
    assert response.status_code == 302
    assert activity.photos.count() == 1
    assert len(files_in(media)) == 2


# --- recording ----------------------------------------------------------------------------


def test_staff_record_an_activity_with_two_photos(client, tree, base_secretary, media):
    client.force_login(base_secretary)
    form = client.get(create_url())
    assert form.status_code == 200
    assert 'type="file" name="photos"' in form.text
    assert "multiple" in form.text and 'accept="image/jpeg,image/png"' in form.text
    assert 'enctype="multipart/form-data"' in form.text

    data = form_data(
        organization=tree.own.pk,
        money="1.500.000",
        partners=[tree.own_cell.pk],
        photos=[jpeg("mot.jpg"), jpeg("hai.jpg", (0, 0, 200))],
    )
    response = client.post(create_url(), data)

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("movements:activity_detail", args=[activity.pk])
    assert activity.organization == tree.own
    assert activity.money == 1_500_000
    assert activity.quantity == 35
    assert activity.date == DAY
    assert list(activity.partners.all()) == [tree.own_cell]
    assert sorted(p.original_name for p in activity.photos.all()) == ["hai.jpg", "mot.jpg"]
    assert len(files_in(media)) == 4


def test_a_double_submit_records_one_activity(client, tree, base_secretary, media):
    client.force_login(base_secretary)
    data = form_data(organization=tree.own.pk)
    first = client.post(create_url(), {**data, "photos": [jpeg()]})
    second = client.post(create_url(), {**data, "photos": [jpeg()]})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Activity.objects.count() == 1
    assert ActivityPhoto.objects.count() == 1
    assert len(files_in(media)) == 2


def test_the_organization_may_be_fixed_by_the_address(client, tree, base_secretary):
    movement = make_movement(tree.root, title="Phong trào hiến máu")
    make_movement(tree.other, title="Phong trào của Viễn thông")
    client.force_login(base_secretary)
    page = client.get(create_url(org=tree.own_cell))
    assert page.status_code == 200
    assert 'name="organization"' not in page.text
    assert "Phong trào hiến máu" in page.text
    assert "Phong trào của Viễn thông" not in page.text

    response = client.post(create_url(org=tree.own_cell), form_data(movement=movement.pk))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.organization == tree.own_cell
    assert activity.movement == movement


def test_a_movement_in_the_address_is_preselected(client, tree, base_secretary):
    movement = make_movement(tree.root, title="Phong trào hiến máu")
    client.force_login(base_secretary)
    page = client.get(create_url(movement=movement)).text
    assert f'<option value="{movement.pk}" selected>' in page
    hidden = make_movement(tree.other_cell, title="Không thấy")
    assert client.get(create_url(movement=hidden)).status_code == 404


def test_bad_input_is_shown_in_the_form_and_nothing_is_saved(client, tree, base_secretary, media):
    client.force_login(base_secretary)
    fake = SimpleUploadedFile("anh.jpg", "chỉ là chữ".encode(), content_type="image/jpeg")
    cases = [
        ({"quantity": "-3"}, "id_quantity_error"),
        ({"quantity": "20001"}, "id_quantity_error"),
        ({"quantity": "3,5"}, "id_quantity_error"),
        ({"money": "1,5 triệu"}, "id_money_error"),
        ({"money": "-100"}, "id_money_error"),
        ({"participants": "2000000"}, "id_participants_error"),
        ({"beneficiaries": "4"}, "id_beneficiary_category_error"),
        ({"date": "01/01/2999"}, "id_date_error"),
        ({"organization": tree.other.pk}, "id_organization_error"),
        ({"partners": [tree.other.pk]}, "id_partners_error"),
        ({"photos": [jpeg(), fake]}, "id_photos_error"),
    ]
    for fields, error_id in cases:
        response = client.post(create_url(), form_data(**{"organization": tree.own.pk, **fields}))
        assert response.status_code == 200, fields
        assert f'id="{error_id}"' in response.text, fields
    assert not Activity.objects.exists()
    assert not ActivityPhoto.objects.exists()
    assert files_in(media) == []


def test_a_date_outside_the_movement_is_refused_in_vietnamese(client, tree, base_secretary):
    movement = make_movement(
        tree.root, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2020, 12, 31)
    )
    client.force_login(base_secretary)
    response = client.post(
        create_url(org=tree.own), form_data(movement=movement.pk, date="14/06/2019")
    )
    assert response.status_code == 200
    assert 'id="id_date_error"' in response.text
    assert "01/01/2020" in response.text and "31/12/2020" in response.text
    assert not Activity.objects.exists()


def test_a_photo_refusal_is_in_vietnamese(client, tree, base_secretary):
    client.force_login(base_secretary)
    fake = SimpleUploadedFile("anh.jpg", b"GIF89a....", content_type="image/jpeg")
    response = client.post(create_url(org=tree.own), form_data(photos=[fake]))
    assert "anh.jpg: Tệp này không phải là tệp JPEG, PNG hợp lệ" in response.text


# --- corrections, deletion, commendation --------------------------------------------------


def test_an_activity_is_corrected(client, tree, base_secretary):
    activity = recorded(base_secretary, tree.own)
    client.force_login(base_secretary)
    url = reverse("movements:activity_edit", args=[activity.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="photos"' not in page.text
    response = client.post(
        url, form_data(organization=tree.own_cell.pk, quantity="50", money="2.000.000")
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.organization, activity.quantity, activity.money) == (
        tree.own_cell,
        50,
        2_000_000,
    )


def test_an_activity_is_deleted_with_its_photos(
    client, tree, base_secretary, media, django_capture_on_commit_callbacks
):
    activity = recorded(base_secretary, tree.own, photos=[jpeg()])
    client.force_login(base_secretary)
    url = reverse("movements:activity_delete", args=[activity.pk])
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == reverse("movements:activity_list")
    assert not Activity.objects.exists()
    assert files_in(media) == []


def test_an_activity_is_put_forward_and_withdrawn(client, tree, base_secretary):
    activity = recorded(base_secretary, tree.own)
    client.force_login(base_secretary)
    url = reverse("movements:activity_put_forward", args=[activity.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"form_token": uuid.uuid4().hex, "note": ""})
    assert response.status_code == 200
    assert 'id="id_note_error"' in response.text
    response = client.post(url, {"form_token": uuid.uuid4().hex, "note": "Tiêu biểu năm 2019"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.is_put_forward and activity.put_forward_note == "Tiêu biểu năm 2019"
    detail = client.get(reverse("movements:activity_detail", args=[activity.pk])).text
    assert 'id="put-forward"' in detail and "Tiêu biểu năm 2019" in detail

    client.post(reverse("movements:activity_withdraw", args=[activity.pk]))
    activity.refresh_from_db()
    assert not activity.is_put_forward


# --- the list: filters, sums, export ------------------------------------------------------


def test_the_list_filters_and_adds_up(client, tree, committee_staff):
    movement = make_movement(tree.root, title="Phong trào")
    make_activity(tree.own, title="Hiến máu đợt 1", money=1_000_000, participants=10)
    make_activity(
        tree.own_cell, title="Hiến máu đợt 2", money=2_500_000, participants=5, movement=movement
    )
    make_activity(tree.other, GIFTS, title="Tặng quà Tết", money=7_000_000, participants=3)
    make_activity(tree.own, title="Hiến máu năm trước", date=datetime.date(2018, 3, 1), money=9)
    client.force_login(committee_staff)
    url = reverse("movements:activity_list")

    def shown(query: str) -> tuple[set[str], str]:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200
        titles = {a.title for a in response.context["page"]}
        sums = response.context["sums"]
        return titles, f"{sums['count']} {sums['money']} {sums['participants']}"

    assert shown("year=2019") == (
        {"Hiến máu đợt 1", "Hiến máu đợt 2", "Tặng quà Tết"},
        "3 10500000 18",
    )
    assert shown(f"org={tree.own.pk}&year=2019")[1] == "2 3500000 15"
    assert shown(f"type={activity_type(GIFTS).pk}")[0] == {"Tặng quà Tết"}
    assert shown(f"movement={movement.pk}")[0] == {"Hiến máu đợt 2"}
    assert shown("q=hien+mau+dot")[0] == {"Hiến máu đợt 1", "Hiến máu đợt 2"}
    page = client.get(f"{url}?year=2019").text
    assert 'id="sum-money">10.500.000<' in page
    assert f'href="{create_url()}"' in page


def test_the_export_is_the_filtered_list(client, tree, committee_staff):
    make_activity(tree.own, title="Hiến máu đợt 1", quantity=35)
    make_activity(tree.other, GIFTS, title="Tặng quà Tết")
    client.force_login(committee_staff)
    response = client.get(reverse("movements:activity_export") + f"?org={tree.own.pk}")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert "Hiến máu đợt 1" in rows[1] and 35 in rows[1]


def test_the_export_needs_the_export_right_on_the_organization(client, tree):
    reader = UserFactory(username="reader")
    grant(reader, Role.READ_ONLY, tree.own)
    make_activity(tree.own, title="Hiến máu đợt 1")
    client.force_login(reader)
    assert client.get(reverse("movements:activity_export")).status_code == 200
    url = reverse("movements:activity_export") + f"?org={tree.other.pk}"
    assert client.get(url).status_code == 404


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("query", ["", "?year=2019&q=hien+mau", "?org={own}"])
def test_the_list_query_count_does_not_grow_with_rows(client, tree, committee_staff, query):
    make_movement(tree.root)
    client.force_login(committee_staff)
    url = reverse("movements:activity_list") + query.format(own=tree.own.pk)
    make_activity(tree.own_cell, title="Hiến máu 0")
    one = queries_for(client, url)
    for n in range(1, 30):
        make_activity(tree.own_cell if n % 2 else tree.own, title=f"Hiến máu {n}")
    many = queries_for(client, url)
    assert many == one
    assert many <= 12
