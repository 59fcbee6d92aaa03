"""The exports' common machinery: streamed CSV with a BOM, XLSX with real dates, safe
file names, text that is never a formula, and constant memory on a big list."""

import csv
import datetime
import io
import tracemalloc

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from lantoa.core import exports
from lantoa.core.exports import Export, export_response
from lantoa.orgs import derived
from lantoa.orgs.models import Person

ROWS = [
    ("Nguyễn Văn Đức", datetime.date(1980, 6, 5), 12, '=HYPERLINK("http://x")'),
    ("Trần Thị Ánh", None, 3.5, "bình thường"),
]
HEADERS = ["Họ và tên", "Ngày sinh", "Số", "Ghi chú"]


def _response(fmt: str, rows=ROWS, stem: str = "đảng viên"):
    request = RequestFactory().get("/x/")
    return export_response(
        request, filename_stem=stem, title="Đảng viên", headers=HEADERS, rows=iter(rows), fmt=fmt
    )


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_is_streamed_with_a_bom_and_reads_back_with_vietnamese_text():
    response = _response("csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv_rows(response)
    assert rows[0] == HEADERS
    assert rows[1][:3] == ["Nguyễn Văn Đức", "05/06/1980", "12"]
    assert rows[2][:3] == ["Trần Thị Ánh", "", "3.5"]
    # A cell that a spreadsheet would run as a formula stays text.
    assert rows[1][3] == '\'=HYPERLINK("http://x")'


def test_xlsx_has_a_bold_frozen_header_real_dates_and_no_formula():
    response = _response("xlsx")
    assert response.streaming  # FileResponse: the temporary file is sent in chunks
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet.title == "Đảng viên"
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet["A1"].font.b
    assert sheet["A2"].value == "Nguyễn Văn Đức"
    assert sheet["B2"].value == datetime.datetime(1980, 6, 5)
    assert sheet["B2"].number_format == "dd/mm/yyyy"
    assert sheet["C2"].value == 12
    assert sheet["D2"].data_type == "s"
    assert sheet["D2"].value == '=HYPERLINK("http://x")'
    assert sheet.column_dimensions["A"].width >= len("Nguyễn Văn Đức")


def test_file_names_are_ascii_with_the_date_and_a_utf8_form():
    response = _response("csv")
    disposition = response["Content-Disposition"]
    assert disposition.isascii()
    assert 'filename="dang-vien-' in disposition
    assert ".csv\"; filename*=UTF-8''dang-vien-" in disposition


def test_format_comes_from_the_url_then_the_query_string():
    factory = RequestFactory()
    assert exports.export_format(factory.get("/?format=csv")) == "csv"
    assert exports.export_format(factory.get("/?format=csv"), "xlsx") == "xlsx"
    assert exports.export_format(factory.get("/?format=<b>")) == "xlsx"


def test_control_characters_do_not_break_the_workbook():
    rows = [("a\x00b\x1fc", None, None, None)]
    response = _response("xlsx", rows)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A2"].value == "abc"


def test_export_pairs_headers_with_readers():
    export = Export("x", "X", (("A", lambda n: n), ("B", lambda n: n * 2)))
    assert export.headers() == ["A", "B"]
    assert list(export.rows(range(3))) == [(0, 0), (1, 2), (2, 4)]


# --- constant memory ---------------------------------------------------------------------
#
# tracemalloc slows every allocation down, so the lists are kept small (a few seconds on
# SQLite and PostgreSQL) and the bounds are scaled to them: each bound sits well under what
# the same rows take when accumulated (checked once by replacing the streaming with list()).

BIG = 5_000
STREAMED_LIMIT = 10 * 1024 * 1024  # people CSV: ~6.5 MB streamed, ~13 MB accumulated
XLSX_ROWS = 5_000
XLSX_LIMIT = 5 * 1024 * 1024  # rows of ~2 KB: ~1 MB streamed, ~12 MB accumulated


@pytest.fixture
def many_people(tree):
    """BIG people in one insert, as an import loads them: the per-row triggers (member
    counts, the name dictionary) are held off, then recounted once (row by row they make
    PostgreSQL update the same counters thousands of times in one transaction)."""
    position = "Bí thư chi bộ kiêm Trưởng ban Tuyên giáo, phụ trách công tác dân vận " * 2
    people = [
        Person(
            code=f"DV{n:06d}",
            family_name="Nguyễn",
            middle_name="Văn",
            given_name=f"Đức {n}",
            position=position,
            birth_date=datetime.date(1980, 1, 1),
            organization=tree.own_cell,
        )
        for n in range(BIG)
    ]
    with derived.bulk_load(connection):
        Person.objects.bulk_create(people, batch_size=1000)
    derived.refresh(connection)


def _peak(read) -> tuple[int, int]:
    """Peak Python memory while `read()` makes a response and the response is read chunk
    by chunk (nothing kept), and the number of lines read."""
    tracemalloc.start()
    try:
        response = read()
        assert response.status_code == 200
        lines = 0
        for chunk in response.streaming_content:
            lines += chunk.count(b"\n")
        return tracemalloc.get_traced_memory()[1], lines
    finally:
        tracemalloc.stop()


def test_a_big_export_runs_in_constant_memory(client, many_people, committee_staff):
    """The real view, queryset to CSV: model objects with their organization are read a
    chunk at a time (the XLSX path reads the same rows; its writer is checked below)."""
    client.force_login(committee_staff)
    url = reverse("orgs:person_export_csv")
    client.get(url + "?q=nobody")  # load the code once: imports are not rows
    peak, lines = _peak(lambda: client.get(url))
    assert lines == BIG + 1
    assert peak < STREAMED_LIMIT, peak


def test_the_xlsx_writer_keeps_only_a_sample_of_rows():
    """Rows of ~2 KB each, made one by one: the workbook goes to a temporary file as they
    come, only the first rows (to size the columns) are held."""
    text = "Đảng viên tiêu biểu trong học tập và làm theo " * 24

    def rows():
        for n in range(XLSX_ROWS):
            yield (f"{text}{n}", n)

    request = RequestFactory().get("/x/")
    export_response(request, filename_stem="x", title="X", headers=["A", "B"], rows=[], fmt="xlsx")
    peak, _lines = _peak(
        lambda: export_response(
            request, filename_stem="x", title="X", headers=["A", "B"], rows=rows(), fmt="xlsx"
        )
    )
    assert peak < XLSX_LIMIT, peak
