"""The honor roll: awards of issued decisions that were not revoked, by year, filtered by
year, term, organization and name, with counts and pages."""

import datetime
import re

import pytest
from django.urls import reverse

from lantoa.awards.models import DecisionStatus
from lantoa.programs.models import Term
from tests.awards.test_certificates import make_award, make_decision
from tests.factories import PersonFactory, make_org
from tests.public.test_site_pages import (
    count_queries,
    page,
    public_settings,  # noqa: F401 - autouse
    revoke,
)

URL = reverse("public:honor_roll")


def counts(html: str) -> tuple[int, int]:
    """(collectives, individuals) as the counts at the top say."""
    collectives = re.search(r'data-count="collectives">([\d.]+)<', html).group(1)
    people = re.search(r'data-count="people">([\d.]+)<', html).group(1)
    return int(collectives.replace(".", "")), int(people.replace(".", ""))


def rows(html: str) -> list[str]:
    return re.findall(r'<tr id="award-(\d+)"', html)


def person(org, given: str, family: str = "Trần", middle: str = "Văn"):
    return PersonFactory(family_name=family, middle_name=middle, given_name=given, organization=org)


@pytest.fixture
def roll(tree):
    """Decisions of 2018 (by the committee) and 2020 (by the own base committee), a draft,
    and a revoked award."""
    d2018 = make_decision(tree.root, symbol="5-QĐ/ĐU", date=datetime.date(2018, 1, 22))
    d2020 = make_decision(tree.own, symbol="15-QĐ/ĐU", date=datetime.date(2020, 6, 3))
    draft = make_decision(tree.root, status=DecisionStatus.DRAFT, symbol="", date=None)
    awards = {
        "own_collective_2018": make_award(d2018, collective=tree.own),
        "other_person_2018": make_award(d2018, person=person(tree.other_cell, "Bảy")),
        "own_person_2020": make_award(d2020, person=person(tree.own_cell, "Hùng", "Lê")),
        "other_collective_2020": make_award(d2020, collective=tree.other),
        "draft": make_award(draft, person=person(tree.own_cell, "Nháp")),
        "revoked": make_award(d2018, person=person(tree.own_cell, "Thu Hồi")),
    }
    revoke(awards["revoked"])
    return awards


def test_only_issued_awards_not_revoked_are_shown(client, roll):
    html = page(client, URL)
    shown = set(rows(html))
    assert shown == {
        str(roll[name].pk)
        for name in (
            "own_collective_2018",
            "other_person_2018",
            "own_person_2020",
            "other_collective_2020",
        )
    }
    assert "Nháp" not in html and "Thu Hồi" not in html
    assert counts(html) == (2, 2)
    # by year, latest first, with the form, the decision and the person's organization
    assert html.index('id="year-2020"') < html.index('id="year-2018"')
    row = html[html.index(f'id="award-{roll["own_person_2020"].pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Lê Văn Hùng" in row and "Chi bộ 1" in row and "Giấy khen" in row
    assert "15-QĐ/ĐU" in row and "03/06/2020" in row
    assert reverse("public:organization", args=["BDV-CB1"]) in row


def test_filter_by_year(client, roll):
    html = page(client, URL + "?year=2018")
    assert set(rows(html)) == {
        str(roll["own_collective_2018"].pk),
        str(roll["other_person_2018"].pk),
    }
    assert counts(html) == (1, 1)
    assert counts(page(client, URL + "?year=abc")) == (2, 2)  # ignored, not an error


def test_filter_by_term(client, roll):
    ix = Term.objects.create(
        name="Nhiệm kỳ 2015–2020",
        code="IX",
        start_date=datetime.date(2015, 7, 1),
        end_date=datetime.date(2020, 7, 15),
    )
    x = Term.objects.create(
        name="Nhiệm kỳ 2020–2025", code="X", start_date=datetime.date(2020, 7, 16)
    )
    make_award(
        make_decision(
            roll["own_collective_2018"].decision.organization,
            symbol="2-QĐ/ĐU",
            date=datetime.date(2021, 3, 1),
        ),
        collective=roll["own_collective_2018"].collective,
    )
    assert counts(page(client, URL + f"?term={ix.pk}")) == (2, 2)
    assert counts(page(client, URL + f"?term={x.pk}")) == (1, 0)
    html = page(client, URL)
    assert "Nhiệm kỳ 2015–2020" in html and "Nhiệm kỳ 2020–2025" in html  # the choices


def test_filter_by_organization(client, tree, roll):
    # the own subtree: its collective, its cell's person, and what its committee decided
    html = page(client, URL + "?org=BDV")
    assert set(rows(html)) == {
        str(roll["own_collective_2018"].pk),
        str(roll["own_person_2020"].pk),
        str(roll["other_collective_2020"].pk),  # decided by BDV itself
    }
    assert counts(html) == (2, 1)
    html = page(client, URL + "?org=VNPT-CB2")
    assert set(rows(html)) == {str(roll["other_person_2018"].pk)}
    assert counts(page(client, URL + "?org=dcd")) == (2, 2)  # the whole tree
    assert counts(page(client, URL + "?org=KHONGCO")) == (2, 2)  # unknown: no filter


def test_filter_by_name_without_diacritics(client, roll):
    html = page(client, URL + "?q=le+van+hung")
    assert set(rows(html)) == {str(roll["own_person_2020"].pk)}
    html = page(client, URL + "?q=vien+thong")
    assert set(rows(html)) == {str(roll["other_collective_2020"].pk)}


def test_pages(client, tree):
    decision = make_decision(tree.root, date=datetime.date(2019, 5, 15))
    for n in range(53):
        make_award(decision, collective=make_org(tree.own, code=f"P{n}", name=f"Chi bộ {n}"))
    first = page(client, URL)
    assert len(rows(first)) == 50 and counts(first) == (53, 0)
    assert 'rel="next"' in first
    second = page(client, URL + "?page=2")
    assert len(rows(second)) == 3
    assert set(rows(first)).isdisjoint(rows(second))
    kept = page(client, URL + "?year=2019&page=2")
    assert 'href="?year=2019&amp;page=1"' in kept


def test_the_honor_roll_runs_the_same_queries_for_1_and_40_awards(client, tree):
    Term.objects.create(name="Nhiệm kỳ 2015–2020", code="IX", start_date=datetime.date(2015, 7, 1))

    def add(n: int) -> None:
        for i in range(n):
            decision = make_decision(tree.root, date=datetime.date(2016 + i % 4, 5, 15))
            org = make_org(tree.own, code=f"Q{decision.pk}", name=f"Chi bộ {decision.pk}")
            make_award(decision, collective=org)
            make_award(decision, person=person(org, f"Số {decision.pk}"))

    add(1)
    url = URL + "?org=BDV"
    few = count_queries(client, url)
    add(20)
    assert count_queries(client, url) == few
    assert count_queries(client, URL) <= few
    assert few <= 10
