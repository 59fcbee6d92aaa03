"""The import's hot loop: every data row of a table through its kind's parsers and checks.

One function, `validate`, reads the rows once: each mapped cell through its column's parser,
required cells, duplicates of the natural key inside the file, then the importer's own
`check`; valid rows go to `importer.add`, rejected rows to an `ErrorSink` with their
original cells. Nothing here writes the kind's data: `importer.write()` is the caller's,
inside a transaction, only when no row was rejected.

It runs once per row of files of a million rows, so everything that can be computed once is:
the plan of columns, the translated messages, the defaults of unmapped columns. No query,
no gettext and no logging per row; progress is saved every `PROGRESS_EVERY` rows.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from lantoa.core.text import search_key
from lantoa.imports.base import CellError, Column, Importer, Kind, RowError
from lantoa.imports.parsers import cell_text

__all__ = [
    "ERROR_BATCH",
    "PROGRESS_EVERY",
    "ErrorSink",
    "column_headers",
    "match_columns",
    "missing_columns",
    "unmatched_headers",
    "validate",
]

PROGRESS_EVERY = 20_000
ERROR_BATCH = 5_000

Cells = Sequence[Any]
Rows = Iterable[tuple[int, Cells]]


# --- header matching ----------------------------------------------------------------------------


def column_headers(column: Column) -> list[str]:
    """Every header accepted for a column: its Vietnamese and English headers, its aliases."""
    names = [str(column.header)]
    with translation.override("en"):
        names.append(str(column.header))
    with translation.override("vi"):
        names.append(str(column.header))
    names.extend(column.aliases)
    names.append(column.key)
    return names


def match_columns(kind: Kind, headers: Sequence[str]) -> dict[str, int]:
    """{column key: index of the file's header} for every column whose header (or an alias)
    appears in the file, compared without case, diacritics or extra spaces; a trailing
    " *" (the template's required mark) is ignored."""
    index_of: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = search_key(header.rstrip(" *"))
        if key and key not in index_of:
            index_of[key] = index
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for column in kind.columns:
        for name in column_headers(column):
            index = index_of.get(search_key(name))
            if index is not None and index not in taken:
                mapping[column.key] = index
                taken.add(index)
                break
    return mapping


def missing_columns(kind: Kind, mapping: dict[str, int]) -> list[Column]:
    """Required columns the mapping leaves out."""
    return [column for column in kind.columns if column.required and column.key not in mapping]


def unmatched_headers(headers: Sequence[str], mapping: dict[str, int]) -> list[str]:
    """File headers no column reads (ignored by the import)."""
    used = set(mapping.values())
    return [header for index, header in enumerate(headers) if index not in used and header]


# --- rejected rows ------------------------------------------------------------------------------


@dataclass
class ErrorSink:
    """Collects rejected rows. With a job, they are written to `ImportRowError` in batches
    (never all held in memory); without one (a preview), kept in `kept`."""

    job_id: int | None = None
    batch: int = ERROR_BATCH
    rows: int = 0  # rejected rows
    errors: int = 0  # reasons (a row may have several)
    kept: list[tuple[RowError, list[str] | None]] = field(default_factory=list)
    rename: dict[str, str] = field(default_factory=dict)  # kind header -> file header

    def add(self, errors: list[RowError], cells: Cells | None) -> None:
        text = [cell_text(cell) for cell in cells] if cells is not None else None
        self.rows += 1
        rename = self.rename
        for error in errors:
            if error.column in rename:
                error = RowError(error.line, rename[error.column], error.message)
            self.kept.append((error, text))
            text = None  # the cells once per row: on its first reason
        self.errors += len(errors)
        if self.job_id is not None and len(self.kept) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.job_id is None or not self.kept:
            return
        from lantoa.imports.models import ImportRowError

        ImportRowError.objects.bulk_create(
            [
                ImportRowError(
                    job_id=self.job_id,
                    line=error.line,
                    column=error.column[:255],
                    message=error.message,
                    cells=cells,
                )
                for error, cells in self.kept
            ],
            batch_size=1000,
        )
        self.kept = []


# --- the loop -----------------------------------------------------------------------------------


def _default(column: Column) -> Any:
    try:
        return column.parse(None)
    except (CellError, TypeError, AttributeError):
        return None


def validate(
    rows: Rows,
    kind: Kind,
    importer: Importer,
    mapping: dict[str, int],
    headers: Sequence[str],
    sink: ErrorSink,
    *,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
    every: int = PROGRESS_EVERY,
) -> int:
    """Read the rows (at most `limit`), pass the valid ones to `importer.add` and the rejected
    ones to the sink; returns the number of rows read."""
    width = len(headers)
    plan: list[tuple[int, Callable[[Any], Any], str]] = []
    required: list[str] = []
    defaults: dict[str, Any] = {}
    by_key = {column.key: column for column in kind.columns}
    for column in kind.columns:
        index = mapping.get(column.key)
        if index is None or index >= width:
            defaults[column.key] = _default(column)
            continue
        plan.append((index, column.parse, column.key))
        if column.required:
            required.append(column.key)
    file_header = {key: headers[index] for key, index in mapping.items() if index < width}
    sink.rename.update(
        {str(by_key[key].header): header for key, header in file_header.items() if key in by_key}
    )
    key_columns = tuple(kind.key)
    key_headers = ", ".join(
        file_header.get(key) or str(by_key[key].header) for key in key_columns if key in by_key
    )
    key_header = file_header.get(key_columns[0], "") if key_columns else ""
    required_message = _("This column is required.")
    duplicate_message = _("Same %(columns)s as line %(line)s.")

    def cell_errors(line: int, cells: Cells) -> list[RowError]:
        # The slow path, for a row with at least one bad cell: every cell, every reason.
        errors = []
        for column in kind.columns:
            index = mapping.get(column.key)
            if index is None or index >= width:
                continue
            header = headers[index]
            try:
                value = column.parse(cells[index])
            except CellError as error:
                errors.append(RowError(line, header, str(error)))
                continue
            if column.required and (value is None or value == ""):
                errors.append(RowError(line, header, required_message))
        return errors

    seen: dict[Any, int] = {}
    single = key_columns[0] if len(key_columns) == 1 else None
    check = importer.check
    add = importer.add
    reject = sink.add
    count = 0
    tick = every
    source: Iterator[tuple[int, Cells]] = iter(rows)
    for line, cells in source:
        values = defaults.copy()
        try:
            for index, parse, key in plan:
                values[key] = parse(cells[index])
        except CellError:
            errors = cell_errors(line, cells)
        else:
            errors = None
            for key in required:
                value = values[key]
                if value is None or value == "":
                    errors = cell_errors(line, cells)
                    break
        if errors:
            reject(errors, cells)
        else:
            # One key column (the usual case): the value itself, not a tuple (memory).
            natural = values[single] if single else tuple([values[key] for key in key_columns])
            first = seen.get(natural)
            if first is not None:
                reject(
                    [
                        RowError(
                            line,
                            key_header,
                            duplicate_message % {"columns": key_headers, "line": first},
                        )
                    ],
                    cells,
                )
            else:
                seen[natural] = line
                problems = check(values, line)
                if problems:
                    reject(problems, cells)
                else:
                    add(values, line)
        count += 1
        if count == tick:
            tick += every
            if progress is not None:
                progress(count)
        if limit is not None and count >= limit:
            break
    return count
