"""The files of a summary report, read back by real readers: python-docx (the party
header, "BÁO CÁO", the narrative as paragraphs in Times New Roman, the annex tables, the
chart), openpyxl (Vietnamese headers, numbers as numbers), LibreOffice (the PDF's
Vietnamese text intact), and the background job and pages that make and serve them."""

import datetime
import io
import unicodedata

import pypdfium2
import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from lantoa.core.errors import PermissionDenied, ValidationError
from lantoa.programs.models import Term
from lantoa.reports import services
from lantoa.reports.documents import Report, annexes
from lantoa.reports.documents import report_pdf as pdf_module
from lantoa.reports.documents.annex_xlsx import annex_xlsx
from lantoa.reports.documents.report_docx import report_docx
from lantoa.reports.figures import Period
from lantoa.reports.models import ReportJob
from lantoa.reports.periods import year_period
from tests.office import docx_text_through_libreoffice
from tests.reports.test_narrative import NAMED, empty_figures, term_figures

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
Status = ReportJob.Status
SHEETS = [
    "Chỉ tiêu chủ yếu",
    "Khen thưởng theo năm",
    "Khen thưởng theo hình thức",
    "Phong trào, hoạt động",
    "Mô hình tiêu biểu",
]
KEY_SENTENCE = (
    "Qua 4 năm thực hiện Chỉ thị số 05-CT/TW, toàn Đảng bộ đã tuyên dương, khen thưởng 73 "
    "tập thể và 167 cá nhân điển hình tiên tiến"
)


def term_report(figures=None) -> Report:
    return Report(
        kind="term",
        figures=figures or term_figures(),
        issuer="Đảng ủy Dân Chính Đảng tỉnh",
        issuer_code="ĐU",
        parent_body="ĐẢNG BỘ TỈNH CÀ MAU",
        place="Cà Mau",
        day=datetime.date(2020, 7, 20),
        signer_title="Bí thư",
        signer_name="Lê Văn Minh",
    )


def _paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _all_runs(document):
    for paragraph in document.paragraphs:
        yield from paragraph.runs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    yield from paragraph.runs


