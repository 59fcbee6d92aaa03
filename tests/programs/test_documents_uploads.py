"""File checks: the type comes from the content, the size is capped, ZIP bombs are refused."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from lantoa.programs import uploads
from lantoa.programs.uploads import check_document_file
from tests.programs.test_documents_support import WORD_MAIN, docx_bytes, pdf_bytes, zip_bytes


def refused(upload) -> str:
    with pytest.raises(ValidationError) as raised:
        check_document_file(upload)
    return raised.value.messages[0]


def test_a_real_pdf_is_accepted():
    checked = check_document_file(SimpleUploadedFile("ke-hoach.pdf", pdf_bytes()))
    assert (checked.kind, checked.content_type) == ("pdf", "application/pdf")


def test_a_real_docx_is_accepted():
    checked = check_document_file(SimpleUploadedFile("ke-hoach.docx", docx_bytes()))
    assert checked.kind == "docx"
    assert checked.content_type.endswith("wordprocessingml.document")


def test_the_name_does_not_decide():
    assert check_document_file(SimpleUploadedFile("scan.docx", pdf_bytes())).kind == "pdf"
    assert check_document_file(SimpleUploadedFile("noname", docx_bytes())).kind == "docx"


@pytest.mark.parametrize(
    "content",
    [
        b"Day la van ban, khong phai PDF",
        b"<html><script>alert(1)</script></html>",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        b" %PDF-1.4 late header",
        b"%PDF-x.y",
    ],
)
def test_a_pdf_named_file_that_is_not_a_pdf_is_refused(content):
    message = refused(SimpleUploadedFile("ke-hoach.pdf", content))
    assert "PDF" in message and "DOCX" in message


@pytest.mark.parametrize(
    "entries",
    [
        {"readme.txt": b"hello"},  # any zip
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"},  # no main
        {"[Content_Types].xml": WORD_MAIN.encode()},  # no word/document.xml
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},  # ODT
    ],
)
def test_a_zip_that_is_not_a_word_document_is_refused(entries):
    refused(SimpleUploadedFile("ke-hoach.docx", zip_bytes(entries)))


def test_a_macro_enabled_word_file_is_refused():
    macro = "application/vnd.ms-word.document.macroEnabled.main+xml"
    refused(SimpleUploadedFile("ke-hoach.docx", docx_bytes(main=macro)))


def test_a_truncated_docx_is_refused():
    refused(SimpleUploadedFile("ke-hoach.docx", docx_bytes()[:-40]))


def test_a_zip_with_too_many_entries_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_ENTRIES", 10)
    check_document_file(SimpleUploadedFile("a.docx", docx_bytes(extra=5)))
    refused(SimpleUploadedFile("a.docx", docx_bytes(extra=20)))


def test_a_zip_bomb_is_refused_from_its_directory_without_unpacking(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_UNPACKED", 50_000)
    bomb = docx_bytes(text="A" * 100_000)  # compresses to almost nothing
    assert len(bomb) < 5_000
    refused(SimpleUploadedFile("a.docx", bomb))


def test_an_oversized_file_is_refused():
    big = pdf_bytes() + b"0" * (uploads.MAX_DOCUMENT_SIZE + 1)
    message = refused(SimpleUploadedFile("lon.pdf", big))
    assert "20" in message


def test_a_file_of_exactly_the_limit_is_accepted():
    content = pdf_bytes()
    content += b"%" * (uploads.MAX_DOCUMENT_SIZE - len(content))
    assert check_document_file(SimpleUploadedFile("vua.pdf", content)).size == 20 * 2**20


def test_an_empty_file_is_refused():
    refused(SimpleUploadedFile("rong.pdf", b""))


def test_a_file_spooled_to_disk_is_checked_the_same_way():
    upload = TemporaryUploadedFile("lon.docx", "application/octet-stream", 0, None)
    upload.write(docx_bytes())
    upload.size = upload.tell()
    assert check_document_file(upload).kind == "docx"
    assert upload.tell() == 0  # left ready to be saved
    upload.close()
