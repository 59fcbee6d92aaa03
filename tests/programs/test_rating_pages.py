"""Rating pages: scores typed on the list, the cap flagged before confirming, commitment
results beside the rating, frozen confirmed lists, permissions and query counts."""

import datetime
import io
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lantoa.orgs.models import Role
from lantoa.programs.models import (
    Commitment,
    Rating,
    RatingCapSetting,
    RatingList,
    RatingListStatus,
)
from lantoa.programs.services import rating as services
from lantoa.programs.services.rating import ScoreEntry
from tests.factories import MemberFactory, UserFactory, grant

YEAR = 2025
RATED_ON = datetime.date(2025, 12, 15)


def post_form(client, url, data):
    return client.post(url, {"form_token": uuid.uuid4().hex, **data})


def new_list(tree, by, org=None) -> RatingList:
    return services.create_rating_list(
        by=by, organization=org or tree.own_cell, year=YEAR, rated_on=RATED_ON
    )


def scored(the_list, by, scores):
    people = MemberFactory.create_batch(len(scores), organization=the_list.organization)
    entries = [ScoreEntry(p.pk, Decimal(s)) for p, s in zip(people, scores, strict=True)]
    services.save_scores(the_list, entries, by=by)
    return people


def detail_url(the_list) -> str:
    return reverse("programs:rating_list_detail", args=[the_list.pk])


def test_create_a_list_and_type_scores_on_it(client, tree, base_secretary):
    people = MemberFactory.create_batch(2, organization=tree.own_cell)
    client.force_login(base_secretary)
    create = reverse("programs:rating_list_create")
    assert client.get(create).status_code == 200
    response = post_form(
        client,
        create,
        {"organization": str(tree.own_cell.pk), "year": str(YEAR), "rated_on": "15/12/2025"},
    )
    assert response.status_code == 302
    the_list = RatingList.objects.get()
    assert the_list.rated_on == RATED_ON

    data = {f"score_{people[0].pk}": "92,5", f"score_{people[1].pk}": "70"}
    data[f"note_{people[1].pk}"] = "Đúng hạn"
    assert post_form(client, detail_url(the_list), data).status_code == 302
    ratings = {r.person_id: r for r in Rating.objects.all()}
    assert ratings[people[0].pk].score == Decimal("92.5")
    assert (ratings[people[0].pk].level, ratings[people[1].pk].level) == ("excellent", "good")
    assert ratings[people[1].pk].note == "Đúng hạn"

    bad = {f"score_{people[0].pk}": "50", f"score_{people[1].pk}": "101"}
    page = post_form(client, detail_url(the_list), bad)
    assert page.status_code == 200  # shown again with the error; nothing saved
    assert Rating.objects.get(person=people[0]).score == Decimal("92.5")


def test_the_cap_is_flagged_before_confirming(client, tree, committee_staff):
    the_list = new_list(tree, committee_staff)
    scored(the_list, committee_staff, ["95"] * 3 + ["80"] * 10)
    client.force_login(committee_staff)
    html = client.get(detail_url(the_list)).content.decode()
    assert "2025" in html.split("<h1>")[1].split("</h1>")[0]
    assert 'id="cap-check" data-over="1"' in html
    assert (
        "3 đảng viên xếp loại “Hoàn thành xuất sắc nhiệm vụ”, tối đa được 2 "
        "(bằng 20% của 10 đảng viên xếp loại “Hoàn thành tốt nhiệm vụ”)" in html
    )
    assert 'id="confirm-list"' not in html

    response = client.post(reverse("programs:rating_list_confirm", args=[the_list.pk]))
    assert response.status_code == 302
    assert RatingList.objects.get().status == RatingListStatus.DRAFT

    RatingCapSetting.objects.create(organization=tree.own, year=YEAR, cap_percent=30)
    html = client.get(detail_url(the_list)).content.decode()
    assert 'data-over="0"' in html and 'id="confirm-list"' in html
    client.post(reverse("programs:rating_list_confirm", args=[the_list.pk]))
    assert RatingList.objects.get().status == RatingListStatus.CONFIRMED


def test_a_confirmed_list_is_frozen(client, tree, committee_staff):
    the_list = new_list(tree, committee_staff)
    people = scored(the_list, committee_staff, ["80", "75"])
    services.confirm_rating_list(the_list, by=committee_staff)
    client.force_login(committee_staff)
    html = client.get(detail_url(the_list)).content.decode()
    assert f'name="score_{people[0].pk}"' not in html
    post_form(client, detail_url(the_list), {f"score_{people[0].pk}": "10"})
    assert Rating.objects.get(person=people[0]).score == Decimal("80")
    edit = client.get(reverse("programs:rating_list_edit", args=[the_list.pk]))
    assert edit.status_code == 302


