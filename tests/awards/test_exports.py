"""Exports of the awards' lists: rounds (and nominations as CSV) with the page's filters
and a bounded number of queries."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.awards.factories import make_round
from tests.exports import csv_rows


def test_round_export_filters_and_counts_queries(
    client, tree, committee_staff, django_assert_max_num_queries
):
    make_round(tree.root, title="Khen thưởng năm 2020")
    make_round(tree.root, title="Biểu dương điển hình", year=2021)
    client.force_login(committee_staff)
    rows = csv_rows(client.get(reverse("awards:round_export_csv") + "?year=2021"))
    assert [row[0] for row in rows[1:]] == ["Biểu dương điển hình"]
    response = client.get(reverse("awards:round_export") + "?q=khen thuong")
    sheet = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert [row[0] for row in sheet[1:]] == ["Khen thưởng năm 2020"]
    for n in range(15):
        make_round(tree.root, title=f"Đợt {n}")
    with django_assert_max_num_queries(8):
        b"".join(client.get(reverse("awards:round_export_csv")).streaming_content)


def test_decision_and_nomination_exports_answer_csv(client, tree, committee_staff):
    client.force_login(committee_staff)
    assert csv_rows(client.get(reverse("awards:decision_export_csv")))[1:] == []
    assert csv_rows(client.get(reverse("awards:nomination_export_csv")))[1:] == []


def test_exports_need_the_export_permission(client, tree, council_member):
    client.force_login(council_member)
    assert client.get(reverse("awards:round_export_csv")).status_code == 404
    assert client.get(reverse("awards:decision_export_csv")).status_code == 404
