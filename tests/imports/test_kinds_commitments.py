"""The commitments kind through the engine: create, re-import, update, refuse."""

import pytest
from django.utils import translation

from lantoa.core.models import AuditEntry
from lantoa.imports.models import ImportJob
from lantoa.imports.services import import_path
from lantoa.programs.models import Commitment, CommitmentStatus
from tests.factories import MemberFactory
from tests.imports.helpers import write_xlsx

pytestmark = pytest.mark.django_db
Status = ImportJob.Status
HEADERS = ["Personal code", "Year", "Items of the commitment", "The cell's result"]


@pytest.fixture
def members(tree):
    return [
        MemberFactory(code="DV-001", organization=tree.own_cell),
        MemberFactory(code="DV-002", organization=tree.own_cell),
        MemberFactory(code="DV-900", organization=tree.other_cell),
    ]


def _run(tmp_path, rows, user, org, headers=HEADERS, name="c.xlsx") -> ImportJob:
    path = write_xlsx(tmp_path / name, headers, rows)
    with translation.override("en"):
        return import_path(path, kind="commitments", by=user, organization=org)


def _errors(job) -> list[tuple[int, str, str]]:
    return list(job.row_errors.order_by("line").values_list("line", "column", "message"))


ROWS = [
    ["DV-001", 2025, "Gương mẫu tiết kiệm\nGiúp đỡ đồng chí", ""],
    ["dv-002", "2025", "Học tập suốt đời", "Carried out well"],
]


def test_import_then_reimport_then_update(tmp_path, tree, members, base_secretary):
    job = _run(tmp_path, ROWS, base_secretary, tree.own)
    assert job.status == Status.DONE, _errors(job)
    assert (job.created, job.updated, job.unchanged) == (2, 0, 0)
    first = Commitment.objects.get(person=members[0], year=2025)
    assert [i.text for i in first.items.all()] == ["Gương mẫu tiết kiệm", "Giúp đỡ đồng chí"]
    assert first.organization == tree.own_cell
    assert first.status == CommitmentStatus.REGISTERED
    second = Commitment.objects.get(person=members[1], year=2025)
    assert (second.status, second.cell_result) == (CommitmentStatus.ASSESSED, "good")
    entries = AuditEntry.objects.filter(verb="imports.created").count()
    assert entries == 2

    again = _run(tmp_path, ROWS, base_secretary, tree.own, name="again.xlsx")
    assert (again.status, again.created, again.updated, again.unchanged) == (Status.DONE, 0, 0, 2)
    assert AuditEntry.objects.filter(verb__startswith="imports.c").count() == entries

    changed = [["DV-001", 2025, "Gương mẫu tiết kiệm\nMột việc mới", ""]]
    job = _run(tmp_path, changed, base_secretary, tree.own, name="changed.xlsx")
    assert (job.created, job.updated, job.unchanged) == (0, 1, 0)
    assert [i.text for i in first.items.all()] == ["Gương mẫu tiết kiệm", "Một việc mới"]
    entry = AuditEntry.objects.get(verb="imports.updated")
    assert entry.changes["items"] == [
        "Gương mẫu tiết kiệm\nGiúp đỡ đồng chí",
        "Gương mẫu tiết kiệm\nMột việc mới",
    ]


def test_rules_and_scope_refuse_the_whole_file(tmp_path, tree, members, base_secretary):
    rows = [
        ["DV-001", 2025, "Một việc", ""],  # valid, but not written: another row is bad
        ["DV-900", 2025, "Một việc", ""],  # outside the subtree
        ["DV-002", 2025, "\n".join(f"Việc {n}" for n in range(21)), ""],  # over 20 items
        ["DV-002", 1800, "Một việc", ""],  # year out of range
        ["DV-002", 2024, "Một việc", "Rất tốt"],  # not a result
    ]
    job = _run(tmp_path, rows, base_secretary, tree.own)
    assert job.status == Status.FAILED
    errors = _errors(job)
    assert [line for line, _c, _m in errors] == [3, 4, 5, 6]
    assert errors[0][1] == "Personal code" and "DV-900" in errors[0][2]
    assert errors[1][2] == "Write at most 20 items (this cell has 21)."
    assert "between 1.990 and 2.100" in errors[2][2]
    assert errors[3][1] == "The cell's result"
    assert not Commitment.objects.exists()


def test_items_of_an_assessed_commitment_are_frozen(tmp_path, tree, members, base_secretary):
    assert _run(tmp_path, ROWS, base_secretary, tree.own).status == Status.DONE
    rows = [["DV-002", 2025, "Việc khác", "Carried out well"]]
    job = _run(tmp_path, rows, base_secretary, tree.own, name="b.xlsx")
    assert job.status == Status.FAILED
    assert _errors(job)[0][2] == (
        "The cell has assessed this commitment: it can no longer be changed."
    )
    # the assessment itself can be corrected
    rows = [["DV-002", 2025, "Học tập suốt đời", "Carried out"]]
    job = _run(tmp_path, rows, base_secretary, tree.own, name="c2.xlsx")
    assert (job.status, job.updated) == (Status.DONE, 1)
    assert Commitment.objects.get(person=members[1]).cell_result == "done"
