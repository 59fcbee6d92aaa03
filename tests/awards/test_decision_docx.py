# ruff: noqa: F811 - the fixtures imported from test_decisions are used as arguments
"""The decision as a DOCX in the party format, read back with python-docx: header, number,
place and date line, fonts and sizes, the articles and signature, and the annex."""

import io

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from lantoa.awards.documents.decision import decision_docx, parent_body
from lantoa.awards.services import decisions as services
from tests.awards.factories import award_form
from tests.awards.test_decisions import (  # noqa: F401 - fixtures
    SIGNATURE,
    catalog,
    draft,
    issued,
    round_,
    selected,
)
from tests.factories import make_org
from tests.office import docx_text_through_libreoffice


def paragraphs(document) -> list:
    """Every paragraph of the body and of its tables, in order."""
    found = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            found.append(next(p for p in document.paragraphs if p._p is child))
        elif child.tag == qn("w:tbl"):
            table = next(t for t in document.tables if t._tbl is child)
            for row in table.rows:
                for cell in row.cells:
                    found.extend(cell.paragraphs)
    return found


def find(document, text: str):
    for paragraph in paragraphs(document):
        if paragraph.text.strip() == text:
            return paragraph
    raise AssertionError(f"{text!r} not in {[p.text for p in paragraphs(document)]}")


def font_of(paragraph) -> tuple:
    run = paragraph.runs[0]
    return run.font.name, run.font.size, bool(run.font.bold), bool(run.font.italic)


@pytest.fixture
def decision(catalog, round_, selected, committee_staff):
    award_form("bang-khen")
    return issued(round_, committee_staff, selected)


@pytest.fixture
def document(decision):
    return read_docx(io.BytesIO(decision_docx(decision)))


def test_the_header_has_the_number_and_the_place_and_date(document):
    assert font_of(find(document, "ĐẢNG CỘNG SẢN VIỆT NAM")) == (
        "Times New Roman",
        Pt(15),
        True,
        False,
    )
    assert find(document, "ĐẢNG CỘNG SẢN VIỆT NAM").runs[0].font.underline
    issuer = find(document, "ĐẢNG ỦY DÂN CHÍNH ĐẢNG TỈNH CÀ MAU")
    assert font_of(issuer) == ("Times New Roman", Pt(14), True, False)
    find(document, "*")
    assert font_of(find(document, "Số 01-QĐ/ĐU")) == ("Times New Roman", Pt(14), False, False)
    date_line = find(document, "Cà Mau, ngày 20 tháng 12 năm 2020")
    assert font_of(date_line) == ("Times New Roman", Pt(14), False, True)


def test_the_title_subject_and_articles(document):
    assert font_of(find(document, "QUYẾT ĐỊNH")) == ("Times New Roman", Pt(15), True, False)
    subject = find(document, "Về việc khen thưởng tập thể, cá nhân tiêu biểu năm 2020")
    assert font_of(subject) == ("Times New Roman", Pt(14), True, False)
    find(document, "BAN THƯỜNG VỤ ĐẢNG ỦY DÂN CHÍNH ĐẢNG TỈNH CÀ MAU")
    find(document, "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;")
    find(document, "QUYẾT ĐỊNH:")
    texts = [p.text for p in paragraphs(document)]
    article_1 = next(t for t in texts if t.startswith("Điều 1."))
    assert "02 tập thể và 03 cá nhân" in article_1 and "có danh sách kèm theo" in article_1
    assert any(t.startswith("Điều 2.") for t in texts)
    assert any(t.startswith("Điều 3.") for t in texts)


def test_recipients_and_signature(document):
    find(document, "Nơi nhận:")
    find(document, "- Như Điều 3,")
    find(document, "T/M BAN THƯỜNG VỤ")
    find(document, "BÍ THƯ")
    assert font_of(find(document, "Lê Văn Sử"))[2]  # the name in bold


def test_the_annex_lists_those_commended_in_order(document, selected):
    find(document, "DANH SÁCH")
    find(document, "TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG")
    reference = next(p for p in paragraphs(document) if p.text.startswith("(Kèm theo"))
    assert "01-QĐ/ĐU" in reference.text and "20/12/2020" in reference.text
    annex = document.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in annex.rows]
    assert rows[0] == ["STT", "Tập thể, cá nhân", "Hình thức"]
    assert len(rows) == 1 + len(selected)
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4", "5"]
    assert [row[1] for row in rows[1:]] == [
        "Chi bộ 1",
        "Đảng bộ Viễn thông Cà Mau",
        "Đồng chí Phạm Minh An, Chi bộ 2",
        "Đồng chí Nguyễn Văn Ân, Chi bộ 1",
        "Đồng chí Trần Thị Bình, Chi bộ 1",
    ]
    assert rows[2][2] == "Bằng khen" and rows[3][2] == "Giấy khen"


def test_times_new_roman_for_every_script_on_a4_with_party_margins(document):
    for paragraph in paragraphs(document):
        for run in paragraph.runs:
            if not run.text:
                continue  # a page break
            fonts = run._element.rPr.find(qn("w:rFonts"))
            for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                assert fonts.get(qn(attribute)) == "Times New Roman", paragraph.text
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1)  # A4, to the twip
    assert abs(section.page_height - Mm(297)) < Mm(1)
    slack = Mm(0.1)  # Word stores twips: 15 mm is 850 twips, 14.99 mm

    def between(value, low, high) -> bool:
        return Mm(low) - slack <= value <= Mm(high) + slack

    assert between(section.top_margin, 20, 25) and between(section.bottom_margin, 20, 25)
    assert between(section.left_margin, 30, 35) and between(section.right_margin, 15, 20)


def test_a_draft_says_so_and_leaves_the_number_blank(catalog, round_, selected, committee_staff):
    decision = draft(round_, committee_staff, selected)
    document = read_docx(io.BytesIO(decision_docx(decision)))

    find(document, "DỰ THẢO")
    number = next(p for p in paragraphs(document) if p.text.startswith("Số "))
    assert number.text.strip().endswith("-QĐ/ĐU") and "01" not in number.text


def test_a_revocation_lists_the_awards_revoked(decision, committee_staff):
    award = decision.awards.order_by("position").last()
    revocation = services.revoke_decision(
        decision,
        by=committee_staff,
        awards=[award],
        reason="Vi phạm kỷ luật.",
        date=SIGNATURE["date"],
    )
    document = read_docx(io.BytesIO(decision_docx(revocation)))

    find(document, "Số 02-QĐ/ĐU")
    find(document, "Lý do: Vi phạm kỷ luật.")
    article_1 = next(p.text for p in paragraphs(document) if p.text.startswith("Điều 1."))
    assert "Thu hồi" in article_1 and "01-QĐ/ĐU" in article_1
    rows = document.tables[-1].rows
    assert len(rows) == 2 and "Trần Thị Bình" in rows[1].cells[1].text


def test_libreoffice_opens_it_with_the_number_and_the_annex(decision, soffice, tmp_path):
    text = docx_text_through_libreoffice(soffice, decision_docx(decision), tmp_path)

    assert "QUYẾT ĐỊNH" in text
    assert decision.symbol in text
    assert "Trần Thị Bình" in text


def test_the_parent_body_is_written_above_the_issuer(db):
    province = make_org(code="TU-CM", name="Tỉnh ủy Cà Mau")
    committee = make_org(province, code="DCD", name="Đảng bộ Dân Chính Đảng tỉnh Cà Mau")

    assert parent_body(committee) == "ĐẢNG BỘ TỈNH CÀ MAU"
    assert parent_body(province) == ""
