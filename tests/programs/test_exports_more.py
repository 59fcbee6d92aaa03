"""Exports of the thematic topics and the rating caps (the page's filters, the user's
subtree, bounded queries), and the CSV links of the coverage and movement pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from lantoa.programs.models import RatingCapSetting, Theme
from tests.exports import csv_rows, xlsx_rows
from tests.movements.factories import make_movement


def theme(org, title: str, year: int = 2024) -> Theme:
    return Theme.objects.create(
        organization=org, year=year, level="committee", issuer="Đảng ủy", title=title
    )


@pytest.fixture
def themes(tree):
    theme(None, "Chuyên đề toàn khóa chung", year=2021)
    theme(tree.own, "Học tập phong cách Hồ Chí Minh")
    theme(tree.other, "Chuyên đề của Viễn thông")


def test_theme_export_has_the_search_and_stays_in_the_line(
    client, themes, committee_staff, base_secretary
):
    client.force_login(committee_staff)
    rows = csv_rows(client.get(reverse("programs:theme_export_csv") + "?q=phong cach"))
    assert len(rows[0]) == 8
    assert [row[2] for row in rows[1:]] == ["Học tập phong cách Hồ Chí Minh"]
    client.force_login(base_secretary)
    sheet = xlsx_rows(client.get(reverse("programs:theme_export")))
    titles = {row[2] for row in sheet[1:]}
    assert titles == {"Chuyên đề toàn khóa chung", "Học tập phong cách Hồ Chí Minh"}
    assert "Chuyên đề của Viễn thông" not in titles


def test_theme_page_links_its_exports(client, themes, committee_staff, council_member):
    client.force_login(committee_staff)
    page = client.get(reverse("programs:theme_list") + "?q=hoc&page=1").content.decode()
    assert reverse("programs:theme_export_csv") + "?q=hoc" in page
    client.force_login(council_member)  # may read the topics, not export
    assert (
        reverse("programs:theme_export_csv")
        not in client.get(reverse("programs:theme_list")).content.decode()
    )
    assert client.get(reverse("programs:theme_export_csv")).status_code == 404


def cap(org, year: int, percent: str = "20") -> RatingCapSetting:
    return RatingCapSetting.objects.create(
        organization=org, year=year, cap_percent=Decimal(percent), note=f"Trần {org.code}"
    )


def test_cap_export_stays_in_the_subtree_and_the_scope(
    client, tree, committee_staff, base_secretary
):
    cap(tree.own, 2024, "25.5")
    cap(tree.other, 2024)
    client.force_login(base_secretary)
    rows = csv_rows(client.get(reverse("programs:cap_settings_export_csv")))
    assert [(row[0], row[3]) for row in rows[1:]] == [("BDV", "25.50")]
    client.force_login(committee_staff)
    sheet = xlsx_rows(client.get(reverse("programs:cap_settings_export")))
    assert {row[0] for row in sheet[1:]} == {"BDV", "VNPT"}
    session = client.session
    session["lantoa_scope_org"] = tree.other.pk  # the scope bar narrows page and export
    session.save()
    sheet = xlsx_rows(client.get(reverse("programs:cap_settings_export")))
    assert [row[0] for row in sheet[1:]] == ["VNPT"]
    page = client.get(reverse("programs:cap_settings")).content.decode()
    assert reverse("programs:cap_settings_export_csv") in page


def test_exports_queries_are_bounded(
    client, tree, themes, committee_staff, django_assert_max_num_queries
):
    client.force_login(committee_staff)
    for n in range(20):
        theme(tree.own_cell, f"Chuyên đề {n}")
        cap(tree.own_cell, 2000 + n)
    for name in ("programs:theme_export_csv", "programs:cap_settings_export_csv"):
        with django_assert_max_num_queries(8):
            rows = csv_rows(client.get(reverse(name)))
        assert len(rows) > 20


def test_the_coverage_and_movement_pages_link_their_csv(client, tree, committee_staff):
    client.force_login(committee_staff)
    page = client.get(reverse("programs:coverage", args=[tree.own.pk]) + "?year=2024")
    csv_url = reverse("programs:coverage_export_csv", args=[tree.own.pk]) + "?year=2024"
    assert csv_url in page.content.decode()
    assert csv_rows(client.get(csv_url))[0]
    movement = make_movement(tree.root)
    page = client.get(reverse("movements:movement_detail", args=[movement.pk]))
    assert page.status_code == 200
    link = reverse("movements:movement_export_csv", args=[movement.pk])
    assert link + "?org=" in page.content.decode()
