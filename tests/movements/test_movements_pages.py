"""Movement pages: who sees which movements, launching one and its targets, the detail
where each organization sees what it was asked and what it did, and query-count guards."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lantoa.movements.models import Movement, MovementKind, MovementTarget
from lantoa.orgs.scope import SESSION_KEY
from tests.factories import make_org
from tests.movements.factories import (
    BLOOD,
    GIFTS,
    HOUSES,
    activity_type,
    make_activity,
    make_movement,
    make_target,
)

D = datetime.date
LIST = reverse("movements:movement_list")


def detail(movement, org=None) -> str:
    url = reverse("movements:movement_detail", args=[movement.pk])
    return f"{url}?org={org.pk}" if org is not None else url


@pytest.fixture
def client(client):
    """A browser that chose English (the pages are Vietnamese first)."""
    client.cookies["django_language"] = "en"
    return client


def html(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def row(page: str, row_id: str) -> str:
    start = page.index(f'id="{row_id}"')
    return page[start : page.index("</tr>", start)]


@pytest.fixture
def movements(tree):
    return {
        "root": make_movement(tree.root, title="Phong trào “Vì người nghèo” toàn tỉnh"),
        "own": make_movement(tree.own, title="Phong trào Dân vận khéo", kind="thematic"),
        "other": make_movement(tree.other, title="Phong trào Viễn thông xanh"),
    }


# --- the list and who sees what -----------------------------------------------------------


def test_the_list_shows_only_the_movements_that_reach_the_user(
    client, tree, movements, base_secretary
):
    client.force_login(base_secretary)
    page = html(client, LIST)
    assert "Vì người nghèo" in page
    assert "Dân vận khéo" in page
    assert "Viễn thông xanh" not in page
    assert "Launch a movement" not in page


def test_a_movement_launched_beside_the_user_answers_404(client, tree, movements, base_secretary):
    client.force_login(base_secretary)
    html(client, detail(movements["other"]), 404)
    html(client, detail(movements["root"]), 200)
    html(client, detail(movements["root"], tree.other), 404)  # a part outside the grant
    html(client, detail(movements["own"], tree.root), 404)  # not reached by that movement


def test_an_outsider_sees_no_movement(client, movements, outsider):
    client.force_login(outsider)
    html(client, LIST, 404)
    html(client, detail(movements["root"]), 404)


def test_the_list_searches_without_diacritics_and_filters(client, movements, committee_staff):
    make_movement(
        movements["root"].organization,
        title="Thi đua 2022",
        start_date=D(2022, 1, 1),
        end_date=D(2022, 12, 31),
    )
    client.force_login(committee_staff)
    page = html(client, LIST)
    assert "Launch a movement" in page
    assert page.count('id="movement-') == 4

    page = html(client, LIST + "?q=vi+nguoi+ngheo")
    assert page.count('id="movement-') == 1 and "Vì người nghèo" in page

    page = html(client, LIST + "?year=2022")
    assert page.count('id="movement-') == 1 and "Thi đua 2022" in page

    page = html(client, LIST + "?kind=thematic")
    assert page.count('id="movement-') == 1 and "Dân vận khéo" in page


def test_the_working_scope_narrows_the_list(client, tree, movements, committee_staff):
    client.force_login(committee_staff)
    session = client.session
    session[SESSION_KEY] = tree.other.pk
    session.save()
    page = html(client, LIST)
    assert "Viễn thông xanh" in page and "Vì người nghèo" in page
    assert "Dân vận khéo" not in page


def test_the_list_paginates(client, tree, committee_staff, settings):
    settings.LANTOA_PAGE_SIZE = 3
    for n in range(7):
        make_movement(tree.root, title=f"Phong trào {n}")
    client.force_login(committee_staff)
    page = html(client, LIST + "?page=3")
    assert page.count('id="movement-') == 1


# --- launching, correcting, targets -------------------------------------------------------


def test_committee_staff_launch_a_movement_through_the_form(client, tree, committee_staff):
    client.force_login(committee_staff)
    assert "Launched by" in html(client, reverse("movements:movement_create"))
    data = {
        "organization": tree.root.pk,
        "title": "Phong trào “Hiến máu tình nguyện”",
        "kind": MovementKind.REGULAR,
        "start_date": "01/01/2016",
        "end_date": "31/12/2020",
        "form_token": "t-1",
    }
    response = client.post(reverse("movements:movement_create"), data)
    movement = Movement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(movement)
    assert (movement.start_date, movement.end_date) == (D(2016, 1, 1), D(2020, 12, 31))

    client.post(reverse("movements:movement_create"), data)  # the same submit again
    assert Movement.objects.count() == 1


def test_a_period_ending_before_it_starts_is_shown_on_the_form(client, tree, committee_staff):
    client.force_login(committee_staff)
    data = {
        "organization": tree.root.pk,
        "title": "Phong trào",
        "kind": MovementKind.REGULAR,
        "start_date": "01/01/2020",
        "end_date": "31/12/2019",
    }
    response = client.post(reverse("movements:movement_create"), data)
    assert response.status_code == 200
    assert "cannot be before its start" in response.content.decode()
    assert not Movement.objects.exists()


def test_organization_staff_cannot_open_the_management_pages(
    client, tree, movements, base_secretary
):
    client.force_login(base_secretary)
    target = make_target(movements["own"])
    html(client, reverse("movements:movement_create"), 404)
    html(client, reverse("movements:movement_edit", args=[movements["own"].pk]), 404)
    html(client, reverse("movements:movement_target_add", args=[movements["own"].pk]), 404)
    html(client, reverse("movements:movement_target_edit", args=[target.pk]), 404)
    response = client.post(reverse("movements:movement_delete", args=[movements["own"].pk]))
    assert response.status_code == 404
    response = client.post(reverse("movements:movement_target_delete", args=[target.pk]))
    assert response.status_code == 404
    assert MovementTarget.objects.filter(pk=target.pk).exists()


def test_a_period_change_that_strands_activities_is_refused_on_the_form(
    client, tree, movements, committee_staff
):
    movement = movements["root"]
    make_activity(tree.own_cell, movement=movement, date=D(2016, 5, 1))
    client.force_login(committee_staff)
    data = {
        "title": movement.title,
        "kind": movement.kind,
        "start_date": "01/01/2017",
        "end_date": "31/12/2020",
    }
    url = reverse("movements:movement_edit", args=[movement.pk])
    assert "01/01/2016" in html(client, url)
    page = client.post(url, data).content.decode()
    assert "1 activity reported against this movement falls outside" in page
    movement.refresh_from_db()
    assert movement.start_date == D(2016, 1, 1)


def test_targets_are_added_edited_and_deleted(client, movements, committee_staff):
    movement = movements["root"]
    client.force_login(committee_staff)
    add = reverse("movements:movement_target_add", args=[movement.pk])
    data = {"activity_type": activity_type(HOUSES).pk, "quantity": "40", "form_token": "a"}
    assert client.post(add, data).status_code == 302
    target = movement.targets.get()
    assert target.quantity == 40

    page = client.post(add, {**data, "form_token": "b"})
    assert "already has a target" in page.content.decode()

    edit = reverse("movements:movement_target_edit", args=[target.pk])
    data = {
        "activity_type": target.activity_type_id,
        "quantity": "50",
        "per_base_organization": "5",
    }
    assert client.post(edit, data).status_code == 302
    target.refresh_from_db()
    assert (target.quantity, target.per_base_organization) == (50, 5)

    page = client.post(edit, {**data, "per_base_organization": "51"})
    assert "cannot exceed" in page.content.decode()

    client.post(reverse("movements:movement_target_delete", args=[target.pk]))
    assert not movement.targets.exists()


def test_deleting_a_movement_with_activities_is_refused_with_a_message(
    client, tree, movements, committee_staff
):
    movement = movements["root"]
    make_activity(tree.own_cell, movement=movement)
    client.force_login(committee_staff)
    url = reverse("movements:movement_delete", args=[movement.pk])
    response = client.post(url, follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert Movement.objects.filter(pk=movement.pk).exists()

    empty = movements["other"]
    client.post(reverse("movements:movement_delete", args=[empty.pk]))
    assert not Movement.objects.filter(pk=empty.pk).exists()


# --- the detail: asked and done -----------------------------------------------------------


@pytest.fixture
def campaign(tree, movements):
    """The root's movement asks 100 blood units (30 per base organization) and 10 houses."""
    movement = movements["root"]
    blood = make_target(movement, BLOOD, quantity=100, per_base_organization=30)
    houses = make_target(movement, HOUSES, quantity=10)
    make_activity(tree.own_cell, movement=movement, quantity=10, money=1_500_000)
    make_activity(tree.own, movement=movement, quantity=7)
    make_activity(tree.other_cell, movement=movement, quantity=5)
    make_activity(tree.own_cell, HOUSES, movement=movement, quantity=2, title="Nhà đại đoàn kết")
    make_activity(tree.own_cell, GIFTS, movement=movement, quantity=40)  # no target for gifts
    make_activity(tree.own_cell, quantity=99)  # not reported against the movement
    make_activity(tree.own_cell, movement=movements["own"], quantity=50)  # another movement
    return movement, blood, houses


