"""Spreadsheet imports: upload a file, check it, preview its first rows, map its columns,
then import it all or nothing in a background job whose progress the `ImportJob` row keeps.

The row loop is `pipeline.validate`; each kind (`kinds/`) checks and writes its rows. Files are
opened by `files.open_table`, which refuses what cannot be imported safely.
"""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core import audit
from lantoa.core.errors import ValidationError, require
from lantoa.imports.base import ImportContext, Kind, RowError
from lantoa.imports.files import FileRejected, Table, open_table, sheet_names
from lantoa.imports.kinds import KINDS
from lantoa.imports.models import ImportJob
from lantoa.imports.parsers import cell_text
from lantoa.imports.pipeline import (
    ErrorSink,
    match_columns,
    missing_columns,
    unmatched_headers,
    validate,
)
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, User, can

__all__ = [
    "PREVIEW_ROWS",
    "Preview",
    "PreviewRow",
    "create_job",
    "import_path",
    "kinds_for",
    "preview",
    "resolve_kind",
    "run",
    "set_mapping",
    "start",
]

logger = logging.getLogger(__name__)
Status = ImportJob.Status
PREVIEW_ROWS = 20


def resolve_kind(kind: str | Kind) -> Kind:
    if isinstance(kind, Kind):
        return kind
    try:
        return KINDS[kind]
    except KeyError:
        raise ValidationError(
            _("Unknown kind of data: %(kind)s.") % {"kind": str(kind)[:40]}
        ) from None


def kinds_for(user: User, organization: Organization | None = None) -> list[Kind]:
    """The kinds the user may import (into the organization, when given)."""
    return [
        kind
        for kind in KINDS.values()
        if kind.columns and can(user, Perm(kind.permission), organization)
    ]


def _missing_message(kind: Kind, mapping: Mapping[str, int]) -> str:
    missing = missing_columns(kind, dict(mapping))
    if not missing:
        return ""
    return _("The file has no column for: %(columns)s. Map them below or use the template.") % {
        "columns": ", ".join(str(column.header) for column in missing)
    }


def _estimate_rows(path: Path, table: Table) -> int | None:
    """Data rows of the table: known for an XLSX; for a CSV, its lines counted (fast)."""
    if table.total_rows is not None:
        return table.total_rows
    lines = 0
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - table.header_line, 0)


def _describe(job: ImportJob, table: Table, kind: Kind, path: Path) -> None:
    job.file_kind = table.file_kind
    job.sheet = table.sheet[:255]
    job.headers = list(table.headers)
    job.total_estimate = _estimate_rows(path, table)
    if not job.mapping:
        job.mapping = match_columns(kind, table.headers)
    job.status = Status.UPLOADED if missing_columns(kind, job.mapping) else Status.READY


# --- upload, preview, mapping, start ------------------------------------------------------------


def create_job(
    *,
    by: User,
    kind: str | Kind,
    organization: Organization,
    upload: UploadedFile,
    filename: str,
) -> ImportJob:
    """Keep the uploaded file as a new job, after checking that it can be read.

    A refused file (type, size, structure...) raises ValidationError with the reason, and
    nothing is kept."""
    kind = resolve_kind(kind)
    require(can(by, Perm(kind.permission), organization))
    limit = settings.IMPORT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1048576, 1), "limit": limit // 1048576}
        )
    if not upload.size:
        raise ValidationError(_("The file is empty."))
    job = ImportJob.objects.create(
        kind=kind.name,
        organization=organization,
        filename=filename[:255],
        requested_by=by,
    )
    try:
        suffix = Path(filename).suffix.lower()
        job.file.save(f"tep{suffix if suffix in ('.xlsx', '.csv') else ''}", upload, save=False)
        _read_sheet(job, kind)
    except BaseException:
        _discard(job)
        raise
    job.save()
    return job


def _unreadable() -> str:
    return _("The file could not be read. Save it again as .xlsx or .csv and retry.")


