"""The activities kind through the engine: create, export and re-import, update, refuse."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from lantoa.core.models import AuditEntry
from lantoa.imports.models import ImportJob
from lantoa.imports.services import import_path
from lantoa.movements.models import Activity
from tests.imports.helpers import write_xlsx
from tests.movements.factories import make_movement

pytestmark = pytest.mark.django_db
Status = ImportJob.Status
HEADERS = ["Date", "Organization", "Type of activity", "Title", "Place", "Quantity", "Movement"]


def _run(tmp_path, rows, user, org, headers=HEADERS, name="a.xlsx") -> ImportJob:
    path = write_xlsx(tmp_path / name, headers, rows)
    with translation.override("en"):
        return import_path(path, kind="activities", by=user, organization=org)


def _errors(job) -> list[tuple[int, str, str]]:
    return list(job.row_errors.order_by("line", "id").values_list("line", "column", "message"))


ROWS = [
    ["14/06/2019", "BDV-CB1", "Hiến máu nhân đạo", "Ngày hội hiến máu", "Hội trường", 120, ""],
    [datetime.date(2019, 7, 1), "Chi bộ 1", "hien-mau", "Hiến máu đợt 2", "", 30, ""],
]


def test_import_then_reimport_then_update(tmp_path, tree, base_secretary):
    job = _run(tmp_path, ROWS, base_secretary, tree.own)
    assert job.status == Status.DONE, _errors(job)
    assert (job.created, job.updated, job.unchanged) == (2, 0, 0)
    first = Activity.objects.get(title="Ngày hội hiến máu")
    assert (first.organization, first.quantity, first.place) == (tree.own_cell, 120, "Hội trường")
    assert first.recorded_by == base_secretary
    assert Activity.objects.get(title="Hiến máu đợt 2").organization == tree.own_cell
    entries = AuditEntry.objects.filter(verb="imports.created").count()
    assert entries == 2

    again = _run(tmp_path, ROWS, base_secretary, tree.own, name="again.xlsx")
    assert (again.status, again.created, again.updated, again.unchanged) == (Status.DONE, 0, 0, 2)
    assert AuditEntry.objects.filter(verb__startswith="imports.c").count() == entries

    changed = [[*ROWS[0][:5], 150, ""]]
    job = _run(tmp_path, changed, base_secretary, tree.own, name="changed.xlsx")
    assert (job.created, job.updated, job.unchanged) == (0, 1, 0)
    first.refresh_from_db()
    assert first.quantity == 150
    assert AuditEntry.objects.get(verb="imports.updated").changes["quantity"] == ["120", "150"]


def test_the_exported_list_imports_again_without_change(tmp_path, client, tree, committee_staff):
    movement = make_movement(tree.root)
    assert _run(tmp_path, ROWS, committee_staff, tree.root).status == Status.DONE
    Activity.objects.filter(title="Hiến máu đợt 2").update(
        movement=movement, money=2_500_000, participants=40, description="Mô tả"
    )
    client.force_login(committee_staff)
    response = client.get(reverse("movements:activity_export"))
    assert response.status_code == 200
    path = tmp_path / "export.xlsx"
    path.write_bytes(
        b"".join(response.streaming_content) if response.streaming else response.content
    )

    job = import_path(path, kind="activities", by=committee_staff, organization=tree.root)

    assert job.status == Status.DONE, (job.error, _errors(job))
    assert (job.created, job.updated, job.unchanged) == (0, 0, 2)
    assert Activity.objects.get(title="Hiến máu đợt 2").description == "Mô tả"


def test_rules_and_scope_refuse_the_whole_file(tmp_path, tree, base_secretary):
    movement = make_movement(tree.root)  # 2016–2020
    future = datetime.date.today() + datetime.timedelta(days=3)
    rows = [
        ["14/06/2019", "BDV-CB1", "Hiến máu nhân đạo", "Đúng", "", 10, ""],
        ["14/06/2019", "VNPT-CB2", "Hiến máu nhân đạo", "Ngoài phạm vi", "", 10, ""],
        ["14/06/2019", "BDV-CB1", "Xây dựng nhà “Vì người nghèo”", "Quá lớn", "", 501, ""],
        [future, "BDV-CB1", "Hiến máu nhân đạo", "Tương lai", "", 1, ""],
        ["14/06/2021", "BDV-CB1", "Hiến máu nhân đạo", "Ngoài kỳ", "", 1, movement.title],
        ["14/06/2019", "BDV-CB1", "Không có loại này", "Loại lạ", "", 1, ""],
    ]
    job = _run(tmp_path, rows, base_secretary, tree.own)
    assert job.status == Status.FAILED
    errors = _errors(job)
    assert [line for line, _c, _m in errors] == [3, 4, 5, 6, 7]
    assert errors[0][1] == "Organization" and "VNPT-CB2" in errors[0][2]
    assert errors[1][1] == "Quantity"
    assert errors[1][2].startswith("501 căn nhà is too many for one activity of this type")
    assert errors[2] == (5, "Date", "The date cannot be in the future.")
    assert errors[3][1] == "Date" and "outside the movement's period" in errors[3][2]
    assert errors[4][1] == "Type of activity"
    assert not Activity.objects.exists()