def asked_done(page, target) -> tuple[str, str]:
    line = row(page, f"target-{target.pk}")
    asked = line.split('data-asked="')[1].split('"')[0]
    done = line.split('data-done="')[1].split('"')[0]
    return asked, done


def test_the_launcher_sees_the_whole_target_and_the_whole_subtree(
    client, tree, campaign, committee_staff
):
    movement, blood, houses = campaign
    client.force_login(committee_staff)
    page = html(client, detail(movement))

    assert asked_done(page, blood) == ("100", "22")
    assert asked_done(page, houses) == ("10", "2")
    assert "<meter" in row(page, f"target-{blood.pk}")
    assert 'value="22.0"' in row(page, f"target-{blood.pk}")
    # by sub-unit: houses and blood (the targets' order), then gifts (reported, without a target)
    own = row(page, f"part-{tree.own.pk}")
    assert [c.split(">")[1].split("<")[0] for c in own.split('<td class="num"')[1:4]] == [
        "2",
        "17",
        "40",
    ]
    assert ">5<" in row(page, f"part-{tree.other.pk}")
    whole = page[page.index('id="whole"') :]
    assert ">22<" in whole and ">2<" in whole and ">40<" in whole
    latest = page[page.index('id="latest"') :]
    assert "Nhà đại đoàn kết" in latest
    assert latest.count('id="activity-') == 5


