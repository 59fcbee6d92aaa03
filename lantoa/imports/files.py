"""Safe reading of uploaded XLSX and CSV files for the import engine.

Everything a user uploads is checked before anything is parsed: size, type (from the
content, never the name), and for an XLSX the zip itself (entries, sizes, compression
ratios, encryption), its XML (DTDs and entities refused, parsed with defusedxml only), the
chosen sheet's declared and real row counts, formulas and merged cells. A file that fails a
check raises `FileRejected` whose `message` tells the user why and what to do.

A file that passes gives a `Table`: its headers and an iterator of its data rows as
`(line, cells)`, read with python-calamine (XLSX) or the csv module (CSV), in constant
memory for CSV.
"""

import codecs
import csv
import datetime
import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _

from lantoa.core.text import search_key

__all__ = ["FileRejected", "Table", "open_table", "sheet_names", "sniff_kind"]

_CHUNK = 1024 * 1024  # bytes read at a time when streaming
_MAX_XML_PART = 16 * 1024 * 1024  # workbook.xml, its rels: parsed whole, so bounded
_MAX_SHEET_TAIL = 32 * 1024 * 1024  # what follows </sheetData> (merged cells...), parsed whole
_RATIO_FLOOR = 1024 * 1024  # members smaller than this cannot be bombs: ratio not checked
_HEAD = 65536  # the start of a sheet's XML: root element, <dimension>
_MB = 1024 * 1024
# what reading a damaged zip member may raise
_READ_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
)

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_REL_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


class FileRejected(Exception):
    """The whole file is refused; `message` is a Vietnamese sentence (gettext) saying why and
    what to do."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass
class Table:
    file_kind: str  # "xlsx" or "csv"
    sheet: str  # the sheet's name; for CSV the file's name
    headers: list[str]  # header cells as text: NFC, stripped; "" for an empty header cell
    header_line: int  # 1-based line of the header row in the sheet (normally 1)
    total_rows: int | None  # data rows, when known without reading them (XLSX) else None
    _reader: Callable[[], Iterator[tuple[int, list[Any]]]] = field(
        repr=False, default=lambda: iter(())
    )
    _closer: Callable[[], None] = field(repr=False, default=lambda: None)

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Each data row as (1-based line number as the user sees it, cells). Cells are what
        the parsers accept: str (stripped), int, float, bool, datetime.date,
        datetime.datetime, or None for empty. Rows with every cell empty are skipped. Rows
        are padded/truncated to len(headers). Can be called more than once (re-reads from
        the start). A CSV damaged after its first rows raises FileRejected while iterating."""
        return self._reader()

    def close(self) -> None:
        self._closer()

    def __enter__(self) -> "Table":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- size and kind -------------------------------------------------------------------------


def _mb(size: int) -> str:
    value = size / _MB
    text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return text.replace(".", ",")


def _check_size(path: Path, max_bytes: int | None) -> int:
    limit = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
    except OSError:
        raise FileRejected(_("The file could not be read; upload it again.")) from None
    if size == 0:
        raise FileRejected(_("The file is empty."))
    if size > limit:
        raise FileRejected(
            _(
                "The file is too large: %(size)s MB, the limit is %(limit)s MB. "
                "Split it into smaller files."
            )
            % {"size": _mb(size), "limit": _mb(limit)}
        )
    return size


_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"\x1f\x8b", "gzip"),
    (b"{\\rtf", "RTF"),
    (b"MZ", "EXE"),
    (b"\x7fELF", "ELF"),
)


def _head(path: Path, size: int = 8192) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        raise FileRejected(_("The file could not be read; upload it again.")) from None


def _not_xlsx_zip(zf: zipfile.ZipFile) -> FileRejected:
    names = set(zf.namelist())
    if "mimetype" in names or "content.xml" in names:
        return FileRejected(
            _(
                "This is an OpenDocument file (.ods), not an Excel workbook. "
                "Open it and save it as Excel Workbook (.xlsx)."
            )
        )
    if "word/document.xml" in names:
        return FileRejected(_("This is a Word document, not an Excel workbook (.xlsx)."))
    if "ppt/presentation.xml" in names:
        return FileRejected(_("This is a PowerPoint presentation, not an Excel workbook."))
    return FileRejected(
        _("This is a zip archive, not an Excel workbook (.xlsx). Upload the .xlsx file itself.")
    )


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (*_READ_ERRORS, KeyError, IndexError, OverflowError):
        raise FileRejected(
            _("The Excel file is damaged and cannot be opened. Save it again in Excel.")
        ) from None


