"""Checks for uploaded files: size, and the real type read from the content, not the name.

PDF: the file begins with ``%PDF-1.x``. DOCX: a ZIP archive holding ``[Content_Types].xml``
that declares a Word document and ``word/document.xml``; the archive's directory is read
without unpacking anything but the small content-types part, and archives with too many
entries or too large an unpacked size (ZIP bombs) are refused.
"""

import re
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

__all__ = ["MAX_DOCUMENT_SIZE", "CheckedFile", "check_document_file", "sniff_type"]

MAX_DOCUMENT_SIZE = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_UNPACKED = 200 * 1024 * 1024
MAX_CONTENT_TYPES_SIZE = 1024 * 1024

PDF = "pdf"
DOCX = "docx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")
_DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@dataclass(frozen=True)
class CheckedFile:
    kind: str  # "pdf" or "docx"
    content_type: str
    size: int


def sniff_type(handle: IO[bytes]) -> str | None:
    """ "pdf", "docx" or None, from the content of a seekable binary file (left at 0)."""
    try:
        handle.seek(0)
        head = handle.read(8)
        handle.seek(0)
        if _PDF_HEADER.match(head):
            return PDF
        if head.startswith(b"PK\x03\x04") and _is_docx(handle):
            return DOCX
        return None
    finally:
        handle.seek(0)


def _is_docx(handle: IO[bytes]) -> bool:
    try:
        with zipfile.ZipFile(handle) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                return False
            if sum(entry.file_size for entry in entries) > MAX_ZIP_UNPACKED:
                return False
            if any(entry.flag_bits & 0x1 for entry in entries):  # encrypted entries
                return False
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return False
            return _DOCX_MAIN in _read_small(archive, "[Content_Types].xml")
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ):
        return False


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    """An entry's content, read only up to a limit whatever its header claims."""
    if archive.getinfo(name).file_size > MAX_CONTENT_TYPES_SIZE:
        return b""
    with archive.open(name) as entry:
        return entry.read(MAX_CONTENT_TYPES_SIZE + 1)[:MAX_CONTENT_TYPES_SIZE]


def check_document_file(
    upload: UploadedFile,
    *,
    max_size: int = MAX_DOCUMENT_SIZE,
    allowed: tuple[str, ...] = (PDF, DOCX),
) -> CheckedFile:
    """The checked type of an upload, or a ValidationError saying why it is refused."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_size:
        raise ValidationError(
            _("The file is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_size)},
            code="too_large",
        )
    kind = sniff_type(upload.file)
    if kind not in allowed:
        names = ", ".join(name.upper() for name in allowed)
        raise ValidationError(
            _("This file is not a real %(types)s file (its content was checked, not its name).")
            % {"types": names},
            code="bad_type",
        )
    return CheckedFile(kind=kind, content_type=CONTENT_TYPES[kind], size=size)
