"""Exports of the programs' lists: plans, study sessions, rating lists and documents, with
the page's filters, the user's subtree, and a bounded number of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from lantoa.programs.models import Plan, RatingList, StudySession
from tests.exports import csv_rows, xlsx_rows


@pytest.fixture
def records(tree):
    today = timezone.localdate()
    Plan.objects.create(issuer=tree.own, symbol="1-KH/ĐU", title="Kế hoạch học tập")
    Plan.objects.create(issuer=tree.other, symbol="2-KH/ĐU", title="Kế hoạch dân vận")
    for org, title in ((tree.own_cell, "Chuyên đề Bác Hồ"), (tree.other_cell, "Chuyên đề khác")):
        StudySession.objects.create(organization=org, date=today, title=title)
    RatingList.objects.create(organization=tree.own_cell, year=2024, rated_on=today)
    RatingList.objects.create(organization=tree.other_cell, year=2023, rated_on=today)


def test_plan_export_has_the_search(client, records, committee_staff):
    client.force_login(committee_staff)
    rows = csv_rows(client.get(reverse("programs:plan_export_csv") + "?q=hoc tap"))
    assert [row[1] for row in rows[1:]] == ["Kế hoạch học tập"]
    sheet = xlsx_rows(client.get(reverse("programs:plan_export")))
    assert {row[1] for row in sheet[1:]} == {"Kế hoạch học tập", "Kế hoạch dân vận"}


def test_session_export_stays_in_the_subtree(client, records, base_secretary, committee_staff):
    client.force_login(base_secretary)
    rows = csv_rows(client.get(reverse("programs:session_export_csv")))
    assert [row[3] for row in rows[1:]] == ["Chuyên đề Bác Hồ"]
    client.force_login(committee_staff)
    sheet = xlsx_rows(client.get(reverse("programs:session_export") + "?q=khac"))
    assert [row[3] for row in sheet[1:]] == ["Chuyên đề khác"]


def test_rating_lists_export_filters_by_year(client, records, committee_staff, base_secretary):
    client.force_login(committee_staff)
    rows = csv_rows(client.get(reverse("programs:rating_lists_export_csv") + "?year=2023"))
    assert [row[0] for row in rows[1:]] == ["VNPT-CB2"]
    client.force_login(base_secretary)
    sheet = xlsx_rows(client.get(reverse("programs:rating_lists_export")))
    assert [row[0] for row in sheet[1:]] == ["BDV-CB1"]


def test_document_export_as_csv(client, records, committee_staff):
    client.force_login(committee_staff)
    rows = csv_rows(client.get(reverse("programs:document_export_csv")))
    assert len(rows[0]) == 10


def test_exports_queries_are_bounded(
    client, tree, records, committee_staff, django_assert_max_num_queries
):
    client.force_login(committee_staff)
    for n in range(20):
        Plan.objects.create(issuer=tree.root, title=f"Kế hoạch {n}")
        StudySession.objects.create(
            organization=tree.own_cell, date=timezone.localdate(), title=f"Buổi {n}"
        )
    for name in (
        "programs:plan_export_csv",
        "programs:session_export_csv",
        "programs:rating_lists_export",
    ):
        with django_assert_max_num_queries(10):
            b"".join(client.get(reverse(name)).streaming_content)


def test_exports_need_the_export_permission(client, records, council_member):
    client.force_login(council_member)
    assert client.get(reverse("programs:plan_export_csv")).status_code == 404
    assert client.get(reverse("programs:session_export_csv")).status_code == 404
