"""Exports of the ceremonies and of a round's tally: the page's filters, the user's
subtree, bounded queries, and in a secret ballot who voted but never how."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lantoa.awards.models import Ceremony, NominationStatus, VoteChoice
from lantoa.awards.services.votes import cast_vote
from lantoa.orgs.models import Role
from tests.awards.factories import make_nomination, make_round, seat
from tests.exports import csv_rows, xlsx_rows
from tests.factories import PersonFactory, UserFactory, grant

AGREE, DISAGREE = VoteChoice.AGREE, VoteChoice.DISAGREE


def english(client):
    client.cookies["django_language"] = "en"
    return client


# --- ceremonies ------------------------------------------------------------------------------


def ceremony(org, title: str, year: int = 2024) -> Ceremony:
    return Ceremony.objects.create(
        organization=org, title=title, date=datetime.date(year, 5, 19), place="Hội trường"
    )


@pytest.fixture
def ceremonies(tree):
    ceremony(tree.own, "Tuyên dương điển hình Ban Dân vận")
    ceremony(tree.own_cell, "Gặp mặt đảng viên 2023", year=2023)
    ceremony(tree.other, "Tuyên dương Viễn thông")


def test_ceremony_export_has_the_filters(client, ceremonies, committee_staff):
    client.force_login(committee_staff)
    rows = csv_rows(client.get(reverse("awards:ceremony_export_csv") + "?year=2023"))
    assert [row[1] for row in rows[1:]] == ["Gặp mặt đảng viên 2023"]
    assert rows[1][0] == "19/05/2023"
    sheet = xlsx_rows(client.get(reverse("awards:ceremony_export") + "?q=tuyen duong"))
    assert {row[1] for row in sheet[1:]} == {
        "Tuyên dương điển hình Ban Dân vận",
        "Tuyên dương Viễn thông",
    }
    assert sheet[1][0] == datetime.datetime(2024, 5, 19)


def test_ceremony_export_stays_in_the_subtree(client, ceremonies, base_secretary):
    client.force_login(base_secretary)
    rows = csv_rows(client.get(reverse("awards:ceremony_export_csv")))
    assert {row[1] for row in rows[1:]} == {
        "Tuyên dương điển hình Ban Dân vận",
        "Gặp mặt đảng viên 2023",
    }
    page = client.get(reverse("awards:ceremony_list") + "?q=tuyen").content.decode()
    assert reverse("awards:ceremony_export_csv") + "?q=tuyen" in page


def test_ceremony_export_needs_the_export_permission(client, ceremonies, council_member):
    client.force_login(council_member)
    assert client.get(reverse("awards:ceremony_export_csv")).status_code == 404
    page = client.get(reverse("awards:ceremony_list")).content.decode()
    assert reverse("awards:ceremony_export_csv") not in page


# --- a round's tally -------------------------------------------------------------------------


@pytest.fixture
def tally(tree):
    """A round whose vote is open today, a council of 3 and two nominations before it,
    the first voted on by two members (agree, disagree)."""
    today = timezone.localdate()
    round_ = make_round(
        tree.root,
        submissions_close=today - datetime.timedelta(days=2),
        voting_opens=today - datetime.timedelta(days=1),
        voting_closes=today + datetime.timedelta(days=1),
    )
    members = []
    for index in range(3):
        user = UserFactory(username=f"hoidong{index}")
        grant(user, Role.COUNCIL_MEMBER, tree.root)
        seat(round_, user, position=index)
        members.append(user)
    person = PersonFactory(organization=tree.own_cell, family_name="Nguyễn", given_name="Thảo")
    first = make_nomination(round_, tree.own, person=person, status=NominationStatus.VOTING)
    make_nomination(round_, tree.other, status=NominationStatus.VOTING)
    return round_, members, first


def vote_twice(round_, members, first) -> None:
    for user, choice in zip(members[:2], (AGREE, DISAGREE), strict=True):
        cast_vote(first, by=user, choice=choice, today=timezone.localdate())


def test_tally_export_of_an_open_vote_says_who_voted_how(client, tally, committee_staff):
    round_, members, first = tally
    vote_twice(round_, members, first)
    client.force_login(committee_staff)
    english(client)
    rows = csv_rows(client.get(reverse("awards:round_tally_export_csv", args=[round_.pk])))
    header, nguyen = rows[0], rows[1]
    assert header[0] == "Nominee" and len(rows) == 3
    column = dict(zip(header, nguyen, strict=True))
    assert (column["Agree"], column["Disagree"], column["Votes cast"]) == ("1", "1", "2")
    assert column["Voted"] == "hoidong0: Agree; hoidong1: Disagree"
    assert column["Not voted yet"] == "hoidong2"
    page = client.get(reverse("awards:round_tally", args=[round_.pk])).content.decode()
    assert reverse("awards:round_tally_export_csv", args=[round_.pk]) in page


def test_tally_export_of_a_secret_ballot_never_says_how(client, tally, committee_staff):
    round_, members, first = tally
    round_.secret_ballot = True
    round_.save()
    vote_twice(round_, members, first)
    client.force_login(committee_staff)
    english(client)
    for fmt in ("csv", "xlsx"):
        name = "awards:round_tally_export_csv" if fmt == "csv" else "awards:round_tally_export"
        response = client.get(reverse(name, args=[round_.pk]))
        rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
        column = dict(zip(rows[0], rows[1], strict=True))
        assert (str(column["Agree"]), str(column["Disagree"])) == ("1", "1")  # the count
        assert column["Voted"] == "hoidong0; hoidong1"  # who voted, not how
        cells = " ".join(str(value) for row in rows for value in row if value is not None)
        assert "hoidong0:" not in cells and "hoidong1:" not in cells


def test_tally_export_has_the_search_and_is_for_the_staff(
    client, tally, committee_staff, base_secretary, council_member
):
    round_, _members, first = tally
    url = reverse("awards:round_tally_export_csv", args=[round_.pk])
    client.force_login(committee_staff)
    rows = csv_rows(client.get(url + "?q=nguyen thao"))
    assert [row[0] for row in rows[1:]] == [first.person.full_name]
    for user in (base_secretary, council_member):  # not the round's staff
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_tally_and_ceremony_exports_queries_are_bounded(
    client, tree, tally, ceremonies, committee_staff, django_assert_max_num_queries
):
    round_, members, first = tally
    vote_twice(round_, members, first)
    for n in range(20):
        make_nomination(round_, tree.own_cell, status=NominationStatus.VOTING)
        ceremony(tree.own_cell, f"Lễ {n}")
    client.force_login(committee_staff)
    with django_assert_max_num_queries(14):
        rows = csv_rows(client.get(reverse("awards:round_tally_export_csv", args=[round_.pk])))
    assert len(rows) == 23
    with django_assert_max_num_queries(8):
        rows = csv_rows(client.get(reverse("awards:ceremony_export_csv")))
    assert len(rows) == 24
