"""The organizations kind through the engine: create the tree, re-import, update, refuse."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import load_workbook

from lantoa.core.models import AuditEntry
from lantoa.imports.models import ImportJob
from lantoa.imports.services import import_path
from lantoa.imports.sheets import rejected_rows_workbook
from lantoa.orgs.models import Organization
from tests.imports.helpers import ORG_HEADERS, org_rows, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

Status = ImportJob.Status


def _import(path, tree, user, **kwargs) -> ImportJob:
    return import_path(path, kind="organizations", by=user, organization=tree.own, **kwargs)


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_import_creates_the_tree_then_reimport_changes_nothing(
    tmp_path, tree, committee_staff, writer
):
    path = writer(
        tmp_path / f"orgs.{'csv' if writer is write_csv else 'xlsx'}", ORG_HEADERS, org_rows()
    )

    job = _import(path, tree, committee_staff)

    assert job.status == Status.DONE, (job.error, list(job.row_errors.values_list("message")))
    assert (job.created, job.updated, job.unchanged, job.rejected) == (3, 0, 0, 0)
    child = Organization.objects.get(code="BDV-CB3A")
    assert Organization.objects.get_parent(child).code == "BDV-CB3"
    assert Organization.objects.get_parent(Organization.objects.get(code="BDV-CB2")).code == "BDV"
    assert child.valid_from.isoformat() == "2021-03-15"
    assert Organization.objects.get(code="BDV").numchild == 3  # BDV-CB1, CB2, CB3
    created_entries = AuditEntry.objects.filter(verb="imports.created").count()
    assert created_entries == 3

    again = _import(path, tree, committee_staff)

    assert again.status == Status.DONE
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AuditEntry.objects.filter(verb__in=["imports.created", "imports.updated"]).count() == 3


def test_a_changed_name_is_one_update_with_old_and_new(tmp_path, tree, committee_staff):
    write_csv(tmp_path / "a.csv", ORG_HEADERS, org_rows())
    _import(tmp_path / "a.csv", tree, committee_staff)
    rows = org_rows()
    rows[0][1] = "Chi bộ Hai"
    write_csv(tmp_path / "b.csv", ORG_HEADERS, rows)

    job = _import(tmp_path / "b.csv", tree, committee_staff)

    assert (job.created, job.updated, job.unchanged) == (0, 1, 2)
    org = Organization.objects.get(code="BDV-CB2")
    assert org.name == "Chi bộ Hai"
    entry = AuditEntry.objects.get(verb="imports.updated")
    assert entry.object_pk == str(org.pk)
    assert entry.changes["name"] == ["Chi bộ 2 Ban Dân vận", "Chi bộ Hai"]
    assert entry.changes["import_job"] == [None, str(job.pk)]


def test_one_bad_row_writes_nothing_and_is_listed_and_downloadable(tmp_path, tree, committee_staff):
    rows = org_rows()
    rows.append(["BDV-CB9", "Chi bộ 9", "", "cell", "NOPE", ""])
    path = write_xlsx(tmp_path / "bad.xlsx", ORG_HEADERS, rows)
    before = Organization.objects.count()

    job = _import(path, tree, committee_staff)

    assert job.status == Status.FAILED
    assert job.rejected == 1
    assert Organization.objects.count() == before
    assert not AuditEntry.objects.filter(verb="imports.created").exists()
    error = job.row_errors.get()
    assert (error.line, error.column) == (5, "Parent code")
    assert "NOPE" in error.message
    assert job.sheet == "Dữ liệu"

    book = load_workbook(rejected_rows_workbook(job), read_only=True)
    values = list(book.active.values)
    assert values[0][: len(ORG_HEADERS)] == tuple(ORG_HEADERS)
    assert values[1][0] == "BDV-CB9"
    assert "NOPE" in values[1][-1]


def test_row_errors_cell_by_cell_duplicates_and_order(tmp_path, tree, committee_staff):
    rows = [
        ["BDV-X1", "", "", "banana", "BDV", "31/02/2020"],  # three bad cells
        ["BDV-CB5", "Chi bộ 5", "", "cell", "BDV-CB6", ""],  # parent comes later
        ["BDV-CB6", "Chi bộ 6", "", "cell", "BDV", ""],
        ["BDV-CB6", "Chi bộ 6 bis", "", "cell", "BDV", ""],  # duplicate of line 4
        ["VNPT-CB2", "Chi bộ 2", "", "cell", "VNPT", ""],  # another subtree's code
        ["BDV-CB1", "Chi bộ 1", "", "cell", "DCD", ""],  # a move
    ]
    path = write_csv(tmp_path / "bad.csv", ORG_HEADERS, rows)

    with translation.override("en"):
        job = _import(path, tree, committee_staff)

    assert job.status == Status.FAILED
    assert job.rejected == 5
    errors = [(e.line, e.column, e.message) for e in job.row_errors.all()]
    assert [(line, column) for line, column, _m in errors[:3]] == [
        (2, "Name"),
        (2, "Kind"),
        (2, "Valid from"),
    ]
    messages = {line: message for line, _c, message in errors[3:]}
    assert "line 4" in messages[3]
    assert "line 4" in messages[5]
    assert "outside" in messages[6]
    assert "Move" in messages[7]
    assert Organization.objects.filter(code__in=["BDV-CB5", "BDV-CB6"]).count() == 0


def test_headers_in_vietnamese_and_aliases_match(tmp_path, tree, committee_staff):
    headers = ["Mã", "Tên tổ chức", "Loại", "Mã cấp trên"]
    path = write_csv(tmp_path / "vi.csv", headers, [["BDV-CB7", "Chi bộ 7", "cell", "BDV"]])

    job = _import(path, tree, committee_staff)

    assert job.status == Status.DONE, job.error
    assert job.created == 1


def test_missing_required_column_fails_naming_it(tmp_path, tree, committee_staff):
    path = write_csv(tmp_path / "m.csv", ["Code", "Name"], [["BDV-CB7", "Chi bộ 7"]])

    with translation.override("en"):
        job = _import(path, tree, committee_staff)

    assert job.status == Status.FAILED
    assert "Kind" in job.error and "Parent code" in job.error


def test_explicit_mapping(tmp_path, tree, committee_staff):
    headers = ["A", "B", "C", "D"]
    path = write_csv(tmp_path / "m.csv", headers, [["BDV-CB7", "Chi bộ 7", "cell", "BDV"]])

    job = _import(
        path, tree, committee_staff, mapping={"code": 0, "name": 1, "kind": 2, "parent": 3}
    )

    assert job.status == Status.DONE
    assert Organization.objects.filter(code="BDV-CB7").exists()


def test_base_secretary_cannot_import_organizations(tmp_path, tree, base_secretary):
    path = write_csv(tmp_path / "a.csv", ORG_HEADERS, org_rows())
    with pytest.raises(PermissionDenied):
        _import(path, tree, base_secretary)


def test_a_refused_file_fails_with_its_reason(tmp_path, tree, committee_staff):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    job = _import(path, tree, committee_staff)

    assert job.status == Status.FAILED
    assert job.error
    assert not job.row_errors.exists()


def test_the_template_has_headers_lists_and_an_example_that_imports(
    tmp_path, tree, committee_staff
):
    from lantoa.imports.kinds import get_kind
    from lantoa.imports.sheets import template_workbook

    data = template_workbook(get_kind("organizations"))
    path = tmp_path / "mau.xlsx"
    path.write_bytes(data)
    book = load_workbook(path)
    assert book.sheetnames == ["Dữ liệu", "Hướng dẫn"]
    sheet = book["Dữ liệu"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[0] == "Mã *"  # Vietnamese, required marked
    assert sheet.freeze_panes == "A2"
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert any("Chi bộ trực thuộc" in formula for formula in lists)
    guide = [row[0] for row in book["Hướng dẫn"].values]
    assert "Mã" in guide

    job = import_path(path, kind="organizations", by=committee_staff, organization=tree.root)

    assert job.status == Status.DONE, list(job.row_errors.values_list("column", "message"))
    assert job.created == 1

    sheet.delete_rows(2)
    for row in org_rows():
        sheet.append(row)
    book.save(path)
    job = _import(path, tree, committee_staff)
    assert job.status == Status.DONE, list(job.row_errors.values_list("column", "message"))
    assert job.created == 3
