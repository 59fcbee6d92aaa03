"""Safe reading of uploaded XLSX and CSV files: what a user sees when a file is refused,
and what the engine gets from a good one."""

import datetime
import unicodedata
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantoa.imports import files
from lantoa.imports.files import FileRejected, open_table, sheet_names, sniff_kind
from tests.imports.files import builders


@pytest.fixture(autouse=True)
def _english(_site_language):
    """Assert the English source messages (the Vietnamese ones are added later)."""
    with translation.override("en"):
        yield


@pytest.fixture
def no_read(monkeypatch):
    """Fails the test if the workbook's cells are read at all (calamine opened)."""

    class Forbidden:
        @staticmethod
        def from_path(*args, **kwargs):
            pytest.fail("the file was read although it should have been refused first")

    monkeypatch.setattr(files.python_calamine, "CalamineWorkbook", Forbidden)


def refused(path: Path, **kwargs) -> str:
    with pytest.raises(FileRejected) as caught:
        open_table(path, **kwargs)
    return caught.value.message


def read(table) -> list:
    return list(table.rows())


# --- good files -------------------------------------------------------------------------


def test_good_xlsx(tmp_path):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hồng")
    path = builders.xlsx(
        tmp_path / "ds.xlsx",
        [
            ["  Họ và tên ", unicodedata.normalize("NFD", "Ngày sinh"), "Điện thoại", "Số lượng"],
            ["Trần Văn An", datetime.date(1980, 5, 6), "0912345678", 3],
            [None, None, None, None],
            [nfd, datetime.datetime(1990, 1, 2, 8, 30), "0987654321", 2.5],
            ["   ", "", None, None],
            ["Lê Đức", "05/06/1975", None, 1500000],
        ],
    )
    table = open_table(path, filename="ds.xlsx")
    try:
        assert table.file_kind == "xlsx"
        assert table.sheet == "Dữ liệu"
        assert table.headers == ["Họ và tên", "Ngày sinh", "Điện thoại", "Số lượng"]
        assert table.header_line == 1
        assert table.total_rows == 5  # an estimate: the empty rows are stored rows too
        rows = read(table)
        assert rows == [
            (2, ["Trần Văn An", datetime.date(1980, 5, 6), "0912345678", 3]),
            (4, [nfd, datetime.datetime(1990, 1, 2, 8, 30), "0987654321", 2.5]),
            (6, ["Lê Đức", "05/06/1975", None, 1500000]),
        ]
        assert read(table) == rows  # a second pass reads again from the start
    finally:
        table.close()


def test_xlsx_header_below_title_and_first_visible_sheet(tmp_path):
    def setup(sheet):
        sheet.parent.move_sheet(sheet.parent.create_sheet("Ẩn"), offset=-1)
        sheet.parent["Ẩn"].sheet_state = "hidden"
        sheet.parent["Ẩn"]["A1"] = "nothing here"

    path = builders.xlsx(
        tmp_path / "ds.xlsx",
        [[None], [None], ["Mã", "Tên"], ["A1", "Một"], [None, None], ["B2", "Hai"]],
        setup=setup,
    )
    assert sheet_names(path) == ["Dữ liệu"]
    with open_table(path) as table:
        assert table.sheet == "Dữ liệu"
        assert table.header_line == 3
        assert read(table) == [(4, ["A1", "Một"]), (6, ["B2", "Hai"])]


def test_xlsx_sheet_by_name_and_unknown_sheet(tmp_path):
    def setup(sheet):
        other = sheet.parent.create_sheet("Khen thưởng")
        other.append(["Số", "Ghi chú"])
        other.append([7, "bảy"])

    path = builders.xlsx(tmp_path / "ds.xlsx", [["Mã"], ["X"]], setup=setup)
    assert sheet_names(path) == ["Dữ liệu", "Khen thưởng"]
    with open_table(path, sheet="Khen thưởng") as table:
        assert table.headers == ["Số", "Ghi chú"]
        assert read(table) == [(2, [7, "bảy"])]
    message = refused(path, sheet="Thi đua")
    assert (
        message
        == "The workbook has no sheet named “Thi đua”. Its sheets: “Dữ liệu”, “Khen thưởng”."
    )