def sniff_kind(path: Path, filename: str = "") -> str:
    """ "xlsx" or "csv", from the content (the name is only used to word the refusal)."""
    head = _head(path)
    if not head:
        raise FileRejected(_("The file is empty."))
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        with _open_zip(path) as zf:
            names = set(zf.namelist())
            if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                return "xlsx"
            raise _not_xlsx_zip(zf)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise FileRejected(
            _(
                "This is an old Excel file (.xls) or a password-protected workbook. "
                "Open it in Excel, remove any password and save it as Excel Workbook (.xlsx)."
            )
        )
    for signature, label in _SIGNATURES:
        if head.startswith(signature):
            raise FileRejected(
                _("This is a %(kind)s file, not an Excel workbook (.xlsx) or a CSV file.")
                % {"kind": label}
            )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"  # UTF-16 with a BOM: NULs are part of the encoding
    if b"\x00" in head:
        raise FileRejected(_("This is not a text file: upload an Excel workbook (.xlsx) or CSV."))
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table")):
        raise FileRejected(
            _(
                "This is a web page (HTML), not an Excel workbook, even if its name ends in .xls. "
                "Open it in Excel and save it as Excel Workbook (.xlsx)."
            )
        )
    if start.startswith(b"<?xml"):
        raise FileRejected(
            _(
                "This is an XML file, not an Excel workbook (.xlsx). "
                "Open it in Excel and save it as Excel Workbook (.xlsx)."
            )
        )
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise FileRejected(
            _(
                "The file is named .xlsx but is not an Excel workbook. "
                "Open it in Excel and save it as Excel Workbook (.xlsx)."
            )
        )
    return "csv"


# --- XLSX structure ------------------------------------------------------------------------


