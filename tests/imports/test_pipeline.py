"""The engine's loop and job: every error kept, progress, preview, failures, the command."""

import pytest
from django.core.management import call_command
from django.utils import translation

from lantoa.core.models import AuditEntry
from lantoa.imports import parsers, services
from lantoa.imports.base import Column, Counts, Kind, RowError
from lantoa.imports.kinds import KINDS, get_kind
from lantoa.imports.kinds.organizations import OrganizationsImporter
from lantoa.imports.models import ImportJob, ImportRowError
from lantoa.imports.pipeline import ErrorSink, match_columns, validate
from lantoa.orgs.models import Organization
from tests.imports.helpers import ORG_HEADERS, org_rows, write_csv

Status = ImportJob.Status


class Recorder:
    def __init__(self, context=None) -> None:
        self.added: list[tuple[int, dict]] = []

    def begin(self) -> None:
        pass

    def check(self, values, line):
        if values["number"] == 13:
            return [RowError(line, "Number", "unlucky")]
        return []

    def add(self, values, line) -> None:
        self.added.append((line, values))

    def write(self) -> Counts:
        return Counts(created=len(self.added))

    def close(self) -> None:
        pass


KIND = Kind(
    name="test",
    label="Test",
    columns=(
        Column("code", "Code", parsers.code(8), required=True),
        Column("number", "Number", parsers.integer(maximum=100)),
        Column("day", "Day", parsers.date()),
    ),
    key=("code",),
    importer=Recorder,
    permission="orgs.manage",
)
HEADERS = ["Code", "Number", "Day"]


def _rows(*rows):
    return [(line, list(cells)) for line, cells in enumerate(rows, start=2)]


def test_every_bad_cell_is_one_error_and_valid_rows_reach_add():
    importer, sink = Recorder(), ErrorSink()
    rows = _rows(
        ["A1", 5, "01/02/2020"],
        [None, "x", "31/02/2020"],  # three errors
        ["A1", 6, None],  # duplicate of line 2
        ["B2", 13, None],  # refused by check; column renamed to the file's header
        ["C3", None, None],
    )
    with translation.override("en"):
        count = validate(rows, KIND, importer, {"code": 0, "number": 1, "day": 2}, HEADERS, sink)

    assert count == 5
    assert [line for line, _v in importer.added] == [2, 6]
    assert importer.added[1][1] == {"code": "C3", "number": None, "day": None}
    errors = [(e.line, e.column, e.message) for e, _c in sink.kept]
    assert errors[0] == (3, "Code", "This column is required.")
    assert [(line, column) for line, column, _m in errors[1:3]] == [(3, "Number"), (3, "Day")]
    assert errors[3] == (4, "Code", "Same Code as line 2.")
    assert errors[4] == (5, "Number", "unlucky")
    assert sink.rows == 3
    assert sink.kept[0][1] == ["", "x", "31/02/2020"]  # the row's cells, once
    assert sink.kept[1][1] is None


def test_limit_and_progress():
    importer, sink, seen = Recorder(), ErrorSink(), []
    rows = _rows(*([f"C{n}", n % 12, None] for n in range(50)))
    count = validate(
        rows,
        KIND,
        importer,
        {"code": 0, "number": 1},
        HEADERS,
        sink,
        progress=seen.append,
        every=20,
    )
    assert (count, seen) == (50, [20, 40])
    assert validate(rows, KIND, Recorder(), {"code": 0}, HEADERS, ErrorSink(), limit=20) == 20


@pytest.mark.django_db
def test_errors_are_written_in_batches_and_all_kept(tree):
    job = ImportJob.objects.create(kind="test", organization=tree.root)
    sink = ErrorSink(job_id=job.pk, batch=4)
    rows = _rows(*([f"C{n}", "bad", None] for n in range(10)))
    validate(rows, KIND, Recorder(), {"code": 0, "number": 1}, HEADERS, sink)
    assert ImportRowError.objects.filter(job=job).count() == 8  # flushed twice, 2 waiting
    sink.flush()
    assert ImportRowError.objects.filter(job=job).count() == 10
    assert sink.rows == 10


def test_headers_match_in_both_languages_with_aliases_and_required_marks():
    kind = get_kind("organizations")
    headers = ["mã *", "TEN TO CHUC", "Kind", "parent code", "Whatever"]
    assert match_columns(kind, headers) == {"code": 0, "name": 1, "kind": 2, "parent": 3}


def test_registry_has_every_kind():
    assert set(KINDS) == {
        "organizations",
        "people",
        "commitments",
        "ratings",
        "activities",
        "nominations",
    }


@pytest.mark.django_db
def test_preview_writes_nothing_and_shows_twenty_rows(tmp_path, tree, committee_staff):
    rows = [[f"BDV-N{n}", f"Chi bộ {n}", "", "cell", "BDV", ""] for n in range(30)]
    rows[3][4] = "NOPE"
    path = write_csv(tmp_path / "many.csv", ORG_HEADERS, rows)
    from django.core.files.uploadedfile import SimpleUploadedFile

    job = services.create_job(
        by=committee_staff,
        kind="organizations",
        organization=tree.own,
        upload=SimpleUploadedFile("many.csv", path.read_bytes()),
        filename="many.csv",
    )
    before = Organization.objects.count()

    preview = services.preview(job)

    assert job.total_estimate == 30
    assert len(preview.rows) == 20
    assert preview.rejected == 1
    assert preview.rows[3].cells[4].error
    assert preview.can_import
    assert Organization.objects.count() == before
    assert not ImportRowError.objects.exists()


@pytest.mark.django_db
def test_an_unexpected_error_fails_the_job_and_writes_nothing(
    tmp_path, tree, committee_staff, monkeypatch, caplog
):
    original = OrganizationsImporter.write

    def broken(self):
        original(self)  # writes the organizations, then fails
        raise RuntimeError("disk full")

    monkeypatch.setattr(OrganizationsImporter, "write", broken)
    path = write_csv(tmp_path / "a.csv", ORG_HEADERS, org_rows())
    before = Organization.objects.count()

    with translation.override("en"):
        job = services.import_path(
            path, kind="organizations", by=committee_staff, organization=tree.own
        )

    assert job.status == Status.FAILED
    assert "unexpected error" in job.error
    assert Organization.objects.count() == before
    assert not AuditEntry.objects.filter(verb="imports.created").exists()
    assert AuditEntry.objects.filter(verb="imports.finished").exists()
    assert "disk full" in caplog.text


@pytest.mark.django_db
def test_the_command_imports_and_fails_with_exit_code_1(tmp_path, tree, committee_staff, capsys):
    good = write_csv(tmp_path / "a.csv", ORG_HEADERS, org_rows())
    call_command("import_file", "organizations", str(good), org="BDV", user="committee_staff")
    out = capsys.readouterr().out
    assert "created 3" in out
    bad = write_csv(tmp_path / "b.csv", ORG_HEADERS, [["BDV-Z", "Z", "", "cell", "NOPE", ""]])
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_file", "organizations", str(bad), org="BDV", user="committee_staff")
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert "line 2 [Parent code]" in captured.err