def _flat(text: str) -> str:
    """The text as one line, NFC, single spaces (a PDF breaks lines where it likes)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _pdf_text(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return report_docx(term_report())


@pytest.fixture
def document(docx_bytes):
    return Document(io.BytesIO(docx_bytes))


# --- DOCX ---------------------------------------------------------------------------------------


def test_docx_has_the_party_header_with_a_blank_number(document):
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs] == [
        "ĐẢNG BỘ TỈNH CÀ MAU",
        "ĐẢNG ỦY DÂN CHÍNH ĐẢNG TỈNH",
        "*",
        "Số       -BC/ĐU",
    ]
    assert right.paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert right.paragraphs[-1].text == "Cà Mau, ngày 20 tháng 7 năm 2020"
    assert right.paragraphs[-1].runs[0].font.italic


def test_docx_title_is_bao_cao_with_its_subject(document):
    texts = _paragraphs(document)
    at = texts.index("BÁO CÁO")
    assert texts[at + 1] == (
        "Tổng kết việc thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị nhiệm kỳ 2015–2020"
    )
    title = document.paragraphs[at]
    assert title.runs[0].font.bold
    assert title.runs[0].font.size.pt == 15


def test_docx_body_is_the_narrative_as_editable_paragraphs(document):
    texts = _paragraphs(document)
    report = term_report()
    for section in report.sections:
        if section.heading:
            assert section.heading in texts
        for paragraph in section.paragraphs:
            assert paragraph in texts
    assert any(text.startswith(KEY_SENTENCE) for text in texts)
    assert report.closing() in texts


def test_docx_is_set_in_times_new_roman_for_every_script(document):
    runs = [run for run in _all_runs(document) if run.text.strip()]
    assert len(runs) > 100
    for run in runs:
        assert run.font.name == "Times New Roman"
        fonts = run._element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "Times New Roman"


def test_docx_ends_with_recipients_and_the_standing_committee_signature(document):
    closing = document.tables[1].rows[0].cells
    assert closing[0].paragraphs[0].text == "Nơi nhận:"
    assert "- Lưu Văn phòng Đảng ủy." in [p.text for p in closing[0].paragraphs]
    signature = [p.text for p in closing[1].paragraphs if p.text]
    assert signature == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Lê Văn Minh"]


def test_docx_annex_tables_hold_the_figures(document):
    texts = _paragraphs(document)
    report = term_report()
    for annex in annexes(report):
        assert annex.title in texts
    tables = document.tables[2:]
    assert len(tables) == 5
    by_year = [[cell.text for cell in row.cells] for row in tables[1].rows]
    assert by_year[0][1] == "Đề nghị"
    assert by_year[1][1:3] == ["Tập thể", "Cá nhân"]
    assert by_year[-2] == ["2020", "52", "85", "47", "75", "47", "75", "47", "75", "1"]
    assert by_year[-1] == ["Cả nhiệm kỳ", "91", "211", "74", "169", "73", "167", "73", "167", "3"]
    activities = [[cell.text for cell in row.cells] for row in tables[3].rows]
    assert activities[2][1:5] == ["Hiến máu nhân đạo", "đơn vị máu", "294", "15.987"]
    assert activities[-1][1] == "Tổng cộng"
    assert activities[-1][-1] == "23.729.700.000"
    models = [[cell.text for cell in row.cells] for row in tables[4].rows]
    assert models[1:] == [["1", *NAMED[0]], ["2", *NAMED[1]]]


def test_docx_has_the_chart_as_a_picture_with_a_caption(document):
    assert len(document.inline_shapes) == 1
    blip = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip
    image = document.part.related_parts[blip.embed]
    assert image.content_type == "image/png"
    assert image.blob.startswith(b"\x89PNG")
    caption = "Biểu đồ 1. Số tập thể, cá nhân được khen thưởng theo năm"
    assert _paragraphs(document)[-1] == caption


def test_docx_of_missing_figures_says_so_in_the_annexes():
    report = Report(kind="year", figures=empty_figures(), issuer="Đảng ủy Viễn thông Cà Mau")
    document = Document(io.BytesIO(report_docx(report)))
    models = document.tables[-1]
    assert models.rows[-1].cells[0].text == "Chưa có số liệu"
    assert "chưa có số liệu" in "\n".join(_paragraphs(document))


# --- XLSX ---------------------------------------------------------------------------------------


def test_xlsx_has_one_sheet_per_annex_with_bold_vietnamese_headers():
    workbook = load_workbook(io.BytesIO(annex_xlsx(term_report())))
    assert workbook.sheetnames == SHEETS
    sheet = workbook["Khen thưởng theo năm"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["Năm", "Tập thể được đề nghị", "Cá nhân được đề nghị"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= len("Tập thể được đề nghị")


def test_xlsx_values_are_plain_numbers():
    workbook = load_workbook(io.BytesIO(annex_xlsx(term_report())))
    years = list(workbook["Khen thưởng theo năm"].iter_rows(min_row=2, values_only=True))
    assert years[-2] == ("2020", 52, 85, 47, 75, 47, 75, 47, 75, 1)
    assert years[-1] == ("Cả nhiệm kỳ", 91, 211, 74, 169, 73, 167, 73, 167, 3)
    key = {row[1]: row[3] for row in workbook["Chỉ tiêu chủ yếu"].iter_rows(values_only=True)}
    assert key["Tỷ lệ đăng ký, cam kết làm theo"] == 93.6
    assert key["Hội nghị tuyên dương"] == 3
    assert key["Tổ chức cơ sở đảng làm điểm"] == 5
    activities = workbook["Phong trào, hoạt động"]
    money = [row[-1] for row in activities.iter_rows(min_row=2, values_only=True)]
    assert money == [9_489_000_000, 0, 14_240_700_000, 23_729_700_000]
    assert all(isinstance(value, int) for value in money)


def test_xlsx_leaves_missing_figures_empty():
    report = Report(kind="year", figures=empty_figures())
    workbook = load_workbook(io.BytesIO(annex_xlsx(report)))
    key = {row[1]: row[3] for row in workbook["Chỉ tiêu chủ yếu"].iter_rows(values_only=True)}
    assert key["Tỷ lệ tham dự"] is None
    assert key["Đảng viên (cuối kỳ)"] is None
    assert workbook["Mô hình tiêu biểu"].max_row == 1


# --- PDF ----------------------------------------------------------------------------------------


def test_libreoffice_reads_the_docx_with_its_vietnamese_intact(soffice, docx_bytes, tmp_path):
    text = _flat(docx_text_through_libreoffice(soffice, docx_bytes, tmp_path))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "BÁO CÁO" in text
    assert KEY_SENTENCE in text
    assert "năm 2020, các tổ chức cơ sở đảng đã bầu chọn 47 tập thể và 75 cá nhân" in text
    assert "tổ chức 3 hội nghị tuyên dương điển hình tiên tiến" in text
    assert "chọn 5 tổ chức cơ sở đảng làm điểm" in text
    assert "vận động hiến 15.987 đơn vị máu" in text
    assert "T/M BAN THƯỜNG VỤ" in text


def test_without_libreoffice_reportlab_lays_out_the_same_text(monkeypatch):
    monkeypatch.setattr(pdf_module, "soffice", lambda: None)
    data, engine = pdf_module.report_pdf(term_report(), b"unused")
    assert engine == pdf_module.ENGINE_REPORTLAB
    text = _flat(_pdf_text(data))
    assert KEY_SENTENCE in text
    assert "năm 2020, các tổ chức cơ sở đảng đã bầu chọn 47 tập thể và 75 cá nhân" in text
    assert "Số -BC/ĐU" in text
    assert "Phụ lục 2. Kết quả đề nghị, bầu chọn, khen thưởng và tuyên dương theo năm" in text


def test_a_failing_libreoffice_falls_back_to_reportlab(monkeypatch):
    monkeypatch.setattr(pdf_module, "soffice", lambda: "/bin/false")
    data, engine = pdf_module.report_pdf(term_report(), b"not a docx")
    assert engine == pdf_module.ENGINE_REPORTLAB
    assert data.startswith(b"%PDF")


# --- the background job -------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def no_libreoffice(monkeypatch):
    """Pages and jobs laid out by reportlab, which is quicker, where the engine is not what
    the test is about."""
    monkeypatch.setattr(pdf_module, "soffice", lambda: None)


def test_immediate_job_ends_done_with_three_files(tree, committee_staff, media, immediate):
    job = services.start_report(tree.root, year_period(2020), "year", by=committee_staff)
    job.refresh_from_db()
    assert job.status == Status.DONE
    assert job.done == job.total == 4
    assert job.task_id
    assert job.finished_at is not None
    stem = "bao-cao-so-ket-nam-2020-dcd"
    assert job.docx.name == f"reports/{job.created_at:%Y}/{job.pk}/{stem}.docx"
    assert job.xlsx.name.endswith(f"/phu-luc-{stem}.xlsx")
    assert job.pdf.name.endswith(f"/{stem}.pdf")
    with job.docx.open("rb") as handle:
        texts = [p.text for p in Document(handle).paragraphs]
    assert "BÁO CÁO" in texts
    assert "Sơ kết năm 2020 việc thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị" in texts
    with job.xlsx.open("rb") as handle:
        assert load_workbook(handle).sheetnames == SHEETS
    with job.pdf.open("rb") as handle:
        text = _flat(_pdf_text(handle.read()))
    assert "Sơ kết năm 2020 việc thực hiện Chỉ thị số 05-CT/TW" in text
    expected = pdf_module.ENGINE_LIBREOFFICE if pdf_module.soffice() else "reportlab"
    assert job.pdf_engine == expected


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_the_job(tree, committee_staff, media, settings, no_libreoffice):
    settings.TASKS = DATABASE
    job = services.start_report(tree.own, year_period(2020), "year", by=committee_staff)
    assert (job.status, job.done, job.total) == (Status.QUEUED, 0, 4)
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)
    job.refresh_from_db()
    assert job.status == Status.DONE
    assert job.done == 4
    assert job.pdf_engine == "reportlab"
    assert all(field.name for field in (job.docx, job.xlsx, job.pdf))


def test_a_failure_is_recorded_with_its_error(tree, committee_staff, media, settings, monkeypatch):
    settings.TASKS = DATABASE
    job = services.start_report(tree.root, year_period(2020), "year", by=committee_staff)

    def broken(report):
        raise RuntimeError("no room left")

    monkeypatch.setattr(services, "report_docx", broken)
    with pytest.raises(RuntimeError):
        services.run_report(job.pk)
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.done == 1  # the figures were computed
    assert job.error == "RuntimeError: no room left"
    assert job.finished_at is not None
    assert not job.docx.name


def test_only_those_who_see_the_organization_start_a_report(tree, base_secretary, outsider):
    with pytest.raises(PermissionDenied):
        services.start_report(tree.root, year_period(2020), "year", by=base_secretary)
    with pytest.raises(PermissionDenied):
        services.start_report(tree.own, year_period(2020), "year", by=outsider)


def test_a_period_backwards_is_refused(tree, committee_staff):
    backwards = Period(datetime.date(2020, 12, 31), datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.start_report(tree.root, backwards, "year", by=committee_staff)
    with pytest.raises(ValidationError):
        services.start_report(tree.root, year_period(2020), "decade", by=committee_staff)


# --- pages --------------------------------------------------------------------------------------


@pytest.fixture
def term(db) -> Term:
    return Term.objects.create(
        name="Nhiệm kỳ 2015–2020",
        code="IX",
        start_date=datetime.date(2015, 7, 1),
        end_date=datetime.date(2020, 7, 15),
    )


def test_the_page_offers_the_organization_its_units_and_terms(client, tree, committee_staff, term):
    client.force_login(committee_staff)
    response = client.get(reverse("reports:report_new"), {"org": tree.root.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["organization"].queryset) == [tree.root, tree.own, tree.other]
    assert list(form.fields["term"].queryset) == [term]
    assert form.initial["term"] == term.pk


def test_generating_a_term_report_from_the_page(
    client, tree, committee_staff, term, media, immediate, no_libreoffice
):
    client.force_login(committee_staff)
    url = reverse("reports:report_new") + f"?org={tree.root.pk}"
    response = client.post(url, {"organization": tree.root.pk, "kind": "term", "term": term.pk})
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:report_job", args=[job.pk])
    assert (job.organization, job.kind, job.period_start, job.period_end) == (
        tree.root,
        "term",
        datetime.date(2015, 7, 1),
        datetime.date(2020, 7, 15),
    )
    page = client.get(response.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="report-docx"' in body
    assert "hx-get" not in body  # done: no more polling
    download = client.get(reverse("reports:report_file", args=[job.pk]), {"format": "xlsx"})
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "phu-luc-bao-cao-tong-ket-nhiem-ky-2015-2020-dcd.xlsx" in download["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.sheetnames == SHEETS
    pdf = client.get(reverse("reports:report_file", args=[job.pk]), {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert (
        client.get(reverse("reports:report_file", args=[job.pk]), {"format": "exe"}).status_code
        == 404
    )


def test_a_term_summary_needs_a_term(client, tree, committee_staff, term):
    client.force_login(committee_staff)
    url = reverse("reports:report_new") + f"?org={tree.root.pk}"
    response = client.post(url, {"organization": tree.root.pk, "kind": "term", "term": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["term"]
    assert not ReportJob.objects.exists()


def test_a_queued_job_is_followed_every_second(client, tree, committee_staff, settings):
    settings.TASKS = DATABASE
    job = services.start_report(tree.root, year_period(2020), "year", by=committee_staff)
    client.force_login(committee_staff)
    progress = client.get(reverse("reports:report_job_progress", args=[job.pk]))
    body = progress.content.decode()
    assert f'hx-get="{reverse("reports:report_job_progress", args=[job.pk])}"' in body
    assert 'hx-trigger="every 1s"' in body
    assert '<span id="report-count">0 / 4</span>' in body
    assert progress["Cache-Control"] == "no-store"
    download = client.get(reverse("reports:report_file", args=[job.pk]), {"format": "docx"})
    assert download.status_code == 404  # not done yet


def test_outside_the_grants_everything_is_404(client, tree, committee_staff, base_secretary):
    job = ReportJob.objects.create(
        organization=tree.root,
        kind="year",
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
        status=Status.DONE,
        requested_by=committee_staff,
    )
    client.force_login(base_secretary)
    assert client.get(reverse("reports:report_new"), {"org": tree.root.pk}).status_code == 404
    assert client.get(reverse("reports:report_new"), {"org": tree.own.pk}).status_code == 200
    for name in ("reports:report_job", "reports:report_job_progress", "reports:report_file"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