def _read_sheet(job: ImportJob, kind: Kind, sheet: str | None = None) -> None:
    """Open the job's file (the chosen sheet, else the first visible one) and describe the
    job from it; a refused or unreadable file raises ValidationError with the reason."""
    path = Path(job.file.path)
    try:
        table = open_table(path, filename=job.filename, sheet=sheet)
        try:
            _describe(job, table, kind, path)
        finally:
            table.close()
    except FileRejected as error:
        raise ValidationError(error.message) from None
    except Exception:
        logger.exception("import %s: the file could not be read", job.pk)
        raise ValidationError(_unreadable()) from None


def _discard(job: ImportJob) -> None:
    if job.file:
        job.file.delete(save=False)
    job.delete()


@dataclass
class PreviewCell:
    text: str
    error: str = ""


@dataclass
class PreviewRow:
    line: int
    cells: list[PreviewCell]
    errors: list[str] = field(default_factory=list)  # reasons about the whole row

    @property
    def ok(self) -> bool:
        return not self.errors and not any(cell.error for cell in self.cells)


@dataclass
class Preview:
    job: ImportJob
    kind: Kind
    headers: list[str]
    mapping: dict[str, int]
    missing: list[str]  # required columns with no file column
    unmatched: list[str]  # file headers no column reads
    rows: list[PreviewRow]
    total: int | None
    rejected: int  # rows of the preview with at least one error
    error: str = ""  # the file or the check failed as a whole

    @property
    def can_import(self) -> bool:
        return not self.missing and not self.error and self.job.status == Status.READY


def preview(job: ImportJob) -> Preview:
    """The first rows of the file as the import would read them, with their errors; nothing
    is written."""
    kind = resolve_kind(job.kind)
    mapping = {key: int(index) for key, index in (job.mapping or {}).items()}
    result = Preview(
        job=job,
        kind=kind,
        headers=list(job.headers),
        mapping=mapping,
        missing=[str(column.header) for column in missing_columns(kind, mapping)],
        unmatched=unmatched_headers(job.headers, mapping),
        rows=[],
        total=job.total_estimate,
        rejected=0,
    )
    try:
        table = open_table(Path(job.file.path), filename=job.filename, sheet=job.sheet or None)
    except FileRejected as error:
        result.error = error.message
        return result
    except Exception:
        logger.exception("import %s: preview could not open the file", job.pk)
        result.error = _unreadable()
        return result
    try:
        first: list[tuple[int, list[Any]]] = []
        for line, cells in table.rows():
            first.append((line, list(cells)))
            if len(first) >= PREVIEW_ROWS:
                break
        sink = ErrorSink()
        if not result.missing:
            importer = kind.importer(_context(job))
            try:
                importer.begin()
                validate(first, kind, importer, mapping, job.headers, sink)
                finish = getattr(importer, "finish", None)
                if finish is not None:
                    sink.add(finish(), None)
            finally:
                importer.close()
    except FileRejected as error:
        result.error = error.message
        return result
    except Exception:
        logger.exception("import %s: preview failed", job.pk)
        result.error = _("The preview failed. Check the file, or ask the administrator.")
        return result
    finally:
        table.close()
    result.rows, result.rejected = _preview_rows(first, job.headers, sink.kept)
    return result


def _preview_rows(
    first: list[tuple[int, list[Any]]],
    headers: list[str],
    kept: list[tuple[RowError, list[str] | None]],
) -> tuple[list[PreviewRow], int]:
    column_of = {header: index for index, header in enumerate(headers) if header}
    by_line: dict[int, list[RowError]] = {}
    for error, _cells in kept:
        by_line.setdefault(error.line, []).append(error)
    rows = []
    for line, cells in first:
        row = PreviewRow(line, [PreviewCell(cell_text(cell)) for cell in cells])
        for error in by_line.get(line, ()):
            index = column_of.get(error.column)
            if index is not None and index < len(row.cells):
                cell = row.cells[index]
                cell.error = f"{cell.error} {error.message}".strip()
            else:
                row.errors.append(error.message)
        rows.append(row)
    return rows, sum(1 for row in rows if not row.ok)


def sheets_of(job: ImportJob) -> list[str]:
    """The visible sheets of the job's workbook, for the sheet picker ([] for a CSV or a
    file that can no longer be read: the preview says why)."""
    if job.file_kind != "xlsx" or not job.file:
        return []
    try:
        return sheet_names(Path(job.file.path))
    except Exception:  # FileRejected or damaged: the preview reports the file's problem
        return []