def test_rows_padded_and_truncated_to_the_headers(tmp_path):
    path = builders.xlsx(tmp_path / "ds.xlsx", [["A", "B", "C"], ["1"], ["1", "2", "3"]])
    with open_table(path) as table:
        assert read(table) == [(2, ["1", None, None]), (3, ["1", "2", "3"])]
    path = builders.csv_file(
        tmp_path / "ds.csv",
        [["A", "B"], ["1"], ["1", "2", "3", "4"]],
        encoding="utf-8",
        delimiter=",",
    )
    with open_table(path) as table:
        assert read(table) == [(2, ["1", None]), (3, ["1", "2"])]


def test_csv_utf8_bom_semicolon(tmp_path):
    path = builders.csv_file(
        tmp_path / "ds.csv",
        [
            ["Họ và tên", "Ngày sinh", "Điện thoại"],
            ["Trần Văn An", "06/05/1980", "0912345678"],
            ["", " ", ""],
            ["Nguyễn Thị; Hồng", "02/01/1990", " 0987654321 "],
        ],
        encoding="utf-8-sig",
        delimiter=";",
    )
    with open_table(path, filename="Danh sách.csv") as table:
        assert table.file_kind == "csv"
        assert table.sheet == "Danh sách.csv"
        assert table.headers == ["Họ và tên", "Ngày sinh", "Điện thoại"]
        assert table.total_rows is None
        assert read(table) == [
            (2, ["Trần Văn An", "06/05/1980", "0912345678"]),
            (4, ["Nguyễn Thị; Hồng", "02/01/1990", "0987654321"]),
        ]


def test_csv_windows_vietnamese_comma(tmp_path):
    # cp1258 writes tones as combining marks: the text arrives decomposed, parsers make it NFC
    path = tmp_path / "ds.csv"
    path.write_bytes(builders.cp1258("Họ tên,Đơn vị,Ghi chú\r\nPhạm Đức Thắng,Chi bộ 1,“ệ”\r\n"))
    with open_table(path) as table:
        assert table.headers == ["Họ tên", "Đơn vị", "Ghi chú"]
        ((line, cells),) = read(table)
        assert line == 2
        assert [unicodedata.normalize("NFC", c) for c in cells] == [
            "Phạm Đức Thắng",
            "Chi bộ 1",
            "“ệ”",
        ]


def test_csv_utf16_tab(tmp_path):
    path = builders.csv_file(
        tmp_path / "ds.txt", [["Mã", "Tên"], ["X", "Xã"]], encoding="utf-16", delimiter="\t"
    )
    with open_table(path) as table:
        assert table.headers == ["Mã", "Tên"]
        assert read(table) == [(2, ["X", "Xã"])]


def test_csv_line_numbers_count_records_not_physical_lines(tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text('Tên,Ghi chú\n\nAn,"hai\ndòng"\nBình,x\n', encoding="utf-8")
    with open_table(path) as table:
        assert read(table) == [(3, ["An", "hai\ndòng"]), (4, ["Bình", "x"])]


def test_sniff_kind_from_content_not_name(tmp_path):
    xlsx = builders.xlsx(tmp_path / "a.csv", [["A"], ["1"]])
    assert sniff_kind(xlsx, "a.csv") == "xlsx"
    text = tmp_path / "b.xls"
    text.write_text("A;B\n1;2\n", encoding="utf-8")
    assert sniff_kind(text, "b.xls") == "csv"


# --- refused before reading -------------------------------------------------------------


def test_empty_file(tmp_path, no_read):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"")
    assert refused(path) == "The file is empty."


def test_over_the_size_limit(tmp_path, no_read):
    path = builders.xlsx(tmp_path / "a.xlsx", [["A"], ["1"]])
    assert refused(path, max_bytes=100).startswith("The file is too large: ")
    big = tmp_path / "big.csv"
    big.write_bytes(b"A\n" + b"1\n" * (3 * 1024 * 1024))
    assert refused(big, max_bytes=2 * 1024 * 1024) == (
        "The file is too large: 6,0 MB, the limit is 2,0 MB. Split it into smaller files."
    )


