# ruff: noqa: F811 - the fixtures imported from test_stats_command are used as arguments
"""One source for every figure: on the Cà Mau demo, the dashboard page, the `stats`
command, the public honor roll and home page, and the committee's page of commendation
state the same numbers for the same organization and period — each read from what it
answers (HTML or JSON), not from the code behind it."""

import datetime
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lantoa.orgs.models import Organization
from lantoa.reports.periods import term_period
from tests.reports.test_stats_command import (  # noqa: F401 - fixtures
    committee,
    demo,
    demo_loaded,
    term_ix,
)

D = datetime.date
STAGES = ("nominated", "selected", "commended", "honored")


def number(text: str) -> int:
    return int(text.replace(".", "").replace(",", ""))


def dashboard_figures(client, **params) -> dict[str, int]:
    response = client.get(reverse("reports:dashboard"), params)
    assert response.status_code == 200
    found = re.findall(r'data-figure="([a-z_]+)">([\d.]+)<', response.content.decode())
    return {name: number(value) for name, value in found}


def stats(org: str | None, start: D, end: D) -> dict:
    args = ["--org", org] if org else []
    out = StringIO()
    call_command(
        "stats",
        *args,
        "--from",
        f"{start:%d/%m/%Y}",
        "--to",
        f"{end:%d/%m/%Y}",
        "--json",
        stdout=out,
    )
    return json.loads(out.getvalue())


def honor_roll_counts(client, **params) -> tuple[int, int]:
    """(collectives, individuals) as the honor roll's counts say."""
    response = client.get(reverse("public:honor_roll"), params)
    assert response.status_code == 200
    html = response.content.decode()
    collectives = re.search(r'data-count="collectives">([\d.]+)<', html).group(1)
    people = re.search(r'data-count="people">([\d.]+)<', html).group(1)
    return number(collectives), number(people)


def committee_years(client, org: Organization) -> dict[int, dict[str, tuple[int, int]]]:
    """The committee page's figures per year: stage → (collectives, individuals)."""
    response = client.get(reverse("awards:committee", args=[org.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    years = {}
    for year, row in re.findall(r'<tr id="year-(\d+)">(.*?)</tr>', html, re.S):
        cells = [number(value) for value in re.findall(r'<td class="num">([\d.]+)</td>', row)]
        years[int(year)] = {
            stage: (cells[2 * i], cells[2 * i + 1]) for i, stage in enumerate(STAGES)
        }
    return years


@pytest.fixture
def staff(client, demo):
    """The committee's staff account of the demo."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="canbo.dcd"))
    return client


@pytest.fixture
def public(demo):
    """A reader of the public site (not logged in)."""
    return Client()


def api_statistics(**params) -> dict:
    """The API's statistics, asked with a token of the committee's staff account."""
    from django.contrib.auth import get_user_model

    from lantoa.api.services import create_token

    _token, secret = create_token(get_user_model().objects.get(username="canbo.dcd"), "test")
    response = Client().get(
        "/api/v1/statistics", params, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 200, response.content
    return response.json()


def _pairs(figures: dict, prefix: str = "") -> dict[str, tuple[int, int]]:
    return {
        stage: (figures[f"{prefix}{stage}_collectives"], figures[f"{prefix}{stage}_people"])
        for stage in STAGES
    }


def test_the_term_figures_are_the_same_everywhere(staff, public, committee, term_ix):
    period = term_period(term_ix)
    page = dashboard_figures(staff, org=committee.pk, term=term_ix.pk)
    data = stats("DCD", period.start, period.end)
    commendation = data["commendation"]

    assert _pairs(page) == _pairs(commendation)
    assert _pairs(page)["commended"] == (73, 167)  # case-camau.md
    assert page["ceremonies"] == commendation["ceremonies"] == 3
    assert page["pilots"] == data["pilots"]["pilots"] == 5
    assert page["members"] == data["registration"]["members"]
    assert page["sessions"] == data["study"]["sessions"]
    assert page["present"] == data["study"]["present"]

    assert honor_roll_counts(public, org="DCD", term=term_ix.pk) == (73, 167)

    years = committee_years(staff, committee)
    assert set(years) == {2018, 2019, 2020}  # the rounds' votes and decisions: Jan 2018–2020
    for stage in STAGES:
        collectives = sum(row[stage][0] for row in years.values())
        people = sum(row[stage][1] for row in years.values())
        assert (collectives, people) == _pairs(page)[stage], stage


def test_the_figures_of_a_year_are_the_same_everywhere(staff, public, committee):
    year = D(2020, 1, 1), D(2020, 12, 31)
    page = dashboard_figures(staff, org=committee.code, year="2020")
    data = stats("DCD", *year)
    assert _pairs(page) == _pairs(data["commendation"])
    assert _pairs(page)["selected"] == (47, 75)  # case-camau.md
    assert committee_years(staff, committee)[2020] == _pairs(page)
    assert honor_roll_counts(public, org="DCD", year="2020") == _pairs(page)["commended"]
    for code in ("VNPT", "CDYT"):  # a base organization: its own subtree
        unit = Organization.objects.get(code=code)
        unit_page = dashboard_figures(staff, org=unit.pk, year="2020")
        assert _pairs(unit_page) == _pairs(stats(code, *year)["commendation"])
        assert honor_roll_counts(public, org=code, year="2020") == _pairs(unit_page)["commended"]


def test_the_public_home_page_states_the_whole_trees_figures(public, term_ix):
    period = term_period(term_ix)
    html = public.get(reverse("public:home")).content.decode()
    assert term_ix.name in html  # the term the home page counts

    def shown(figure: str) -> int:
        found = re.search(rf'id="figure-{figure}"><strong>([\d.]+)<', html)
        return number(found.group(1))

    data = stats(None, period.start, period.end)
    commendation = data["commendation"]
    assert shown("collectives") == commendation["commended_collectives"] == 73
    assert shown("people") == commendation["commended_people"] == 167
    assert shown("ceremonies") == commendation["ceremonies"] == 3
    quantities = {row["code"]: row["quantity"] for row in data["activities"]}
    for code, value in re.findall(r'<li data-type="([a-z-]+)"><strong>([\d.]+)<', html):
        assert number(value) == quantities[code], code


def test_the_api_states_the_dashboards_figures(staff, committee, term_ix):
    period = term_period(term_ix)
    page = dashboard_figures(staff, org=committee.pk, term=term_ix.pk)
    data = api_statistics(org="DCD", term=term_ix.pk)
    assert data["period"]["start"] == period.start.isoformat()
    assert data["period"]["end"] == period.end.isoformat()
    assert _pairs(page) == _pairs(data["commendation"])
    assert _pairs(data["commendation"])["commended"] == (73, 167)  # case-camau.md
    assert page["ceremonies"] == data["commendation"]["ceremonies"] == 3
    assert page["pilots"] == data["pilots"]["pilots"] == 5
    assert page["members"] == data["registration"]["members"]
    assert page["sessions"] == data["study"]["sessions"]
    assert page["present"] == data["study"]["present"]
    # the same numbers as the `stats` command, figure for figure (its dates are dd/mm/yyyy)
    command = stats("DCD", period.start, period.end)
    for section in ("commendation", "registration", "study", "pilots", "activities", "years"):
        assert data[section] == command[section], section
    year = api_statistics(org="DCD", year=2020)
    assert _pairs(year["commendation"]) == _pairs(dashboard_figures(staff, org="DCD", year="2020"))
