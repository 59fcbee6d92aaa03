"""`manage.py stats`: the figures of case-camau.md from the Cà Mau demo (`load_demo`, loaded
once for the module inside a transaction rolled back at the end), through `compute` and
through the command's JSON; its table; its errors."""

import datetime
import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from lantoa.orgs.models import Organization
from lantoa.programs.models import Term
from lantoa.reports.figures import Period, compute

D = datetime.date
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DIRECTIVE_05 = D(2016, 5, 15)  # Chỉ thị số 05-CT/TW
NAMED_MODELS = {
    "Đảng bộ Ban Dân vận Tỉnh ủy Cà Mau",
    "Đảng bộ Trường Cao đẳng Y tế Cà Mau",
    "Đảng bộ Công ty Điện lực Cà Mau",
    "Đảng bộ Viễn thông Cà Mau",
}


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo, loaded once for the module and rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")
        ),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded, db) -> None:
    return None


@pytest.fixture
def committee(demo) -> Organization:
    return Organization.objects.get(code="DCD")


@pytest.fixture
def term_ix(demo) -> Term:
    """The committee's IXth term (Đại hội IX), 2015–2020."""
    return Term.objects.get(issuer__organization__code="DCD", code="IX")


def stats(*args: str) -> dict:
    out = StringIO()
    call_command("stats", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_term_figures_of_the_case(committee, term_ix):
    """Over the 4 years of Directive 05 up to the congress: 73 collectives and 167
    individuals commended, at 3 ceremonies; 5 pilots; the four named models."""
    assert term_ix.end_date == D(2020, 7, 15)
    figures = compute(committee, Period(DIRECTIVE_05, term_ix.end_date))
    c = figures.commendation
    assert (c.commended_collectives, c.commended_people) == (73, 167)
    assert c.ceremonies == 3
    assert (c.honored_collectives, c.honored_people) == (73, 167)
    # nominated, selected and commended differ
    assert c.nominated_people > c.selected_people > c.commended_people
    assert c.nominated_collectives > c.selected_collectives > c.commended_collectives
    assert figures.pilots.pilots == 5
    assert {organization for organization, _title in figures.models.named} == NAMED_MODELS
    assert sum(row.commended_people for row in figures.years) == 167

    data = stats("--org", "DCD", "--from", "15/05/2016", "--to", "15/07/2020")
    assert data["organization_code"] == "DCD"
    assert data["period"] == {
        "start": "15/05/2016",
        "end": "15/07/2020",
        "label": data["period"]["label"],
    }
    commendation = data["commendation"]
    assert (commendation["commended_collectives"], commendation["commended_people"]) == (73, 167)
    assert commendation["ceremonies"] == 3
    assert data["pilots"]["pilots"] == 5
    assert {pair[0] for pair in data["models"]["named"]} == NAMED_MODELS


def test_the_figures_of_2020(committee):
    """In 2020 the base organizations selected 47 collectives and 75 individuals."""
    c = compute(committee, Period(D(2020, 1, 1), D(2020, 12, 31))).commendation
    assert (c.selected_collectives, c.selected_people) == (47, 75)
    data = stats("--org", "dcd", "--from", "01/01/2020", "--to", "31/12/2020")
    assert data["commendation"]["selected_collectives"] == 47
    assert data["commendation"]["selected_people"] == 75


def test_without_an_organization_the_whole_tree(demo):
    data = stats("--from", "15/05/2016", "--to", "15/07/2020")
    assert data["organization"] == "" and data["organization_code"] == ""
    # the committee's records are all of the tree's (the province above it has none)
    assert data["commendation"]["commended_collectives"] == 73
    assert data["commendation"]["commended_people"] == 167


def test_the_table_is_vietnamese(demo):
    out = StringIO()
    call_command("stats", "--org", "DCD", "--from", "15/05/2016", "--to", "15/07/2020", stdout=out)
    text = out.getvalue()
    assert "Đảng bộ Dân Chính Đảng tỉnh Cà Mau (DCD)" in text
    assert "từ 15/05/2016 đến 15/07/2020" in text
    line = next(line for line in text.splitlines() if line.strip().startswith("Được khen thưởng"))
    assert line.split()[-2:] == ["73", "167"]
    assert "Hội nghị tuyên dương đã tổ chức" in text
    assert "Viễn thông Cà Mau" in text  # a named model


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "KHONGCO"], "Không có tổ chức nào có mã “KHONGCO”"),
        (["--from", "31/02/2020"], "Ngày --from không hợp lệ: “31/02/2020”"),
        (["--to", "2020-12-31"], "Ngày --to không hợp lệ: “2020-12-31”"),
        (["--from", "01/01/2021", "--to", "31/12/2020"], "trước ngày đầu"),
    ],
)
def test_bad_input_is_refused_with_a_message(db, args, message):
    with pytest.raises(CommandError) as raised:
        call_command("stats", *args, stdout=StringIO())
    assert message in str(raised.value)


def test_the_exit_code_is_not_zero(tmp_path):
    """From the command line (as scripts run it), an error exits with a non-zero code."""
    result = subprocess.run(
        [sys.executable, "manage.py", "stats", "--from", "32/01/2020", "--json"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        },
        check=False,
    )
    assert result.returncode != 0
    assert "Ngày --from không hợp lệ" in result.stderr