def test_pdf_named_xlsx(tmp_path, no_read):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    assert refused(path, filename="a.xlsx") == (
        "This is a PDF file, not an Excel workbook (.xlsx) or a CSV file."
    )


def test_png_and_text_named_xlsx(tmp_path, no_read):
    png = tmp_path / "a.xlsx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    assert refused(png) == "This is a PNG file, not an Excel workbook (.xlsx) or a CSV file."
    text = tmp_path / "b.xlsx"
    text.write_text("A,B\n1,2\n")
    assert refused(text, filename="b.xlsx").startswith(
        "The file is named .xlsx but is not an Excel workbook."
    )


def test_old_xls(tmp_path, no_read):
    path = tmp_path / "a.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert refused(path) == (
        "This is an old Excel file (.xls) or a password-protected workbook. Open it in Excel, "
        "remove any password and save it as Excel Workbook (.xlsx)."
    )


def test_html_saved_as_xls(tmp_path, no_read):
    path = tmp_path / "a.xls"
    path.write_text("<html><body><table><tr><td>A</td></tr></table></body></html>")
    assert refused(path).startswith("This is a web page (HTML), not an Excel workbook")


def test_zip_that_is_not_an_xlsx(tmp_path, no_read):
    plain = builders.zip_of(tmp_path / "a.xlsx", {"notes.txt": b"hello"})
    assert refused(plain) == (
        "This is a zip archive, not an Excel workbook (.xlsx). Upload the .xlsx file itself."
    )
    ods = builders.zip_of(
        tmp_path / "b.xlsx",
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"},
    )
    assert refused(ods).startswith("This is an OpenDocument file (.ods), not an Excel workbook.")
    broken = tmp_path / "c.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x14" * 200)
    assert (
        refused(broken) == "The Excel file is damaged and cannot be opened. Save it again in Excel."
    )


def test_zip_bomb(tmp_path, no_read):
    path = builders.zip_bomb(tmp_path / "a.xlsx")
    assert refused(path) == (
        "The workbook is compressed abnormally (a zip bomb?) and is refused. "
        "Save the data again in a new workbook."
    )


def test_too_many_entries(tmp_path, no_read, settings):
    path = builders.too_many_entries(tmp_path / "a.xlsx", settings.IMPORT_MAX_ZIP_ENTRIES)
    assert refused(path) == ("The workbook holds 202 parts, more than a spreadsheet needs (200).")


