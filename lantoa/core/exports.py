"""Every list's download, as XLSX or CSV, with the list's own filters, in constant memory.

A list view keeps one function for its filters; its page paginates the result and its
export hands the whole queryset to `export_response` (or to an `Export`, which pairs each
translated header with the function that reads the cell from a row object).

- Rows are read with `queryset.iterator(chunk_size=2000)`: one query per chunk (plus one
  per `prefetch_related` per chunk), never the whole list in memory.
- CSV is a `StreamingHttpResponse`: lines are produced by the csv module as the client reads
  them. UTF-8 with a BOM so Excel opens Vietnamese text right; comma separated (RFC 4180;
  Excel with the BOM and Google Sheets / LibreOffice all read it); dates dd/mm/yyyy, times
  dd/mm/yyyy HH:MM in Vietnam's time, numbers plain (dot for decimals, no grouping).
- XLSX is written by openpyxl in write-only mode to a temporary file, then streamed by
  `FileResponse` in chunks: a bold, frozen header row, real dates shown dd/mm/yyyy, column
  widths from the headers and the first rows.
- Text that a spreadsheet would run as a formula ("=", "+", "-", "@" first) is kept as
  text: XLSX cells are typed as strings; CSV cells get a leading apostrophe (OWASP).
"""

import csv
import datetime
import decimal
import itertools
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lantoa.core.text import search_key

__all__ = [
    "CHUNK_SIZE",
    "CSV_TYPE",
    "FORMATS",
    "XLSX_TYPE",
    "Export",
    "export_format",
    "export_response",
    "iter_rows",
]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
CHUNK_SIZE = 2000
BOM = "\ufeff"
DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
XLSX_DATE = "dd/mm/yyyy"
XLSX_DATETIME = "dd/mm/yyyy hh:mm"
WIDTH_SAMPLE = 200  # rows read ahead to size the columns (a bounded buffer)
MIN_WIDTH, MAX_WIDTH = 8, 60
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def export_format(request: HttpRequest, fmt: str | None = None) -> str:
    """The format asked for: the URL's (export.csv) first, then `?format=`, else XLSX."""
    for value in (fmt, request.GET.get("format")):
        if value in FORMATS:
            return value
    return "xlsx"


def iter_rows(source: Iterable[Any], chunk_size: int = CHUNK_SIZE) -> Iterator[Any]:
    """Objects of a queryset a chunk at a time (constant memory), or any iterable as is."""
    if isinstance(source, QuerySet):
        return source.iterator(chunk_size=chunk_size)
    return iter(source)


@dataclass(frozen=True)
class Export:
    """A list's export: headers (lazy, translated when the file is made) and, for each, the
    function reading the cell from one row object."""

    filename_stem: str
    title: str | Promise
    columns: Sequence[tuple[str | Promise, Callable[[Any], Any]]]

    def headers(self) -> list[str]:
        return [str(header) for header, _read in self.columns]

    def rows(self, objects: Iterable[Any]) -> Iterator[tuple]:
        readers = [read for _header, read in self.columns]
        for obj in iter_rows(objects):
            yield tuple(read(obj) for read in readers)

    def response(
        self, request: HttpRequest, objects: Iterable[Any], fmt: str | None
    ) -> HttpResponse:
        return export_response(
            request,
            filename_stem=self.filename_stem,
            title=str(self.title),
            headers=self.headers(),
            rows=self.rows(objects),
            fmt=fmt,
        )


def export_response(
    request: HttpRequest,
    *,
    filename_stem: str,
    title: str,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    fmt: str | None,
) -> HttpResponse:
    """The download of a list: `rows` are consumed once, as they come (never all in memory)."""
    fmt = export_format(request, fmt)
    headers = [str(header) for header in headers]
    filename = f"{_ascii_stem(filename_stem)}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        response: HttpResponse = StreamingHttpResponse(
            _csv_lines(headers, rows, translation.get_language()), content_type=CSV_TYPE
        )
    else:
        response = FileResponse(_xlsx_file(title, headers, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _ascii_stem(stem: str) -> str:
    """An ASCII file name: "Đảng viên" -> "dang-vien" (the views already pass ASCII)."""
    plain = search_key(str(stem)).replace(" ", "-")
    return _UNSAFE_NAME.sub("-", plain).strip("-.") or "export"


# --- CSV ---------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write() hands the line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(headers: list[str], rows: Iterable[Sequence[Any]], language: str | None):
    writer = csv.writer(_Echo())
    # The generator runs after the view returned: keep the request's language for labels.
    with translation.override(language):
        yes, no = _("Yes"), _("No")
        yield BOM + writer.writerow(headers)
        for row in rows:
            yield writer.writerow([_csv_cell(value, yes, no) for value in row])


def _csv_cell(value: Any, yes: str, no: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, int | float | decimal.Decimal):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    return _csv_cell(str(value), yes, no)


# --- XLSX --------------------------------------------------------------------------------


def _xlsx_file(title: str, headers: list[str], rows: Iterable[Sequence[Any]]):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE))
    for index, width in enumerate(_widths(headers, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_xlsx_text(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    yes, no = _("Yes"), _("No")
    for row in itertools.chain(sample, rows):
        sheet.append([_xlsx_cell(sheet, value, yes, no) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\\/*?:\[\]]", " ", str(title)).strip()
    return (cleaned or "Sheet")[:31]


def _xlsx_text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if ILLEGAL_CHARACTERS_RE.search(value) else value


def _xlsx_cell(sheet: Any, value: Any, yes: str, no: str) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        value = _xlsx_text(value)
        if value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, never a formula
            return cell
        return value
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, int | float | decimal.Decimal):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = XLSX_DATETIME
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATE
        return cell
    return _xlsx_cell(sheet, str(value), yes, no)


def _widths(headers: list[str], sample: list[Sequence[Any]]) -> list[int]:
    widths = [len(header) for header in headers]
    for row in sample:
        for index, value in enumerate(row[: len(widths)]):
            if isinstance(value, datetime.datetime):
                length = 16
            elif isinstance(value, datetime.date):
                length = 10
            elif value is None:
                continue
            else:
                length = max((len(line) for line in str(value).splitlines()), default=0)
            widths[index] = max(widths[index], length)
    return [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]
