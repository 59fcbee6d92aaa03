"""The term report of the Cà Mau demo states exactly the figures of case-camau.md: over the
4 years of Directive 05 up to the 2020 congress, 73 collectives and 167 individuals
commended; 47 and 75 selected in 2020; 3 ceremonies; 5 pilots; the four named models.

The whole `manage.py load_demo` is loaded once for the module, inside a transaction
rolled back at the end; the report is built once from it (figures, DOCX, XLSX).
"""

import dataclasses
import io
import unicodedata
from io import StringIO

import pypdfium2
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from docx import Document
from openpyxl import load_workbook

from lantoa.orgs.models import Organization
from lantoa.programs.demo import NAMED_MODELS
from lantoa.programs.models import Term
from lantoa.reports import services
from lantoa.reports.documents import Report
from lantoa.reports.documents import report_pdf as pdf_module
from lantoa.reports.documents.annex_xlsx import annex_xlsx
from lantoa.reports.documents.report_docx import report_docx
from lantoa.reports.models import ReportJob
from lantoa.reports.periods import term_period
from tests.office import docx_text_through_libreoffice

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
UNITS = {
    "BDV": "Ban Dân vận Tỉnh ủy Cà Mau",
    "CDYT": "Trường Cao đẳng Y tế Cà Mau",
    "PCCM": "Công ty Điện lực Cà Mau",
    "VNPT": "Viễn thông Cà Mau",
}
COMMENDED = (
    "Qua 4 năm thực hiện Chỉ thị số 05-CT/TW, toàn Đảng bộ đã tuyên dương, khen thưởng 73 "
    "tập thể và 167 cá nhân điển hình tiên tiến trong học tập và làm theo tư tưởng, đạo đức, "
    "phong cách Hồ Chí Minh"
)
SELECTED_2020 = (
    "năm 2020, các tổ chức cơ sở đảng đã bầu chọn 47 tập thể và 75 cá nhân tiêu biểu để "
    "tuyên dương, khen thưởng"
)
CEREMONIES_AND_PILOTS = (
    "Trong nhiệm kỳ, Đảng bộ đã tổ chức 3 hội nghị tuyên dương điển hình tiên tiến và chọn 5 "
    "tổ chức cơ sở đảng làm điểm trong thực hiện Chỉ thị."
)


@dataclasses.dataclass
class Built:
    report: Report
    docx: bytes
    xlsx: bytes


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo, then build the committee's report of term IX (2015–2020) once."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")
        ),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=StringIO())
        report = services.build_report(_committee(), _term_period(), "term")
        yield Built(report, report_docx(report), annex_xlsx(report))
        transaction.set_rollback(True)


@pytest.fixture
def demo(built, db) -> Built:
    return built


def _committee() -> Organization:
    return Organization.objects.get(code="DCD")


def _term_period():
    return term_period(Term.objects.get(issuer__code="ĐU", code="IX"))


def _text(report: Report) -> str:
    return "\n".join(
        p for section in report.sections for p in (section.heading, *section.paragraphs)
    )


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _model_titles() -> dict[str, str]:
    return {UNITS[code]: title for code, title in NAMED_MODELS.items()}


# --- the narrative --------------------------------------------------------------------------------


def test_the_term_report_states_the_figures_of_the_case(demo):
    results = demo.report.sections[1]
    assert results.heading == "I. KẾT QUẢ THỰC HIỆN"
    assert results.paragraphs == [f"{COMMENDED}; {SELECTED_2020}. {CEREMONIES_AND_PILOTS}"]


def test_the_figures_come_from_the_records(demo):
    figures = demo.report.figures
    c = figures.commendation
    assert (c.commended_collectives, c.commended_people, c.ceremonies) == (73, 167, 3)
    last = figures.years[-1]
    assert (last.year, last.selected_collectives, last.selected_people) == (2020, 47, 75)
    assert figures.pilots.pilots == 5
    assert demo.report.subject == (
        "Tổng kết việc thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị nhiệm kỳ 2015–2020"
    )


