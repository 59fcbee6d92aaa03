"""Every list of the API: what a committee's staff and a base organization's secretary
each get (the same as their pages), pages of `count`/`items`, queries that do not grow
with the page, details outside the grants answering 404, no private data anywhere."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantoa.reports.figures import Period, as_dict, compute
from tests.api.conftest import bearer, populate

V1 = "/api/v1"
PERSON_KEYS = {
    "id",
    "code",
    "family_name",
    "middle_name",
    "given_name",
    "full_name",
    "gender",
    "birth_date",
    "party_joined_on",
    "party_official_on",
    "position",
    "organization_code",
    "archived",
}
LISTS = [
    "organizations",
    "people",
    "documents",
    "registrations/unit-models",
    "registrations/commitments",
    "activities",
    "nominations",
    "votes",
    "decisions",
]


def get(client, path: str, headers: dict, **params):
    response = client.get(f"{V1}/{path}", params, headers=headers)
    return response


def items(client, path: str, headers: dict, **params) -> list[dict]:
    response = get(client, path, headers, **params)
    assert response.status_code == 200, response.content
    data = response.json()
    assert set(data) == {"count", "items"}
    assert data["count"] == len(data["items"]) or "limit" in params
    return data["items"]


def test_organizations_in_reach(client, tree, world, staff_headers, secretary_headers):
    codes = [o["code"] for o in items(client, "organizations", staff_headers)]
    assert codes == ["DCD", "BDV", "BDV-CB1", "VNPT", "VNPT-CB2"]  # tree order
    mine = items(client, "organizations", secretary_headers)
    assert [o["code"] for o in mine] == ["BDV", "BDV-CB1"]
    assert mine[0]["parent_code"] == "DCD" and mine[0]["member_count"] == 1
    assert [o["code"] for o in items(client, "organizations", staff_headers, q="vien thong")] == [
        "VNPT"
    ]
    assert [o["code"] for o in items(client, "organizations", staff_headers, org="vnpt")] == [
        "VNPT",
        "VNPT-CB2",
    ]
    assert get(client, "organizations/BDV-CB1", secretary_headers).json()["name"] == "Chi bộ 1"
    assert get(client, "organizations/VNPT", secretary_headers).status_code == 404
    assert get(client, "organizations", secretary_headers, org="VNPT").status_code == 404
    assert get(client, "organizations/NOPE", staff_headers).status_code == 404


def test_people_in_reach_without_private_data(
    client, tree, world, staff_headers, secretary_headers
):
    everyone = items(client, "people", staff_headers)
    assert {p["code"] for p in everyone} == {"OWN-0", "OTHER-0"}
    mine = items(client, "people", secretary_headers)
    assert [p["code"] for p in mine] == ["OWN-0"]
    for person in [*everyone, get(client, "people/OWN-0", secretary_headers).json()]:
        assert set(person) == PERSON_KEYS
        assert "0912345678" not in str(person) and "012345678901" not in str(person)
    assert mine[0]["birth_date"] == "1980-01-02"  # ISO dates
    assert get(client, "people/OTHER-0", secretary_headers).status_code == 404
    assert get(client, "people/NOBODY", staff_headers).status_code == 404
    name = world.own_person.full_name
    assert [p["code"] for p in items(client, "people", staff_headers, q=name)] == ["OWN-0"]


@pytest.mark.parametrize(
    ("path", "own", "other"),
    [
        ("registrations/unit-models", "Mô hình dân vận khéo own 0", "Mô hình dân vận khéo other 0"),
        ("activities", "Hiến máu own 0", "Hiến máu other 0"),
        ("decisions", "Khen thưởng own 0", "Khen thưởng other 0"),
    ],
)
def test_lists_of_the_subtree(
    client, tree, world, staff_headers, secretary_headers, path, own, other
):
    field = "subject" if path == "decisions" else "title"
    assert {i[field] for i in items(client, path, staff_headers)} == {own, other}
    assert [i[field] for i in items(client, path, secretary_headers)] == [own]
    assert [i[field] for i in items(client, path, staff_headers, org="BDV")] == [own]
    assert get(client, path, secretary_headers, org="VNPT").status_code == 404


def test_documents_reach_down_the_tree(client, tree, world, staff_headers, secretary_headers):
    titles = {d["title"] for d in items(client, "documents", secretary_headers)}
    # the higher document, and its own; not the other base organization's
    assert titles == {"Kế hoạch của Tỉnh ủy về học tập và làm theo", "Kế hoạch own 0"}
    assert len(items(client, "documents", staff_headers)) == 3
    found = items(client, "documents", staff_headers, q="ke hoach own")
    assert [d["title"] for d in found] == ["Kế hoạch own 0"]


def test_commitments_of_the_subtree(client, tree, world, staff_headers, secretary_headers):
    mine = items(client, "registrations/commitments", secretary_headers)
    assert [(c["person_code"], c["items"]) for c in mine] == [("OWN-0", ["Học tập Bác"])]
    assert len(items(client, "registrations/commitments", staff_headers, year=2019)) == 2
    assert items(client, "registrations/commitments", staff_headers, year=2020) == []


def test_nominations_made_in_reach(client, tree, world, staff_headers, secretary_headers):
    assert len(items(client, "nominations", staff_headers)) == 4
    mine = items(client, "nominations", secretary_headers)
    assert {n["nominating_organization_code"] for n in mine} == {"BDV"}
    people = items(client, "nominations", staff_headers, kind="person")
    assert {n["person_code"] for n in people} == {"OWN-0", "OTHER-0"}


def test_votes_follow_the_tally_page(
    client, tree, world, staff_headers, secretary_headers, reviewer
):
    tallies = items(client, "votes", staff_headers)
    assert len(tallies) == 4
    open_vote = [t for t in tallies if not t["secret_ballot"]]
    secret_vote = [t for t in tallies if t["secret_ballot"]]
    for tally in open_vote:
        assert (tally["members"], tally["cast"], tally["agree"]) == (1, 1, 1)
        assert tally["voters"] == [{"name": "council_member", "choice": "agree"}]
        assert tally["selected"] is True
    for tally in secret_vote:
        assert (tally["cast"], tally["disagree"]) == (1, 1)
        assert tally["voters"] == [{"name": "council_member", "choice": None}]  # never how
    # the tally page is for reviewers of the round's organization (the root)
    assert get(client, "votes", secretary_headers).json() == {"count": 0, "items": []}
    assert items(client, "votes", bearer(reviewer)) == []
    round_id = tallies[0]["round_id"]
    assert get(client, "votes", secretary_headers, round=round_id).status_code == 404


def test_statistics_are_the_dashboards(client, tree, world, staff_headers, secretary_headers):
    data = get(client, "statistics", staff_headers, org="DCD", year=2020).json()
    expected = as_dict(
        compute(tree.root, Period(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31)))
    )
    assert data["commendation"] == expected["commendation"]
    assert data["registration"] == expected["registration"]
    assert data["period"] == {
        "start": "2020-01-01",
        "end": "2020-12-31",
        "label": data["period"]["label"],
    }
    ranged = get(
        client, "statistics", staff_headers, org="DCD", **{"from": "01/01/2020", "to": "31/12/2020"}
    )
    assert ranged.json()["commendation"] == data["commendation"]
    bad = get(
        client, "statistics", staff_headers, org="DCD", **{"from": "31/12/2020", "to": "01/01/2020"}
    )
    assert bad.status_code == 400 and bad.json()["detail"]
    assert get(client, "statistics", staff_headers, year="abc").status_code == 422
    assert get(client, "statistics", secretary_headers, org="VNPT").status_code == 404
    # without `org`: the top of the account's reach
    assert (
        get(client, "statistics", secretary_headers, year=2020).json()["organization_code"] == "BDV"
    )


@pytest.mark.parametrize("path", LISTS)
def test_pages_and_limits(client, tree, world, staff_headers, path):
    everything = items(client, path, staff_headers)
    first = get(client, path, staff_headers, limit=1).json()
    assert first["count"] == len(everything) and first["items"] == everything[:1]
    rest = get(client, path, staff_headers, limit=500, offset=1).json()["items"]
    assert rest == everything[1:]
    assert get(client, path, staff_headers, limit=501).status_code == 422
    assert get(client, path, staff_headers, offset=-1).status_code == 422
    assert get(client, path, staff_headers, offset=10**9).json()["items"] == []


@pytest.mark.parametrize("path", LISTS)
def test_queries_do_not_grow_with_the_page(client, tree, council_member, committee_staff, path):
    populate(tree, council_member, count=6)
    headers = bearer(committee_staff)
    get(client, path, headers, limit=1)  # the token's first use is written once

    def queries(limit: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = get(client, path, headers, limit=limit)
        assert response.status_code == 200
        assert len(response.json()["items"]) == min(limit, response.json()["count"])
        return len(captured)

    small, large = queries(2), queries(500)
    assert small == large
    assert large <= 12


def test_lists_need_no_grant_to_answer_nothing(client, world, outsider):
    headers = bearer(outsider)
    for path in LISTS:
        assert get(client, path, headers).json() == {"count": 0, "items": []}, path