def test_too_large_once_uncompressed(tmp_path, no_read, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1000
    path = builders.xlsx(tmp_path / "a.xlsx", [["A"], ["1"]])
    assert refused(path).startswith("The workbook would take ")


def test_encrypted_entry(tmp_path, no_read):
    path = builders.xlsx(tmp_path / "a.xlsx", [["A"], ["1"]])
    data = bytearray(path.read_bytes())
    # set the "encrypted" flag bit in every local and central header
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            data[start + offset] |= 0x01
            start += 4
    path.write_bytes(bytes(data))
    assert refused(path) == (
        "The workbook is encrypted. Remove the password in Excel and upload it again."
    )


def test_dimension_far_larger_than_the_rows(tmp_path, no_read):
    good = builders.xlsx(tmp_path / "a.xlsx", [["A", "B"], ["1", "2"], ["3", "4"]])
    path = builders.rewrite(
        good,
        tmp_path / "b.xlsx",
        {"xl/worksheets/sheet1.xml": builders.with_dimension("A1:H1048576")},
    )
    assert refused(path) == (
        "The sheet declares 1.048.576 rows but holds 3; save it again or copy the data to a "
        "new sheet."
    )


def test_dimension_over_the_row_limit(tmp_path, no_read, settings):
    settings.IMPORT_MAX_ROWS = 100
    good = builders.xlsx(tmp_path / "a.xlsx", [["A"], ["1"]])
    path = builders.rewrite(
        good, tmp_path / "b.xlsx", {"xl/worksheets/sheet1.xml": builders.with_dimension("A1:A101")}
    )
    assert refused(path) == (
        "The sheet declares 101 rows, more than the 100 allowed. Split the data into several files."
    )


def test_real_rows_over_the_limit(tmp_path, no_read, settings):
    settings.IMPORT_MAX_ROWS = 100
    good = builders.xlsx(tmp_path / "a.xlsx", [["A"]] + [[n] for n in range(150)])
    path = builders.rewrite(
        good, tmp_path / "b.xlsx", {"xl/worksheets/sheet1.xml": builders.with_dimension("A1:A2")}
    )
    assert refused(path) == (
        "The sheet holds more than 100 rows. Split the data into several files."
    )


def test_formula_cell(tmp_path, no_read):
    def setup(sheet):
        sheet["C5"] = "=A5*2"

    path = builders.xlsx(
        tmp_path / "a.xlsx", [["A", "B", "C"], [1, 2, 3], [1, 2, 3], [1, 2, 3], [4, 5]], setup=setup
    )
    assert refused(path) == "Cell C5 holds a formula; paste values only."


def test_formula_found_across_chunk_borders(tmp_path, no_read, monkeypatch):
    monkeypatch.setattr(files, "_CHUNK", 7)  # every token is cut somewhere
    monkeypatch.setattr(files, "_HEAD", 1024)
    rows = [["Mã", "Tên"]] + [[f"M{n}", "tên dài " * 3] for n in range(40)]

    def setup(sheet):
        sheet["B37"] = '=UPPER("x")'

    path = builders.xlsx(tmp_path / "a.xlsx", rows, setup=setup)
    assert refused(path) == "Cell B37 holds a formula; paste values only."


def test_rows_counted_across_chunk_borders(tmp_path, monkeypatch, settings):
    monkeypatch.setattr(files, "_CHUNK", 5)
    monkeypatch.setattr(files, "_HEAD", 1024)
    settings.IMPORT_MAX_ROWS = 40
    good = builders.xlsx(tmp_path / "a.xlsx", [["A"]] + [[n] for n in range(40)])
    path = builders.rewrite(
        good, tmp_path / "c.xlsx", {"xl/worksheets/sheet1.xml": builders.with_dimension("A1:A2")}
    )
    assert refused(path) == "The sheet holds more than 40 rows. Split the data into several files."
    path = builders.xlsx(tmp_path / "b.xlsx", [["A"]] + [[n] for n in range(39)])
    with open_table(path) as table:
        assert table.total_rows == 39
        assert len(read(table)) == 39


def test_merged_header_cells(tmp_path, no_read):
    def setup(sheet):
        sheet.merge_cells("B1:C1")

    path = builders.xlsx(tmp_path / "a.xlsx", [["A", "B", None], [1, 2, 3]], setup=setup)
    assert refused(path) == (
        "The header cells B1:C1 are merged. Unmerge them so each column has its own header."
    )


def test_merged_data_cells(tmp_path, no_read):
    def setup(sheet):
        sheet.merge_cells("A3:A4")

    path = builders.xlsx(tmp_path / "a.xlsx", [["A", "B"], [1, 2], [3, 4], [None, 5]], setup=setup)
    assert refused(path) == (
        "Cells A3:A4 are merged, and data in merged cells would be lost. "
        "Unmerge them and fill each cell."
    )


def test_billion_laughs_in_the_workbook(tmp_path, no_read):
    good = builders.xlsx(tmp_path / "a.xlsx", [["A"], ["1"]])
    path = builders.rewrite(
        good, tmp_path / "b.xlsx", {"xl/workbook.xml": lambda data: builders.BILLION_LAUGHS}
    )
    expected = (
        "The workbook contains a document type declaration (DTD), which is not allowed. "
        "Save it again in Excel."
    )
    assert refused(path) == expected
    with pytest.raises(FileRejected) as caught:
        sheet_names(path)
    assert caught.value.message == expected


def test_dtd_in_the_sheet_or_shared_strings(tmp_path, no_read):
    good = builders.xlsx(tmp_path / "a.xlsx", [["A"], ["x"]])
    dtd = b'<!DOCTYPE x [<!ENTITY e "boom">]>'

    def after_declaration(data: bytes) -> bytes:
        end = data.find(b"?>") + 2 if data.startswith(b"<?xml") else 0
        return data[:end] + dtd + data[end:]

    members = ["xl/worksheets/sheet1.xml", "xl/styles.xml", "[Content_Types].xml"]
    for n, member in enumerate(members):
        path = builders.rewrite(good, tmp_path / f"b{n}.xlsx", {member: after_declaration})
        assert refused(path).startswith("The workbook contains a document type declaration")


def test_damaged_sheet_xml(tmp_path, no_read):
    good = builders.xlsx(tmp_path / "a.xlsx", [["A"], ["x"]])
    path = builders.rewrite(
        good, tmp_path / "b.xlsx", {"xl/worksheets/sheet1.xml": lambda data: data[: len(data) // 2]}
    )
    assert refused(path) == (
        "The Excel file is damaged and cannot be read. Open it and save it again in Excel."
    )


def test_duplicate_headers(tmp_path):
    path = builders.xlsx(tmp_path / "a.xlsx", [["Họ tên", "Ngày", "HO TEN", "ngay"], [1, 2, 3, 4]])
    assert refused(path) == (
        "The header row repeats a column name: “Họ tên”, “HO TEN”, “Ngày”, “ngay”. "
        "Each column needs its own name."
    )


def test_only_a_header(tmp_path):
    path = builders.xlsx(tmp_path / "a.xlsx", [["A", "B"], [None, None]])
    assert refused(path) == "The sheet has no data rows."
    empty_sheet = builders.xlsx(tmp_path / "b.xlsx", [])
    assert refused(empty_sheet) == "The sheet has no data rows."
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("A;B\n;\n\n", encoding="utf-8")
    assert refused(csv_path) == "The sheet has no data rows."


def test_csv_with_nul_bytes(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"A,B\n" + b"1,2\n" * 5000 + b"3,\x004\n")
    assert refused(path) == ("This is not a text file: upload an Excel workbook (.xlsx) or CSV.")


def test_csv_that_does_not_decode(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"A,B\n1,\x81\x8d\x8f\x90\x9d\n")
    assert refused(path).startswith("The file is neither an Excel workbook nor a readable CSV")


def test_csv_cell_too_long(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b'A,B\n1,"' + b"x" * 200_000 + b'"\n')
    assert refused(path).startswith("The CSV file is damaged")


# --- random input -----------------------------------------------------------------------

_PREFIXES = st.sampled_from(
    [b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"A;B\n", b"\xd0\xcf\x11\xe0", b"<?xml"]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(prefix=_PREFIXES, body=st.binary(max_size=400))
def test_random_bytes_never_crash(tmp_path, prefix, body):
    path = tmp_path / "random.xlsx"
    path.write_bytes(prefix + body)
    try:
        table = open_table(path, filename="random.xlsx")
    except FileRejected as error:
        assert error.message
        return
    try:
        for line, cells in table.rows():
            assert line >= 2 and len(cells) == len(table.headers)
    except FileRejected as error:  # a CSV damaged after its first rows
        assert error.message
    finally:
        table.close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(offset=st.integers(min_value=0, max_value=4000), byte=st.integers(0, 255))
def test_damaged_xlsx_never_crashes(tmp_path, offset, byte):
    good = tmp_path / "good.xlsx"
    if not good.exists():
        builders.xlsx(good, [["Mã", "Tên"], ["A", "Một"], ["B", 2]])
    data = bytearray(good.read_bytes())
    data[offset % len(data)] = byte
    path = tmp_path / "bad.xlsx"
    path.write_bytes(bytes(data))
    try:
        with open_table(path) as table:
            list(table.rows())
    except FileRejected as error:
        assert error.message


def test_times_of_day_arrive_as_text(tmp_path):
    path = builders.xlsx(tmp_path / "a.xlsx", [["Giờ", "Số"], [datetime.time(8, 30), 0]])
    with open_table(path) as table:
        assert read(table) == [(2, ["08:30:00", 0])]