def test_the_four_named_models_are_quoted_with_their_units(demo):
    text = _text(demo.report)
    for unit, title in _model_titles().items():
        assert f"mô hình “{title}” của Đảng bộ {unit}" in text


def test_the_report_names_its_issuer_and_leaves_the_number_blank(demo):
    assert demo.report.issuer == "Đảng ủy Dân Chính Đảng tỉnh Cà Mau"
    assert demo.report.number.strip() == "-BC/ĐU"
    assert demo.report.place == "Cà Mau"


# --- the files ------------------------------------------------------------------------------------


def test_the_docx_states_them_in_editable_paragraphs_and_tables(demo):
    document = Document(io.BytesIO(demo.docx))
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    assert f"{COMMENDED}; {SELECTED_2020}. {CEREMONIES_AND_PILOTS}" in texts
    left = document.tables[0].rows[0].cells[0]
    assert "ĐẢNG ỦY DÂN CHÍNH ĐẢNG TỈNH CÀ MAU" in left.text
    assert "Số       -BC/ĐU" in left.text
    by_year = [[cell.text for cell in row.cells] for row in document.tables[3].rows]
    year_2020 = next(row for row in by_year if row[0] == "2020")
    assert year_2020[3:5] == ["47", "75"]
    assert by_year[-1][0] == "Cả nhiệm kỳ"
    assert by_year[-1][5:7] == ["73", "167"]
    assert by_year[-1][-1] == "3"
    models = [[cell.text for cell in row.cells][1:] for row in document.tables[6].rows[1:]]
    assert [title for _unit, title in models] == list(_model_titles().values())


def test_the_xlsx_annexes_hold_the_same_numbers(demo):
    workbook = load_workbook(io.BytesIO(demo.xlsx))
    rows = list(workbook["Khen thưởng theo năm"].iter_rows(min_row=2, values_only=True))
    total = rows[-1]
    assert total[0] == "Cả nhiệm kỳ"
    assert (total[5], total[6], total[9]) == (73, 167, 3)
    assert next(row for row in rows if row[0] == "2020")[3:5] == (47, 75)
    key = {row[1]: row[3] for row in workbook["Chỉ tiêu chủ yếu"].iter_rows(values_only=True)}
    assert key["Tổ chức cơ sở đảng làm điểm"] == 5
    assert key["Hội nghị tuyên dương"] == 3
    titles = [
        row[2] for row in workbook["Mô hình tiêu biểu"].iter_rows(min_row=2, values_only=True)
    ]
    assert titles == list(_model_titles().values())


def test_libreoffice_prints_the_figures_and_titles_intact(demo, soffice, tmp_path):
    text = _flat(docx_text_through_libreoffice(soffice, demo.docx, tmp_path))
    assert COMMENDED in text
    assert SELECTED_2020 in text
    assert CEREMONIES_AND_PILOTS in text
    for title in _model_titles().values():
        assert title in text


def test_the_background_job_writes_the_three_files(demo, settings, tmp_path, monkeypatch):
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(pdf_module, "soffice", lambda: None)  # LibreOffice: the test above
    admin = _superuser()
    job = services.start_report(_committee(), _term_period(), "term", by=admin)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert job.done == job.total
    with job.docx.open("rb") as handle:
        assert f"{COMMENDED}; {SELECTED_2020}. {CEREMONIES_AND_PILOTS}" in [
            p.text for p in Document(handle).paragraphs
        ]
    with job.xlsx.open("rb") as handle:
        assert len(load_workbook(handle).sheetnames) == 5
    with job.pdf.open("rb") as handle:
        pdf = pypdfium2.PdfDocument(handle.read())
        text = _flat("\n".join(page.get_textpage().get_text_range() for page in pdf))
        pdf.close()
    assert COMMENDED in text
    assert SELECTED_2020 in text


def _superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_superuser=True).first()
