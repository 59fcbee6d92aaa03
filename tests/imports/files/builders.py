"""Build XLSX, CSV and hostile zip files on disk for `tests/imports/test_files.py`."""

import csv
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


def xlsx(
    path: Path,
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Dữ liệu",
    setup: Callable[[Any], None] | None = None,
) -> Path:
    """A workbook whose first sheet holds `rows` from A1; `setup(sheet)` may change it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    if setup:
        setup(sheet)
    workbook.save(path)
    return path


def rewrite(path: Path, target: Path, changes: dict[str, Callable[[bytes], bytes]]) -> Path:
    """Copy a zip, passing the named members through `changes[name](data)`."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in changes:
                data = changes[info.filename](data)
            out.writestr(info.filename, data)
    return target


def with_dimension(ref: str) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        if b"<dimension" in data:
            return re.sub(
                rb'<dimension ref="[^"]*"', b'<dimension ref="' + ref.encode() + b'"', data
            )
        return data.replace(
            b"<sheetViews>", b'<dimension ref="' + ref.encode() + b'"/><sheetViews>', 1
        )

    return change


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="&lol9;" sheetId="1" r:id="rId1"/></sheets></workbook>"""


def zip_of(
    path: Path, members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    with zipfile.ZipFile(path, "w", compression) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return path


def zip_bomb(path: Path, size: int = 8 * 1024 * 1024) -> Path:
    """An 'xlsx' whose sheet is megabytes of zeros compressed a thousandfold."""
    return zip_of(
        path,
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\0" * size,
        },
    )


def too_many_entries(path: Path, count: int) -> Path:
    members = {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"}
    members.update({f"xl/media/image{n}.png": b"x" for n in range(count)})
    return zip_of(path, members)


def csv_file(path: Path, rows: Iterable[Sequence[str]], *, encoding: str, delimiter: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # the five tone marks cp1258 writes apart


def cp1258(text: str) -> bytes:
    """Vietnamese in Windows-1258 as Windows writes it: letters with their vowel marks
    precomposed where the code page has them, tones as combining marks after them."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
            tones = "".join(c for c in decomposed if c in _TONES)
            out += (base + tones).encode("cp1258")
    return bytes(out)
