"""Exports of the movements' lists: activities and movements with the page's filters, the
user's subtree, and a query count that does not grow with the rows."""

import pytest
from django.urls import reverse

from tests.exports import csv_rows, xlsx_rows
from tests.movements.factories import make_activity, make_movement


@pytest.fixture
def ledger(tree):
    make_activity(tree.own_cell, title="Hiến máu nhân đạo")
    make_activity(tree.own_cell, title="Thăm gia đình chính sách")
    make_activity(tree.other_cell, title="Hiến máu Viễn thông")
    make_movement(tree.root, title="Phong trào Dân vận khéo")
    make_movement(tree.root, title="Phong trào Vì người nghèo")


def titles(rows, column: str) -> set:
    index = list(rows[0]).index(column)
    return {row[index] for row in rows[1:]}


def test_activity_export_has_the_search_and_the_subtree(client, ledger, base_secretary, tree):
    client.force_login(base_secretary)
    rows = csv_rows(client.get(reverse("movements:activity_export_csv") + "?q=hien mau"))
    assert titles(rows, rows[0][4]) == {"Hiến máu nhân đạo"}  # not the other subtree's
    assert "BDV-CB1" in rows[1]
    sheet = xlsx_rows(client.get(reverse("movements:activity_export")))
    assert titles(sheet, sheet[0][4]) == {"Hiến máu nhân đạo", "Thăm gia đình chính sách"}


def test_movement_list_export_filters(client, ledger, committee_staff):
    client.force_login(committee_staff)
    rows = csv_rows(client.get(reverse("movements:movement_list_export_csv") + "?q=dan van"))
    assert titles(rows, rows[0][0]) == {"Phong trào Dân vận khéo"}
    sheet = xlsx_rows(client.get(reverse("movements:movement_list_export")))
    assert titles(sheet, sheet[0][0]) == {"Phong trào Dân vận khéo", "Phong trào Vì người nghèo"}


def test_list_pages_link_both_formats(client, ledger, committee_staff):
    client.force_login(committee_staff)
    page = client.get(reverse("movements:movement_list") + "?q=x&page=2").content.decode()
    assert reverse("movements:movement_list_export_csv") + "?q=x" in page
    assert reverse("movements:movement_list_export") + "?q=x" in page


def test_export_queries_do_not_grow_with_rows(
    client, tree, ledger, committee_staff, django_assert_max_num_queries
):
    client.force_login(committee_staff)
    for n in range(20):
        make_activity(tree.other_cell, title=f"Hoạt động {n}")
        make_movement(tree.root, title=f"Phong trào {n}")
    for name in (
        "movements:activity_export_csv",
        "movements:activity_export",
        "movements:movement_list_export_csv",
    ):
        with django_assert_max_num_queries(10):
            b"".join(client.get(reverse(name)).streaming_content)


def test_exports_need_the_export_permission(client, ledger, council_member):
    client.force_login(council_member)
    assert client.get(reverse("movements:movement_list_export_csv")).status_code == 404
    assert client.get(reverse("movements:activity_export_csv")).status_code == 404