def test_commitment_results_are_shown_beside_the_rating(client, tree, committee_staff):
    the_list = new_list(tree, committee_staff)
    people = scored(the_list, committee_staff, ["80", "75"])
    Commitment.objects.create(
        person=people[0],
        year=YEAR,
        organization=tree.own_cell,
        submitted_at=timezone.now(),
        self_result="excellent",
        cell_result="good",
    )
    client.force_login(committee_staff)
    client.cookies["django_language"] = "en"
    html = client.get(detail_url(the_list), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = html.split(f'data-person="{people[0].pk}"')[1].split("</tr>")[0]
    assert "Carried out excellently" in row and "Carried out well" in row
    other_row = html.split(f'data-person="{people[1].pk}"')[1].split("</tr>")[0]
    assert 'class="tag"' in other_row  # not registered

    export = client.get(reverse("programs:rating_list_export", args=[the_list.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert sheet.max_row == 3


def test_rating_pages_are_for_rating_staff_of_the_subtree(client, tree, committee_staff):
    own_list = new_list(tree, committee_staff)
    other_list = new_list(tree, committee_staff, org=tree.other_cell)
    secretary = UserFactory(username="secretary")
    grant(secretary, Role.ORGANIZATION_STAFF, tree.own)
    member = UserFactory(username="member")
    grant(member, Role.MEMBER, tree.own_cell)
    council = UserFactory(username="council")
    grant(council, Role.COUNCIL_MEMBER, tree.root)

    client.force_login(secretary)
    assert client.get(detail_url(own_list)).status_code == 200
    assert client.get(reverse("programs:rating_lists")).status_code == 200
    assert client.get(reverse("programs:cap_settings")).status_code == 200
    for url in [
        detail_url(other_list),
        reverse("programs:rating_list_edit", args=[other_list.pk]),
        reverse("programs:rating_list_export", args=[other_list.pk]),
        reverse("programs:cap_setting_create"),  # caps are set by the committee's staff
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(
        reverse("programs:rating_list_confirm", args=[other_list.pk])
    ).status_code == (404)
    listing = client.get(reverse("programs:rating_lists")).content.decode()
    assert "Chi bộ 1" in listing and "Chi bộ 2" not in listing

    for user in (member, council):
        client.force_login(user)
        for url in [detail_url(own_list), reverse("programs:rating_lists")]:
            assert client.get(url).status_code == 404, (user, url)


def test_cap_settings_pages(client, tree, committee_staff):
    client.force_login(committee_staff)
    url = reverse("programs:cap_setting_create")
    assert client.get(url).status_code == 200
    data = {
        "organization": str(tree.own.pk),
        "year": str(YEAR),
        "cap_percent": "25",
        "valid_from": "01/11/2025",
        "valid_to": "",
        "note": "Đơn vị tiêu biểu",
    }
    assert post_form(client, url, data).status_code == 302
    setting = RatingCapSetting.objects.get()
    assert (setting.cap_percent, setting.valid_from) == (Decimal("25"), datetime.date(2025, 11, 1))
    edit = reverse("programs:cap_setting_edit", args=[setting.pk])
    assert 'value="25"' in client.get(edit).content.decode()
    bad = data | {"valid_to": "01/01/2025", "cap_percent": "120"}
    assert post_form(client, edit, bad).status_code == 200
    assert RatingCapSetting.objects.get().cap_percent == Decimal("25")
    assert "Đơn vị tiêu biểu" in client.get(reverse("programs:cap_settings")).content.decode()


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999999999999999", "%00"])
def test_malformed_input_never_fails(client, tree, committee_staff, value):
    the_list = new_list(tree, committee_staff)
    client.force_login(committee_staff)
    for url in [
        reverse("programs:rating_lists") + f"?year={value}&page={value}",
        detail_url(the_list) + f"?page={value}",
        reverse("programs:rating_list_create") + f"?org={value}",
    ]:
        assert client.get(url).status_code in (200, 404), url
    garbage = {"form_token": "y" * 300, "rated_on": value, "organization": value, "year": value}
    for url in [
        reverse("programs:rating_list_create"),
        reverse("programs:rating_list_edit", args=[the_list.pk]),
        reverse("programs:cap_setting_create"),
    ]:
        assert client.post(url, garbage).status_code == 200, url


# --- query counts ------------------------------------------------------------------------


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_rating_list_page_runs_the_same_queries_for_1_and_50_rows(client, tree, committee_staff):
    the_list = new_list(tree, committee_staff)
    client.force_login(committee_staff)

    def add(count):
        people = scored(the_list, committee_staff, ["80"] * count)
        for person in people[::2]:
            Commitment.objects.create(
                person=person, year=YEAR, organization=tree.own_cell, submitted_at=timezone.now()
            )

    add(1)
    one = queries_for(client, detail_url(the_list))
    add(49)
    assert queries_for(client, detail_url(the_list)) == one


def test_rating_lists_index_runs_the_same_queries_for_1_and_50_rows(client, tree, committee_staff):
    client.force_login(committee_staff)
    for year in range(2000, 2001):
        RatingList.objects.create(organization=tree.own_cell, year=year, rated_on=RATED_ON)
    one = queries_for(client, reverse("programs:rating_lists"))
    for year in range(2001, 2050):
        RatingList.objects.create(
            organization=tree.own_cell,
            year=year,
            rated_on=RATED_ON,
            status=RatingListStatus.CONFIRMED,
            confirmed_by=committee_staff,
            confirmed_at=timezone.now(),
        )
    assert queries_for(client, reverse("programs:rating_lists")) == one


def test_cap_settings_list_runs_the_same_queries_for_1_and_50_rows(client, tree, committee_staff):
    client.force_login(committee_staff)
    RatingCapSetting.objects.create(organization=tree.own, year=2000, cap_percent=20)
    one = queries_for(client, reverse("programs:cap_settings"))
    for year in range(2001, 2050):
        RatingCapSetting.objects.create(organization=tree.own_cell, year=year, cap_percent=25)
    assert queries_for(client, reverse("programs:cap_settings")) == one