def set_sheet(job: ImportJob, sheet: str, by: User) -> ImportJob:
    """Read another sheet of the uploaded workbook: its headers replace the old ones and the
    columns are matched again."""
    kind = resolve_kind(job.kind)
    require(can(by, Perm(kind.permission), job.organization))
    if job.status not in (Status.UPLOADED, Status.READY):
        raise ValidationError(_("This import has already started."))
    if job.file_kind != "xlsx":
        raise ValidationError(_("Only an Excel workbook (.xlsx) has sheets to choose from."))
    job.mapping = {}
    _read_sheet(job, kind, sheet)
    job.save(update_fields=["sheet", "headers", "mapping", "total_estimate", "status"])
    return job


def set_mapping(job: ImportJob, mapping: Mapping[str, int | None], by: User) -> ImportJob:
    """Assign a file column (its index) to each of the kind's columns; None leaves one out."""
    kind = resolve_kind(job.kind)
    require(can(by, Perm(kind.permission), job.organization))
    if job.status not in (Status.UPLOADED, Status.READY):
        raise ValidationError(_("This import has already started."))
    known = {column.key for column in kind.columns}
    clean: dict[str, int] = {}
    used: dict[int, str] = {}
    for key, index in mapping.items():
        if key not in known or index is None or index == "":
            continue
        index = int(index)
        if not 0 <= index < len(job.headers):
            raise ValidationError(_("Choose one of the file's columns."))
        if index in used:
            raise ValidationError(
                _("The file column “%(header)s” is chosen twice.") % {"header": job.headers[index]}
            )
        used[index] = key
        clean[key] = index
    job.mapping = clean
    job.status = Status.UPLOADED if missing_columns(kind, clean) else Status.READY
    job.save(update_fields=["mapping", "status"])
    return job


def start(job: ImportJob, by: User) -> ImportJob:
    """Queue the import of a ready job; starting it again (a double click) changes nothing."""
    kind = resolve_kind(job.kind)
    require(can(by, Perm(kind.permission), job.organization))
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != Status.READY:
            if locked.status == Status.UPLOADED:
                raise ValidationError(_missing_message(kind, locked.mapping))
            return locked
        locked.status = Status.QUEUED
        locked.step = "queued"
        locked.save(update_fields=["status", "step"])
    from lantoa.imports.tasks import run_import

    result = run_import.enqueue(locked.pk)
    ImportJob.objects.filter(pk=locked.pk, task_id="").update(task_id=str(result.id)[:64])
    locked.refresh_from_db()
    return locked


# --- the job ------------------------------------------------------------------------------------


def _context(job: ImportJob) -> ImportContext:
    return ImportContext(job=job, user=job.requested_by, organization=job.organization)