def test_a_base_organization_sees_what_each_base_is_asked(client, tree, campaign, base_secretary):
    movement, blood, houses = campaign
    client.force_login(base_secretary)
    page = html(client, detail(movement))  # the root is out of reach: their own base

    assert f'data-org="{tree.own.pk}"' in page
    assert asked_done(page, blood) == ("30", "17")
    assert asked_done(page, houses) == ("", "2")
    assert "Viễn thông" not in page  # nothing of the other subtree shows
    assert row(page, f"part-{tree.own.pk}-own").count(">7<") == 1


def test_a_plain_cell_is_asked_nothing_but_sees_what_it_did(client, tree, campaign, base_secretary):
    movement, blood, _houses = campaign
    client.force_login(base_secretary)
    page = html(client, detail(movement, tree.own_cell))
    assert asked_done(page, blood) == ("", "10")
    assert "—" in row(page, f"target-{blood.pk}")


def test_the_working_scope_chooses_the_organization_shown(client, tree, campaign, committee_staff):
    movement, blood, _houses = campaign
    client.force_login(committee_staff)
    session = client.session
    session[SESSION_KEY] = tree.other.pk
    session.save()
    assert asked_done(html(client, detail(movement)), blood) == ("30", "5")


def test_the_table_by_sub_unit_is_exported(client, tree, campaign, committee_staff):
    movement, _blood, _houses = campaign
    client.force_login(committee_staff)
    url = reverse("movements:movement_export", args=[movement.pk]) + f"?org={tree.root.pk}"
    response = client.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["BDV"][2:7] == (2, 17, 40, 4, 1_500_000)
    assert by_code["VNPT"][2:5] == (0, 5, 0)
    assert rows[-1][2:6] == (2, 22, 40, 5)


def test_the_export_needs_the_export_permission(client, tree, campaign, council_member):
    movement, _blood, _houses = campaign
    client.force_login(council_member)
    html(client, detail(movement))
    url = reverse("movements:movement_export", args=[movement.pk])
    assert client.get(url).status_code == 404


# --- query-count guards -------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_list_runs_as_many_queries_for_one_movement_as_for_thirty(
    client, tree, committee_staff
):
    client.force_login(committee_staff)
    first = make_movement(tree.root, title="Phong trào 0")
    make_target(first)
    make_activity(tree.own_cell, movement=first)
    one = count_queries(client, LIST)
    for n in range(1, 30):
        movement = make_movement(tree.own if n % 2 else tree.other, title=f"Phong trào {n}")
        make_target(movement)
        make_activity(tree.own_cell, movement=movement)
    assert count_queries(client, LIST) == one


def test_the_detail_runs_as_many_queries_for_a_small_subtree_as_for_a_large_one(
    client, tree, campaign, committee_staff, django_assert_max_num_queries
):
    movement, _blood, _houses = campaign
    client.force_login(committee_staff)
    small = count_queries(client, detail(movement))
    for n in range(20):
        cell = make_org(tree.root, code=f"CB-{n}", name=f"Chi bộ {n}")
        make_activity(cell, movement=movement, quantity=n + 1)
        make_activity(cell, HOUSES, movement=movement, quantity=1)
    with django_assert_max_num_queries(small):
        page = html(client, detail(movement))
    assert page.count('id="part-') == 22