def _check_zip(zf: zipfile.ZipFile) -> None:
    infos = zf.infolist()
    if len(infos) > settings.IMPORT_MAX_ZIP_ENTRIES:
        raise FileRejected(
            _("The workbook holds %(count)s parts, more than a spreadsheet needs (%(limit)s).")
            % {"count": len(infos), "limit": settings.IMPORT_MAX_ZIP_ENTRIES}
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise FileRejected(
                _("The workbook is encrypted. Remove the password in Excel and upload it again.")
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise FileRejected(
                _("The Excel file is damaged and cannot be opened. Save it again in Excel.")
            )
        total += info.file_size
        if info.file_size > _RATIO_FLOOR and (
            info.file_size > settings.IMPORT_MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            raise FileRejected(
                _(
                    "The workbook is compressed abnormally (a zip bomb?) and is refused. "
                    "Save the data again in a new workbook."
                )
            )
    if total > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
        raise FileRejected(
            _(
                "The workbook would take %(size)s MB once opened, "
                "more than the limit of %(limit)s MB."
            )
            % {"size": _mb(total), "limit": _mb(settings.IMPORT_MAX_UNCOMPRESSED_BYTES)}
        )


def _damaged() -> FileRejected:
    return FileRejected(
        _("The Excel file is damaged and cannot be read. Open it and save it again in Excel.")
    )


def _read_member(zf: zipfile.ZipFile, name: str, limit: int = _MAX_XML_PART) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise _damaged() from None
    if info.file_size > limit:
        raise _damaged()
    try:
        with zf.open(info) as handle:
            data = handle.read(limit + 1)
    except _READ_ERRORS:
        raise _damaged() from None
    if len(data) > limit:
        raise _damaged()
    return data


def _parse_xml(data: bytes) -> Any:
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise _dtd_refused() from None
    except (SafeET.ParseError, ValueError, UnicodeError):
        raise _damaged() from None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


@dataclass(frozen=True)
class _SheetInfo:
    name: str  # NFC, shown to users
    raw_name: str  # as written in the workbook, for calamine
    visible: bool
    member: str | None  # the worksheet's zip member; None for a chart sheet or a missing part


def _sheets(zf: zipfile.ZipFile) -> list[_SheetInfo]:
    workbook = _parse_xml(_read_member(zf, "xl/workbook.xml"))
    targets: dict[str, str] = {}
    rels_name = "xl/_rels/workbook.xml.rels"
    names = set(zf.namelist())
    if rels_name in names:
        rels = _parse_xml(_read_member(zf, rels_name))
        for rel in rels:
            if _local(rel.tag) != "Relationship":
                continue
            rel_type = rel.get("Type", "")
            target = rel.get("Target", "")
            if not rel_type.endswith("/worksheet") or rel.get("TargetMode") == "External":
                continue
            if target.startswith("/"):
                member = posixpath.normpath(target.lstrip("/"))
            else:
                member = posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id", "")] = member
    result = []
    for element in workbook.iter():
        if _local(element.tag) != "sheet":
            continue
        rid = element.get(f"{{{_NS_REL}}}id") or element.get(f"{{{_NS_REL_STRICT}}}id") or ""
        member = targets.get(rid)
        raw_name = element.get("name", "")
        result.append(
            _SheetInfo(
                name=unicodedata.normalize("NFC", raw_name).strip(),
                raw_name=raw_name,
                visible=element.get("state", "visible") == "visible",
                member=member if member in names else None,
            )
        )
    return result


def _checked_zip(path: Path) -> zipfile.ZipFile:
    zf = _open_zip(path)
    try:
        _check_zip(zf)
        names = set(zf.namelist())
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise _not_xlsx_zip(zf)
    except BaseException:
        zf.close()
        raise
    return zf


def sheet_names(path: Path) -> list[str]:
    """The visible worksheets of an XLSX, in workbook order, for a sheet picker."""
    if sniff_kind(path) != "xlsx":
        raise FileRejected(_("Only an Excel workbook (.xlsx) has sheets to choose from."))
    with _checked_zip(path) as zf:
        return [s.name for s in _sheets(zf) if s.visible and s.member]


_CELL_REF = re.compile(rb"^([A-Za-z]{1,3})([0-9]{1,7})$")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*?ref\s*=\s*[\"']([^\"']*)[\"']")
_C_REF = re.compile(rb"\sr\s*=\s*[\"']([A-Za-z]{1,3}[0-9]{1,7})[\"']")


def _row_of(ref: str) -> int | None:
    match = _CELL_REF.match(ref.encode())
    return int(match.group(2)) if match else None


def _declared_rows(head: bytes) -> int | None:
    match = _DIMENSION.search(head)
    if not match:
        return None
    ref = match.group(1).decode("ascii", "replace").strip()
    last = ref.rsplit(":", 1)[-1]
    return _row_of(last)


_PROLOGUE_LIMIT = 65536
_NAME_START = re.compile(rb"<[A-Za-z_]")


def _dtd_refused() -> FileRejected:
    return FileRejected(
        _(
            "The workbook contains a document type declaration (DTD), which is not allowed. "
            "Save it again in Excel."
        )
    )


def _root_start(head: bytes) -> int:
    """Where the root element of an XML part starts, after the XML declaration, comments and
    processing instructions; a DTD (hence any entity) or a non-UTF-8 part is refused."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRejected(
            _("The workbook uses a text encoding Excel does not write. Save it again in Excel.")
        )
    position = 3 if head.startswith(codecs.BOM_UTF8) else 0
    length = min(len(head), _PROLOGUE_LIMIT)
    while position < length:
        if head[position] in b" \t\r\n":
            position += 1
        elif head.startswith(b"<?", position):
            end = head.find(b"?>", position)
            if end < 0:
                break
            position = end + 2
        elif head.startswith(b"<!--", position):
            end = head.find(b"-->", position)
            if end < 0:
                break
            position = end + 3
        elif head.startswith(b"<!", position):
            raise _dtd_refused()
        elif _NAME_START.match(head, position):
            return position
        else:
            break
    raise _damaged()


def _check_parts(zf: zipfile.ZipFile) -> None:
    """The XML parts calamine reads besides the sheet: no DTD, UTF-8."""
    for name in ("[Content_Types].xml", "xl/sharedStrings.xml", "xl/styles.xml"):
        try:
            with zf.open(name) as handle:
                _root_start(handle.read(_PROLOGUE_LIMIT))
        except KeyError:
            continue
        except _READ_ERRORS:
            raise _damaged() from None


_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>/]")


@dataclass
class _SheetScan:
    declared_rows: int | None
    first_row: int | None  # the first row holding a value (the header), when seen early
    real_rows: int
    merged: list[str]


def _formula_cell(context: bytes) -> str | None:
    start = max(context.rfind(b"<c "), context.rfind(b":c "))
    if start < 0:
        return None
    end = context.find(b">", start)
    match = _C_REF.search(context, start, end if end > 0 else len(context))
    return match.group(1).decode("ascii").upper() if match else None


def _scan_sheet(zf: zipfile.ZipFile, member: str) -> _SheetScan:
    """Stream the sheet XML once: declared size, real rows, formulas, then the tail."""
    max_rows = settings.IMPORT_MAX_ROWS
    try:
        handle = zf.open(member)
    except (KeyError, *_READ_ERRORS):
        raise _damaged() from None
    with handle:
        try:
            read = handle.read
            head = read(_HEAD)
            root = _ROOT.match(head, _root_start(head))
            if not root:
                raise _damaged()
            prefix = root.group(1) or b""
            root_end = head.find(b">", root.start())
            if root_end < 0:
                raise _damaged()
            root_tag = head[root.start() : root_end + 1]
            if root_tag.endswith(b"/>"):
                raise FileRejected(_("The sheet has no data rows."))
            declared = _declared_rows(head[:65536])
            if declared is not None and declared > max_rows:
                raise FileRejected(
                    _(
                        "The sheet declares %(declared)s rows, more than the %(limit)s allowed. "
                        "Split the data into several files."
                    )
                    % {
                        "declared": f"{declared:,}".replace(",", "."),
                        "limit": f"{max_rows:,}".replace(",", "."),
                    }
                )
            row_token = b"<" + prefix + b"row"
            f_open = b"<" + prefix + b"f>"
            f_attr = b"<" + prefix + b"f "
            f_empty = b"<" + prefix + b"f/>"
            end_token = b"</" + prefix + b"sheetData>"
            keep = max(len(end_token), len(f_empty)) - 1
            rows = 0
            tail = b""
            previous = b""
            counted = 0  # bytes at the start of `data` already searched for <row
            data = head[root_end + 1 :]
            first_row = _first_value_row(data, prefix)
            if re.search(rb"<" + re.escape(prefix) + rb"sheetData\s*/>", head):
                raise FileRejected(_("The sheet has no data rows."))
            while data:
                end = data.find(end_token)
                body = data if end < 0 else data[:end]
                rows += body.count(row_token, counted)
                formula = -1
                for token in (f_open, f_attr, f_empty):
                    found = body.find(token)
                    if found >= 0 and (formula < 0 or found < formula):
                        formula = found
                if formula >= 0:
                    ref = _formula_cell(previous[-65536:] + body[:formula])
                    if ref:
                        message = _("Cell %(cell)s holds a formula; paste values only.") % {
                            "cell": ref
                        }
                    else:
                        message = _("The sheet holds formulas; paste values only.")
                    raise FileRejected(message)
                if rows > max_rows:
                    raise FileRejected(
                        _(
                            "The sheet holds more than %(limit)s rows. "
                            "Split the data into several files."
                        )
                        % {"limit": f"{max_rows:,}".replace(",", ".")}
                    )
                if end >= 0:
                    tail = data[end + len(end_token) :]
                    break
                chunk = read(_CHUNK)
                if not chunk:
                    raise _damaged()
                # keep the last bytes so a token cut by the chunk border is found whole;
                # a <row wholly inside them was counted already
                carry = data[-keep:]
                counted = max(len(carry) - len(row_token) + 1, 0)
                previous = data
                data = carry + chunk
            parts, size = [tail], len(tail)
            while size <= _MAX_SHEET_TAIL:
                chunk = read(_CHUNK)
                if not chunk:
                    break
                parts.append(chunk)
                size += len(chunk)
            tail = b"".join(parts)
            if len(tail) > _MAX_SHEET_TAIL:
                raise _damaged()
        except _READ_ERRORS:
            raise _damaged() from None
    merged = _merged_ranges(root_tag, tail)
    return _SheetScan(declared_rows=declared, first_row=first_row, real_rows=rows, merged=merged)


_ROW_NUMBER = re.compile(rb"\sr\s*=\s*[\"']([0-9]{1,7})[\"']")


def _first_value_row(data: bytes, prefix: bytes) -> int | None:
    """The number of the first row with a value (<v> or an inline string) in the start of
    the sheet data, to tell a merged header from merged data before reading any cell."""
    positions = [
        found
        for token in (b"<" + prefix + b"v>", b"<" + prefix + b"is>")
        if (found := data.find(token)) >= 0
    ]
    if not positions:
        return None
    start = data.rfind(b"<" + prefix + b"row", 0, min(positions))
    if start < 0:
        return None
    end = data.find(b">", start)
    match = _ROW_NUMBER.search(data, start, end if end > 0 else len(data))
    return int(match.group(1)) if match else None


def _merged_ranges(root_tag: bytes, tail: bytes) -> list[str]:
    if b"mergeCell" not in tail:
        return []
    document = _parse_xml(root_tag + tail)
    return [
        element.get("ref", "")
        for element in document.iter()
        if _local(element.tag) == "mergeCell" and element.get("ref")
    ]


def _range_rows(ref: str) -> tuple[int, int] | None:
    parts = ref.strip().split(":")
    rows = [_row_of(p.strip()) for p in parts]
    if not rows or any(r is None for r in rows):
        return None
    return min(rows), max(rows)  # type: ignore[type-var]


# --- headers and rows ----------------------------------------------------------------------


def _headers(cells: list[Any]) -> list[str]:
    headers = []
    for cell in cells:
        if cell is None:
            text = ""
        elif isinstance(cell, float) and cell.is_integer():
            text = str(int(cell))
        elif isinstance(cell, datetime.datetime | datetime.date | datetime.time):
            text = cell.isoformat()
        else:
            text = str(cell)
        headers.append(unicodedata.normalize("NFC", text).strip())
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _check_headers(headers: list[str]) -> None:
    seen: dict[str, str] = {}
    duplicates: list[str] = []
    for header in headers:
        if not header:
            continue
        key = search_key(header)
        if key in seen:
            if seen[key] not in duplicates:
                duplicates.append(seen[key])
            if header not in duplicates:
                duplicates.append(header)
        else:
            seen[key] = header
    if duplicates:
        raise FileRejected(
            _("The header row repeats a column name: %(names)s. Each column needs its own name.")
            % {"names": ", ".join(f"“{name}”" for name in duplicates[:6])}
        )


def _no_data() -> FileRejected:
    return FileRejected(_("The sheet has no data rows."))


def _fit(cells: list[Any], width: int) -> list[Any]:
    length = len(cells)
    if length == width:
        return cells
    if length > width:
        return cells[:width]
    return cells + [None] * (width - length)


# --- XLSX reading --------------------------------------------------------------------------


_ODD_TYPES = frozenset({datetime.time, datetime.timedelta})  # durations, times of day


def _xlsx_cells(row: list[Any]) -> list[Any]:
    """Calamine's values as the parsers take them: strings stripped, "" -> None, a time of
    day or a duration as its text."""
    return [
        (value.strip() or None)
        if value.__class__ is str
        else (str(value) if value.__class__ in _ODD_TYPES else value)
        for value in row
    ]


def _open_xlsx(path: Path, sheet: str | None, filename: str) -> Table:
    with _checked_zip(path) as zf:
        sheets = _sheets(zf)
        worksheets = [s for s in sheets if s.member]
        if sheet is None:
            chosen = next((s for s in worksheets if s.visible), None)
            if chosen is None:
                raise FileRejected(_("The workbook has no visible sheet with data."))
        else:
            wanted = unicodedata.normalize("NFC", sheet).strip()
            chosen = next((s for s in worksheets if s.name == wanted), None)
            if chosen is None:
                raise FileRejected(
                    _("The workbook has no sheet named “%(name)s”. Its sheets: %(names)s.")
                    % {
                        "name": wanted[:60],
                        "names": ", ".join(f"“{s.name}”" for s in worksheets if s.visible)[:400],
                    }
                )
        assert chosen.member is not None
        _check_parts(zf)
        scan = _scan_sheet(zf, chosen.member)
    real, declared = scan.real_rows, scan.declared_rows
    if real > settings.IMPORT_MAX_ROWS:
        raise FileRejected(
            _("The sheet holds more than %(limit)s rows. Split the data into several files.")
            % {"limit": f"{settings.IMPORT_MAX_ROWS:,}".replace(",", ".")}
        )
    if declared is not None and declared > real + 1000 and declared > 2 * real:
        raise FileRejected(
            _(
                "The sheet declares %(declared)s rows but holds %(real)s; save it again or copy "
                "the data to a new sheet."
            )
            % {"declared": f"{declared:,}".replace(",", "."), "real": f"{real:,}".replace(",", ".")}
        )
    if real == 0:
        raise _no_data()
    if scan.merged:
        header = scan.first_row
        for ref in scan.merged:
            span = _range_rows(ref)
            if header and span and span[0] <= header <= span[1]:
                raise FileRejected(
                    _(
                        "The header cells %(range)s are merged. Unmerge them so each column "
                        "has its own header."
                    )
                    % {"range": ref}
                )
        raise FileRejected(
            _(
                "Cells %(range)s are merged, and data in merged cells would be lost. "
                "Unmerge them and fill each cell."
            )
            % {"range": scan.merged[0]}
        )

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        calamine_sheet = workbook.get_sheet_by_name(chosen.raw_name)
    except Exception:  # calamine raises many kinds; all mean "damaged"
        raise _damaged() from None

    def sheet_rows() -> Iterator[list[Any]]:
        try:
            yield from calamine_sheet.iter_rows()
        except Exception:
            raise _damaged() from None

    try:
        header_line, headers = 0, []
        for index, raw in enumerate(sheet_rows(), 1):
            cells = _xlsx_cells(raw)
            if any(c is not None for c in cells):
                header_line, headers = index, _headers(cells)
                break
        if not headers:
            raise _no_data()
        _check_headers(headers)
        width = len(headers)

        def reader() -> Iterator[tuple[int, list[Any]]]:
            for index, raw in enumerate(sheet_rows(), 1):
                if index <= header_line:
                    continue
                cells = _xlsx_cells(raw)
                if len(cells) != width:
                    cells = _fit(cells, width)
                if cells.count(None) != width:
                    yield index, cells

        if next(reader(), None) is None:
            raise _no_data()
    except BaseException:
        workbook.close()
        raise
    return Table(
        file_kind="xlsx",
        sheet=chosen.name,
        headers=headers,
        header_line=header_line,
        total_rows=max(real - 1, 0),
        _reader=reader,
        _closer=workbook.close,
    )


# --- CSV -----------------------------------------------------------------------------------

_DELIMITERS = (";", ",", "\t")


def _csv_encoding(path: Path) -> str:
    """The file's encoding, checked over the whole file (streamed), NULs refused."""
    head = _head(path, 4)
    if head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp1258", "cp1252"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    text = decoder.decode(chunk)
                    if "\x00" in text:
                        raise FileRejected(
                            _("This is not a text file: upload an Excel workbook (.xlsx) or CSV.")
                        )
                text = decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        except OSError:
            raise FileRejected(_("The file could not be read; upload it again.")) from None
        return encoding
    raise FileRejected(
        _(
            "The file is neither an Excel workbook nor a readable CSV text file. "
            "Save it as Excel Workbook (.xlsx) or as CSV UTF-8."
        )
    )


def _csv_delimiter(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, newline="") as handle:
        sample = handle.read(65536)
    lines = sample.splitlines()
    first = next((line for line in lines if line.strip().strip(";,\t").strip()), "")
    best, best_count = ",", 1
    for delimiter in _DELIMITERS:
        try:
            record = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error:
            continue
        if len(record) > best_count:
            best, best_count = delimiter, len(record)
    return best


def _csv_damaged() -> FileRejected:
    return FileRejected(
        _(
            "The CSV file is damaged (a cell is too long or quotes do not match). "
            "Check it and save it again."
        )
    )


def _open_csv(path: Path, filename: str) -> Table:
    encoding = _csv_encoding(path)
    delimiter = _csv_delimiter(path, encoding)

    def records() -> Iterator[tuple[int, list[str]]]:
        try:
            with path.open(encoding=encoding, newline="") as handle:
                yield from enumerate(csv.reader(handle, delimiter=delimiter), 1)
        except csv.Error:
            raise _csv_damaged() from None
        except (OSError, UnicodeError):
            raise FileRejected(_("The file could not be read; upload it again.")) from None

    header_line, headers = 0, []
    for line, record in records():
        if any(cell.strip() for cell in record):
            header_line = line
            headers = _headers(list(record))
            break
    if not headers:
        raise _no_data()
    _check_headers(headers)
    width = len(headers)

    def reader() -> Iterator[tuple[int, list[Any]]]:
        for line, record in records():
            if line <= header_line:
                continue
            cells = [cell.strip() or None for cell in record]
            if len(cells) != width:
                cells = _fit(cells, width)
            if any(cells):
                yield line, cells

    if next(reader(), None) is None:
        raise _no_data()
    name = unicodedata.normalize("NFC", filename or path.name).strip()
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return Table(
        file_kind="csv",
        sheet=name,
        headers=headers,
        header_line=header_line,
        total_rows=None,
        _reader=reader,
    )


def open_table(
    path: Path, *, filename: str = "", max_bytes: int | None = None, sheet: str | None = None
) -> Table:
    """Check the uploaded file and open its data: the chosen sheet of an XLSX (default: the
    first visible one) or the CSV. Raises FileRejected with a message for the user."""
    path = Path(path)
    _check_size(path, max_bytes)
    kind = sniff_kind(path, filename)
    if kind == "xlsx":
        return _open_xlsx(path, sheet, filename)
    return _open_csv(path, filename)