def _update(job: ImportJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def run(job_id: int) -> ImportJob:
    """The background task's body: import the queued job's file."""
    job = ImportJob.objects.select_related("organization", "requested_by").get(pk=job_id)
    if job.status != Status.QUEUED:
        return job
    if not job.file:
        _fail(job, _("The file of this import is gone."))
        return job
    return _execute(job, Path(job.file.path))


def _fail(job: ImportJob, message: str, **fields: Any) -> None:
    _update(job, status=Status.FAILED, error=message, finished_at=timezone.now(), **fields)
    audit.record(
        job, "imports.finished", changes={"status": [None, "failed"]}, actor=job.requested_by
    )


def _unexpected() -> str:
    return _(
        "The import failed because of an unexpected error; nothing was written. "
        "Tell the administrator."
    )


def _execute(
    job: ImportJob,
    path: Path,
    *,
    max_bytes: int | None = None,
    report: Callable[[int], None] | None = None,
) -> ImportJob:
    """Open, validate every row, and write everything or nothing."""
    kind = resolve_kind(job.kind)
    _update(job, status=Status.RUNNING, step="reading", started_at=timezone.now(), done=0)
    audit.record(
        job, "imports.started", changes={"file": [None, job.filename]}, actor=job.requested_by
    )
    try:
        table = open_table(
            path, filename=job.filename, max_bytes=max_bytes, sheet=job.sheet or None
        )
    except FileRejected as error:
        _fail(job, error.message)
        return job
    except Exception:
        logger.exception("import %s: the file could not be opened", job.pk)
        _fail(job, _unreadable())
        return job
    if not job.file:
        _keep_file(job, path, table.file_kind)
    importer = None
    try:
        if not job.headers:
            job.headers = list(table.headers)
        mapping = {key: int(index) for key, index in (job.mapping or {}).items()}
        if not mapping:
            mapping = match_columns(kind, table.headers)
            job.mapping = mapping
        total = job.total_estimate or _estimate_rows(path, table) or 0
        _update(
            job,
            headers=list(table.headers),
            mapping=mapping,
            sheet=table.sheet[:255],
            file_kind=table.file_kind,
            total=total,
        )
        missing = _missing_message(kind, mapping)
        if missing:
            _fail(job, missing)
            return job
        importer = kind.importer(_context(job))
        importer.begin()
        sink = ErrorSink(job_id=job.pk)
        job_pk = job.pk

        def progress(count: int) -> None:
            ImportJob.objects.filter(pk=job_pk).update(done=count)
            if report is not None:
                report(count)

        count = validate(
            table.rows(), kind, importer, mapping, table.headers, sink, progress=progress
        )
        finish = getattr(importer, "finish", None)
        late = finish() if finish is not None else []
        if late:
            _reject_late(late, table, sink)
        sink.flush()
        _update(job, done=count, total=max(count, 1))
        if sink.rows:
            _fail(job, "", rejected=sink.rows, step="checked")
            return job
        _update(job, step="writing")
        with transaction.atomic():
            counts = importer.write()
            _update(
                job,
                status=Status.DONE,
                step="done",
                created=counts.created,
                updated=counts.updated,
                unchanged=counts.unchanged,
                rejected=0,
                finished_at=timezone.now(),
            )
            audit.record(
                job,
                "imports.finished",
                changes={
                    "created": [None, counts.created],
                    "updated": [None, counts.updated],
                    "unchanged": [None, counts.unchanged],
                },
                actor=job.requested_by,
            )
    except FileRejected as error:
        _fail(job, error.message)
    except Exception:
        logger.exception("import %s (%s) failed", job.pk, job.kind)
        from lantoa.imports.models import ImportRowError

        ImportRowError.objects.filter(job_id=job.pk).delete()
        _fail(job, _unexpected(), rejected=0)
    finally:
        if importer is not None:
            try:
                importer.close()
            except Exception:
                logger.exception("import %s: close failed", job.pk)
        table.close()
    return job


def _reject_late(late: list[RowError], table: Table, sink: ErrorSink) -> None:
    """Errors found after the loop (e.g. a parent further down): the rows' cells are read
    again so that the rejected-rows file has them."""
    by_line: dict[int, list[RowError]] = {}
    for error in late:
        by_line.setdefault(error.line, []).append(error)
    for line, cells in table.rows():
        errors = by_line.pop(line, None)
        if errors:
            sink.add(errors, cells)
            if not by_line:
                break
    for errors in by_line.values():
        sink.add(errors, None)


def _keep_file(job: ImportJob, path: Path, file_kind: str) -> None:
    """A file imported from disk is kept with its job, as an uploaded one is: the evidence
    behind the job's audit entries (they name its lines)."""
    with path.open("rb") as source:
        job.file.save(f"tep.{file_kind}", File(source), save=False)
    ImportJob.objects.filter(pk=job.pk).update(file=job.file.name)


def import_path(
    path: str | Path,
    *,
    kind: str | Kind,
    by: User,
    organization: Organization,
    mapping: Mapping[str, int] | None = None,
    max_bytes: int | None = None,
    sheet: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportJob:
    """Import a file on disk now (command line, tests, benchmark): the same checks and loop as
    the background job, without copying the file. Returns the finished job (DONE or FAILED,
    its errors in `row_errors`)."""
    kind = resolve_kind(kind)
    require(can(by, Perm(kind.permission), organization))
    path = Path(path)
    job = ImportJob.objects.create(
        kind=kind.name,
        organization=organization,
        filename=path.name[:255],
        sheet=(sheet or "")[:255],
        mapping=dict(mapping or {}),
        requested_by=by,
        status=Status.QUEUED,
    )
    return _execute(job, path, max_bytes=max_bytes, report=progress)
