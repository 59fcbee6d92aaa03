"""The people and organization lists' exports: the page's filters, the user's subtree, the
import's columns, and a query count that does not grow with the rows."""

import pytest
from django.urls import reverse

from tests.exports import csv_rows, xlsx_rows
from tests.factories import PersonFactory


@pytest.fixture
def people(tree):
    PersonFactory(
        code="DV1",
        family_name="Nguyễn",
        middle_name="Văn",
        given_name="Đức",
        organization=tree.own_cell,
        position="Bí thư",
    )
    PersonFactory(code="DV2", family_name="Trần", given_name="Ánh", organization=tree.own_cell)
    PersonFactory(code="DV3", family_name="Lê", given_name="Bình", organization=tree.other_cell)


def test_people_export_has_the_import_columns_and_the_search(client, people, committee_staff):
    client.force_login(committee_staff)
    rows = csv_rows(client.get(reverse("orgs:person_export_csv") + "?q=duc"))
    assert len(rows) == 2
    assert "DV1" in rows[1] and "Nguyễn" in rows[1] and "BDV-CB1" in rows[1]
    assert "Bí thư" in rows[1]
    sheet = xlsx_rows(client.get(reverse("orgs:person_export") + "?q=duc"))
    assert [row[:3] for row in sheet[1:]] == [("Nguyễn", "Văn", "Đức")]


def test_people_export_headers_are_the_import_headers(client, people, committee_staff):
    from lantoa.imports.kinds.people import COLUMNS

    client.force_login(committee_staff)
    header = csv_rows(client.get(reverse("orgs:person_export_csv")))[0]
    private = {"start_date", "citizen_id", "phone", "email"}
    expected = {str(c.header) for c in COLUMNS if c.key not in private}
    assert expected <= set(header)
    assert not {str(c.header) for c in COLUMNS if c.key in {"citizen_id", "phone", "email"}} & set(
        header
    )


def test_people_export_stays_in_the_subtree(client, people, base_secretary):
    client.force_login(base_secretary)
    for name in ("orgs:person_export_csv", "orgs:person_export"):
        response = client.get(reverse(name))
        rows = csv_rows(response) if name.endswith("_csv") else xlsx_rows(response)
        codes = {row[3] for row in rows[1:]}
        assert codes == {"DV1", "DV2"}


def test_people_export_queries_do_not_grow_with_rows(
    client, tree, people, committee_staff, django_assert_max_num_queries
):
    client.force_login(committee_staff)
    for _n in range(30):
        PersonFactory(organization=tree.other_cell)
    for name in ("orgs:person_export_csv", "orgs:person_export"):
        with django_assert_max_num_queries(8):
            response = client.get(reverse(name))
            b"".join(response.streaming_content)


def test_organizations_export_filters_and_subtree(client, tree, base_secretary, committee_staff):
    client.force_login(committee_staff)
    rows = csv_rows(client.get(reverse("orgs:export_csv") + "?q=chi bo"))
    assert {row[0] for row in rows[1:]} == {"BDV-CB1", "VNPT-CB2"}
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["BDV-CB1"][4] == "BDV"  # parent code, as the import reads it
    client.force_login(base_secretary)
    rows = xlsx_rows(client.get(reverse("orgs:export")))
    assert {row[0] for row in rows[1:]} == {"BDV", "BDV-CB1"}


def test_organizations_export_queries_are_bounded(
    client, tree, committee_staff, django_assert_max_num_queries
):
    client.force_login(committee_staff)
    with django_assert_max_num_queries(8):
        b"".join(client.get(reverse("orgs:export_csv")).streaming_content)


def test_audit_export_as_csv(client, people, committee_staff):
    client.force_login(committee_staff)
    client.get(reverse("orgs:person_list"))
    rows = csv_rows(client.get(reverse("orgs:audit_export_csv") + "?obj=nobody-at-all"))
    assert len(rows[0]) == 7
    assert rows[1:] == []


def test_exports_need_the_export_permission(client, people, council_member):
    client.force_login(council_member)
    assert client.get(reverse("orgs:person_export_csv")).status_code == 404
    assert client.get(reverse("orgs:export_csv")).status_code == 404


def test_organizations_export_headers_are_the_import_headers(client, tree, committee_staff):
    from lantoa.imports.kinds.organizations import COLUMNS

    client.force_login(committee_staff)
    header = csv_rows(client.get(reverse("orgs:export_csv")))[0]
    assert {str(c.header) for c in COLUMNS} <= set(header)
