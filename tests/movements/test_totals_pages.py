"""The totals page and its export: figures by type and by sub-unit, periods (year, term),
movement, the chart of the years, who may see what, and a query-count guard."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lantoa.movements.models import ActivityType
from lantoa.orgs.scope import SESSION_KEY
from lantoa.programs.models import Term
from tests.factories import make_org
from tests.movements.factories import (
    BLOOD,
    GIFTS,
    HOUSES,
    activity_type,
    make_activity,
    make_movement,
)

URL = reverse("movements:totals")
EXPORT = reverse("movements:totals_export")


def day(year, month=6, dd=14):
    return datetime.date(year, month, dd)


@pytest.fixture
def ledger(tree):
    """Blood in a cell (2019) and in its base (2021), gifts in the other base (2019),
    houses on the top organization itself (2018)."""
    make_activity(
        tree.own_cell, BLOOD, date=day(2019), quantity=1200, participants=1500, money=2_500_000
    )
    make_activity(tree.own, BLOOD, date=day(2021), quantity=30, participants=35, money=0)
    make_activity(
        tree.other,
        GIFTS,
        date=day(2019, 1, 27),
        quantity=300,
        participants=20,
        beneficiaries=300,
        money=1_234_567,
    )
    make_activity(tree.root, HOUSES, date=day(2018), quantity=2, participants=40, money=100_000_000)
    return tree


def row(content: str, code: str) -> str:
    match = re.search(rf'<tr data-type="{code}">(.*?)</tr>', content, re.S)
    assert match, code
    return match.group(1)


def cell(html: str, name: str) -> str:
    match = re.search(rf'<td class="num {name}">([^<]*)</td>', html)
    assert match, name
    return match.group(1)


def block(content: str, element_id: str) -> str:
    match = re.search(rf'<(\w+)[^>]* id="{element_id}"[^>]*>(.*?)</\1>', content, re.S)
    assert match, element_id
    return match.group(2)


def quantities(html: str) -> list[str]:
    return re.findall(r'<td class="num quantity">([^<]*)</td>', html)


def get(client, user, query=""):
    client.force_login(user)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    return response.content.decode()


# --- figures -----------------------------------------------------------------------------


def test_figures_by_type_of_the_whole_subtree_grouped_in_thousands(client, ledger, committee_staff):
    content = get(client, committee_staff, f"org={ledger.root.pk}")

    blood = row(content, BLOOD)
    assert "Hiến máu nhân đạo" in blood and "đơn vị máu" in blood
    assert cell(blood, "activities") == "2"
    assert cell(blood, "quantity") == "1.230"
    assert cell(blood, "participants") == "1.535"
    assert cell(blood, "money") == "2.500.000"
    gifts = row(content, GIFTS)
    assert cell(gifts, "beneficiaries") == "300"
    assert cell(gifts, "money") == "1.234.567"
    assert cell(row(content, HOUSES), "quantity") == "2"
    assert cell(row(content, "ve-nguon"), "activities") == "0"  # every type in use, even empty
    total = block(content, "totals-total")
    assert cell(total, "activities") == "4"
    assert cell(total, "participants") == "1.595"
    assert cell(total, "money") == "103.734.567"
    assert "quantity" not in total  # quantities of different units are not added


def test_types_no_longer_in_use_show_only_while_they_have_figures(client, tree, committee_staff):
    ActivityType.objects.filter(code=GIFTS).update(active=False)
    content = get(client, committee_staff, f"org={tree.root.pk}")
    assert f'data-type="{GIFTS}"' not in content

    make_activity(tree.own, GIFTS, quantity=5)

    content = get(client, committee_staff, f"org={tree.root.pk}")
    assert cell(row(content, GIFTS), "quantity") == "5"


def test_a_year_narrows_the_figures(client, ledger, committee_staff):
    content = get(client, committee_staff, f"org={ledger.root.pk}&year=2019")

    assert cell(row(content, BLOOD), "quantity") == "1.200"
    assert cell(row(content, HOUSES), "quantity") == "0"
    assert cell(block(content, "totals-total"), "money") == "3.734.567"


def test_a_term_uses_its_dates_and_an_open_term_runs_to_today(client, ledger, committee_staff):
    closed = Term.objects.create(
        name="Nhiệm kỳ 2015–2020", code="XV", start_date=day(2015, 10, 1), end_date=day(2020, 9, 30)
    )
    current = Term.objects.create(
        name="Nhiệm kỳ 2020–2025", code="XVI", start_date=day(2020, 10, 1)
    )

    content = get(client, committee_staff, f"org={ledger.root.pk}&term={closed.pk}")
    assert cell(row(content, BLOOD), "quantity") == "1.200"
    assert cell(row(content, HOUSES), "quantity") == "2"
    assert "Nhiệm kỳ 2015–2020" in block(content, "period")
    assert "01/10/2015" in block(content, "period")

    content = get(client, committee_staff, f"org={ledger.root.pk}&term={current.pk}&year=2019")
    assert cell(row(content, BLOOD), "quantity") == "30"  # the term wins over the year
    assert cell(row(content, GIFTS), "quantity") == "0"


def test_one_movement(client, ledger, committee_staff):
    movement = make_movement(ledger.root, title="Tuổi trẻ hiến máu")
    make_activity(ledger.own_cell, BLOOD, date=day(2020), quantity=7, movement=movement)

    content = get(client, committee_staff, f"org={ledger.own.pk}&movement={movement.pk}")

    assert cell(row(content, BLOOD), "quantity") == "7"
    assert "Tuổi trẻ hiến máu" in block(content, "period")


def test_by_sub_unit_the_organization_itself_then_each_sub_unit_and_the_same_total(
    client, ledger, committee_staff
):
    content = get(client, committee_staff, f"org={ledger.root.pk}&year=2019")

    table = block(content, "by-sub-unit")
    types = list(ActivityType.objects.filter(active=True))
    position = {kind.code: i for i, kind in enumerate(types)}
    own_row = block(table, "part-own")
    client.cookies["django_language"] = "en"
    content_en = get(client, committee_staff, f"org={ledger.root.pk}&year=2019")
    assert "Recorded on the organization itself" in block(content_en, "part-own")
    assert quantities(own_row) == ["0"] * len(types)
    own_base = block(table, f"part-{ledger.own.pk}")
    assert quantities(own_base)[position[BLOOD]] == "1.200"
    assert f'href="?org={ledger.own.pk}&amp;year=2019"' in own_base
    other = block(table, f"part-{ledger.other.pk}")
    assert quantities(other)[position[GIFTS]] == "300"
    assert cell(other, "money") == "1.234.567"
    total = block(content, "by-sub-unit-total")
    top = [cell(row(content, kind.code), "quantity") for kind in types]
    assert quantities(total) == top
    assert cell(total, "money") == cell(block(content, "totals-total"), "money")


def test_the_own_row_holds_what_was_recorded_on_the_organization_itself(
    client, ledger, committee_staff
):
    content = get(client, committee_staff, f"org={ledger.root.pk}&year=2018")

    position = [kind.code for kind in ActivityType.objects.filter(active=True)].index(HOUSES)
    assert quantities(block(content, "part-own"))[position] == "2"
    assert cell(block(content, "part-own"), "money") == "100.000.000"


def test_an_archived_sub_unit_with_activities_is_listed_and_counted(client, tree, committee_staff):
    closed = make_org(tree.own, code="BDV-CB7", name="Chi bộ đã giải thể", archived=True)
    make_activity(closed, BLOOD, quantity=8)

    content = get(client, committee_staff, f"org={tree.own.pk}")

    part = block(content, f"part-{closed.pk}")
    assert "Chi bộ đã giải thể" in part
    assert cell(row(content, BLOOD), "quantity") == "8"


def test_the_chart_of_the_years_has_its_figures_as_text(client, ledger, committee_staff):
    content = get(client, committee_staff, f"org={ledger.root.pk}&year=2019")

    years = block(content, "years")
    this_year = timezone.localdate().year
    assert f"2016–{this_year}" in years
    assert f'data-type="{BLOOD}"' in years and f'data-type="{GIFTS}"' in years
    assert 'data-type="ve-nguon"' not in years  # only types with activities get a chart
    assert 'role="img"' in years and "<title" in years
    assert "2019: 1.200" in years and "2021: 30" in years and "2018: 0" in years
    assert 'class="bar chosen"' in years
    assert "style=" not in content and "<script>" not in content


def test_a_term_charts_its_own_years(client, ledger, committee_staff):
    term = Term.objects.create(
        name="Nhiệm kỳ 2015–2020", code="XV", start_date=day(2015, 10, 1), end_date=day(2020, 9, 30)
    )

    content = get(client, committee_staff, f"org={ledger.root.pk}&term={term.pk}")

    assert "2015–2020" in block(content, "years")
    assert "2021:" not in block(content, "years")


def test_without_an_organization_the_page_opens_on_the_top_of_the_users_reach(
    client, ledger, base_secretary, committee_staff
):
    content = get(client, base_secretary)
    assert f'name="org" value="{ledger.own.pk}"' in content
    assert cell(row(content, BLOOD), "quantity") == "1.230"

    client.force_login(committee_staff)
    session = client.session
    session[SESSION_KEY] = ledger.other.pk
    session.save()
    content = client.get(URL).content.decode()
    assert f'name="org" value="{ledger.other.pk}"' in content
    assert cell(row(content, GIFTS), "quantity") == "300"


# --- who may see what --------------------------------------------------------------------


@pytest.mark.parametrize("url", [URL, EXPORT])
def test_outside_the_grant_answers_404(client, ledger, base_secretary, outsider, url):
    client.force_login(base_secretary)
    assert client.get(f"{url}?org={ledger.own_cell.pk}").status_code == 200
    for org in (ledger.root, ledger.other, ledger.other_cell):
        assert client.get(f"{url}?org={org.pk}").status_code == 404
    assert client.get(f"{url}?org=abc").status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(f"{url}?org={ledger.own.pk}").status_code == 404


def test_unknown_terms_and_movements_out_of_the_subtree_answer_404(client, ledger, committee_staff):
    elsewhere = make_movement(ledger.other, title="Phong trào của đảng bộ khác")
    client.force_login(committee_staff)

    assert client.get(f"{URL}?org={ledger.own.pk}&term=999").status_code == 404
    assert client.get(f"{URL}?org={ledger.own.pk}&term=9{'9' * 30}").status_code == 404
    assert client.get(f"{URL}?org={ledger.own.pk}&movement=x").status_code == 404
    assert client.get(f"{URL}?org={ledger.own.pk}&movement={elsewhere.pk}").status_code == 404
    assert client.get(f"{URL}?org={ledger.other.pk}&movement={elsewhere.pk}").status_code == 200
    assert client.get(f"{URL}?org={ledger.root.pk}&movement={elsewhere.pk}").status_code == 200


def test_anonymous_users_are_sent_to_log_in(client, ledger):
    response = client.get(URL)
    assert response.status_code == 302


# --- export ------------------------------------------------------------------------------


def workbook_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxml")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_export_holds_both_tables(client, ledger, committee_staff):
    client.force_login(committee_staff)
    client.cookies["django_language"] = "en"
    response = client.get(f"{EXPORT}?org={ledger.root.pk}&year=2019")
    assert "2019" in response["Content-Disposition"]

    workbook = workbook_of(response)

    by_type, by_unit = workbook.worksheets
    types = list(ActivityType.objects.filter(active=True))
    rows = list(by_type.iter_rows(values_only=True))
    assert rows[0][:4] == ("Activity type", "Unit", "Activities", "Quantity")
    assert len(rows) == len(types) + 2
    blood = next(r for r in rows if r[0] == activity_type(BLOOD).name)
    assert blood[1:] == ("đơn vị máu", 1, 1200, 1500, 0, 2_500_000)
    assert rows[-1] == ("Total", None, 2, None, 1520, 300, 3_734_567)

    rows = list(by_unit.iter_rows(values_only=True))
    blood_column = 2 + [kind.code for kind in types].index(BLOOD)
    assert rows[0][blood_column] == f"{activity_type(BLOOD).name} (đơn vị máu)"
    assert rows[1][:2] == (ledger.root.code, "Recorded on the organization itself")
    assert [r[1] for r in rows[2:4]] == [ledger.own.name, ledger.other.name]
    assert rows[2][blood_column] == 1200
    assert rows[-1][1] == "Total" and rows[-1][blood_column] == 1200
    assert rows[-1][-1] == 3_734_567


def test_export_needs_the_export_permission(client, ledger, council_member, base_secretary):
    client.force_login(council_member)
    assert client.get(f"{URL}?org={ledger.root.pk}").status_code == 200
    assert client.get(f"{EXPORT}?org={ledger.root.pk}").status_code == 404
    assert "export.xlsx" not in client.get(f"{URL}?org={ledger.root.pk}").content.decode()

    client.force_login(base_secretary)
    workbook = workbook_of(client.get(EXPORT))
    assert workbook.worksheets[0].max_row == len(ActivityType.objects.filter(active=True)) + 2


# --- query count -------------------------------------------------------------------------


def grow(tree, round_: int, count: int) -> None:
    """More sub-units (some archived), movements and activities of every type and year."""
    codes = list(ActivityType.objects.values_list("code", flat=True))
    for i in range(count):
        unit = make_org(tree.own, code=f"G{round_}-{i}", archived=i % 3 == 0)
        cell = make_org(unit, code=f"G{round_}-{i}-C")
        make_movement(tree.root, title=f"Phong trào {round_}-{i}")
        for j, code in enumerate(codes):
            make_activity(cell, code, date=day(2016 + (i + j) % 6), quantity=i + j)
            make_activity(unit, code, date=day(2017 + j % 4), quantity=1, money=1000)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("query", ["", "&year=2019", "&term=TERM"])
@pytest.mark.parametrize("url", [URL, EXPORT])
def test_query_count_does_not_grow_with_organizations_and_activities(
    client, tree, committee_staff, url, query
):
    term = Term.objects.create(name="Nhiệm kỳ", code="XV", start_date=day(2015, 10, 1))
    address = f"{url}?org={tree.root.pk}{query.replace('TERM', str(term.pk))}"
    client.force_login(committee_staff)
    grow(tree, 1, 1)
    few = queries_for(client, address)

    grow(tree, 2, 12)
    many = queries_for(client, address)

    assert many == few
    assert many <= 16
