# ruff: noqa: F811 - the fixtures imported from test_figures are used as arguments
"""The results dashboard (reports:dashboard): figures of a subtree and a period, chosen by
organization, year, term or dates; charts drawn without style or script; each chart's
numbers as XLSX (reports:dashboard_export); only within the user's grants."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lantoa.orgs.models import Role
from lantoa.programs.models import Term
from lantoa.reports.views.charts import chart_names
from tests.awards.factories import make_nomination, make_round
from tests.factories import UserFactory, grant, make_org
from tests.reports.test_figures import (  # noqa: F401 - fixtures
    award,
    ceremony,
    decision,
    movement_catalog,
    world,
)

D = datetime.date
URL = reverse("reports:dashboard")
EXPORT = reverse("reports:dashboard_export")


def figures_on(html: str) -> dict[str, int]:
    """The figures the page shows, by their data-figure name."""
    found = re.findall(r'data-figure="([a-z_]+)">([\d.]+)<', html)
    return {name: int(value.replace(".", "")) for name, value in found}


@pytest.fixture
def staff_client(client, committee_staff):
    client.force_login(committee_staff)
    return client


@pytest.fixture
def terms(db) -> tuple[Term, Term]:
    ix = Term.objects.create(
        name="Nhiệm kỳ 2015–2020", code="IX", start_date=D(2015, 7, 1), end_date=D(2020, 7, 15)
    )
    x = Term.objects.create(
        name="Nhiệm kỳ 2020–2025", code="X", start_date=D(2020, 7, 16), end_date=D(2025, 6, 30)
    )
    return ix, x


def test_the_committee_sees_its_figures_for_a_year(staff_client, world):
    response = staff_client.get(URL, {"org": world.tree.root.pk, "year": "2020"})

    assert response.status_code == 200
    html = response.content.decode()
    shown = figures_on(html)
    assert shown["nominated_collectives"] == 3 and shown["nominated_people"] == 6
    assert shown["selected_collectives"] == 2 and shown["selected_people"] == 4
    assert shown["commended_collectives"] == 2 and shown["commended_people"] == 3
    assert shown["honored_collectives"] == 1 and shown["honored_people"] == 1
    assert shown["ceremonies"] == 1
    assert 'data-start="01/01/2020" data-end="31/12/2020"' in html
    assert "Được khen thưởng" in html  # Vietnamese labels
    for name in ("stages", "forms", "years", "activities", "models"):
        assert f'id="chart-{name}"' in html
    assert "<svg" in html and "<polyline" in html  # bars and the line of the years


def test_the_period_is_a_term_by_default_or_dates(staff_client, world, terms):
    ix, _x = terms
    html = staff_client.get(URL).content.decode()  # the top of the grant, the latest term
    assert world.tree.root.name in html  # with commendations: term X (decisions of 12/2020)
    assert 'data-start="16/07/2020" data-end="30/06/2025"' in html
    assert figures_on(html)["commended_people"] == 4  # 2020 and 01/01/2021

    html = staff_client.get(URL, {"term": ix.pk}).content.decode()
    assert figures_on(html)["commended_people"] == 0

    dates = {"org": world.tree.root.code, "from": "31/12/2020", "to": "01/01/2021"}
    html = staff_client.get(URL, dates).content.decode()
    shown = figures_on(html)
    assert (shown["commended_collectives"], shown["commended_people"]) == (1, 1)
    assert shown["ceremonies"] == 2
    assert 'value="31/12/2020"' in html and 'value="01/01/2021"' in html


def test_a_bad_period_is_said_and_the_default_shown(staff_client, world):
    response = staff_client.get(URL, {"from": "31/02/2020"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="period-error"' in html and "31/02/2020" in html
    response = staff_client.get(URL, {"from": "01/02/2021", "to": "01/01/2021"})
    assert 'id="period-error"' in response.content.decode()
    assert staff_client.get(URL, {"year": "20x0"}).status_code == 200
    assert staff_client.get(URL, {"year": "²"}).status_code == 200  # a digit int() refuses


def test_only_subtrees_the_grants_reach(client, world, base_secretary, outsider):
    tree = world.tree
    client.force_login(base_secretary)
    html = client.get(URL, {"year": "2020"}).content.decode()
    assert tree.own.name in html
    assert figures_on(html)["nominated_people"] == 5  # its own subtree by default
    assert client.get(URL, {"org": tree.own_cell.pk}).status_code == 200
    for org in (tree.root.pk, tree.other.pk, tree.other.code, "999999", "KHONGCO"):
        assert client.get(URL, {"org": org}).status_code == 404, org
        assert client.get(EXPORT, {"chart": "stages", "org": org}).status_code == 404, org
    client.force_login(outsider)
    assert client.get(URL).status_code == 404
    assert client.get(EXPORT, {"chart": "stages"}).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302


def test_the_export_needs_the_export_permission(client, world):
    council = UserFactory(username="council")
    grant(council, Role.COUNCIL_MEMBER, world.tree.root)  # views, does not export
    client.force_login(council)
    html = client.get(URL, {"year": "2020"}).content.decode()
    assert figures_on(html)["commended_people"] == 3
    assert "data-export=" not in html
    assert client.get(EXPORT, {"chart": "stages", "year": "2020"}).status_code == 404


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


def test_every_chart_downloads_its_numbers(staff_client, world):
    root = world.tree.root
    html = staff_client.get(URL, {"org": root.pk, "year": "2020"}).content.decode()
    for name in chart_names():
        if name != "ratings":  # shown when a rating list was confirmed in the period
            assert f'data-export="{name}"' in html
        rows = _sheet(staff_client.get(EXPORT, {"chart": name, "org": root.pk, "year": "2020"}))
        assert len(rows) >= 2, name
        assert all(isinstance(value, str) for value in rows[0]), name
    stages = _sheet(staff_client.get(EXPORT, {"chart": "stages", "org": root.pk, "year": "2020"}))
    assert stages[0][1:] == ("Tập thể", "Cá nhân")
    assert stages[1:] == [
        ("Được đề nghị", 3, 6),
        ("Được chọn", 2, 4),
        ("Được khen thưởng", 2, 3),
        ("Được tuyên dương", 1, 1),
    ]
    forms = _sheet(staff_client.get(EXPORT, {"chart": "forms", "org": root.pk, "year": "2020"}))
    assert forms[0] == ("Hình thức", "Tập thể", "Cá nhân")
    assert set(forms[1:]) == {("Giấy khen", 2, 2), ("Bằng khen", 0, 1)}
    years = _sheet(
        staff_client.get(
            EXPORT, {"chart": "years", "org": root.pk, "from": "01/06/2020", "to": "01/03/2021"}
        )
    )
    assert years[1:] == [(2020, 2, 3), (2021, 0, 1)]
    activities = _sheet(staff_client.get(EXPORT, {"chart": "activities", "year": "2020"}))
    assert activities[0][:4] == ("Loại hoạt động", "Đơn vị tính", "Hoạt động", "Số lượng")
    assert "Hiến máu nhân đạo" in {row[0] for row in activities[1:]}
    assert staff_client.get(EXPORT, {"chart": "nothing"}).status_code == 404
    assert staff_client.get(EXPORT, {"chart": "stages", "from": "x"}).status_code == 404


def test_charts_carry_no_style_and_no_script(staff_client, world):
    html = staff_client.get(URL, {"year": "2020"}).content.decode()
    assert "style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # only scripts from files
    assert not re.search(r"\son[a-z]+=", html)  # no event handler attributes
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg


def test_the_menu_leads_to_the_results(staff_client, outsider, client):
    assert f'href="{URL}"' in staff_client.get(reverse("home")).content.decode()
    client.force_login(outsider)
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


def test_the_page_runs_the_same_queries_for_few_and_many_records(staff_client, world, terms):
    tree = world.tree

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(URL, {"org": tree.root.pk})
        assert response.status_code == 200
        return len(queries)

    few = count()
    round_ = make_round(tree.root, title="Đợt bổ sung")
    issued = decision(tree.root, D(2021, 5, 5))
    honored = []
    for n in range(20):
        cell = make_org(tree.other, code=f"CB{n}", name=f"Chi bộ {n}")
        nomination = make_nomination(round_, tree.other, collective=cell, status="honored")
        honored.append(award(issued, nomination))
    ceremony(tree.root, D(2021, 6, 1), honored)
    assert count() == few
    assert few <= 40
