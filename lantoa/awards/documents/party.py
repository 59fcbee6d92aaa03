"""The party-document layout shared by the commendation's documents (HD 36-HD/VPTW):
A4, Times New Roman 14, the header with "ĐẢNG CỘNG SẢN VIỆT NAM" and the issuer, the
place and date line, the title, the signatures.

Every run gets its font set for Latin *and* East Asian text (w:eastAsia), so that Word
does not fall back to another font for Vietnamese letters.
"""

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

__all__ = [
    "BODY_SIZE",
    "FONT_NAME",
    "PARTY_NAME",
    "Signer",
    "add_header",
    "add_paragraph",
    "add_signatures",
    "add_title",
    "date_line",
    "new_document",
    "set_cell_text",
    "set_font",
    "to_bytes",
]

FONT_NAME = "Times New Roman"
BODY_SIZE = 14
PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"
# margins: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]

Container = DocxDocument | _Cell


@dataclass(frozen=True)
class Signer:
    """A signature column: the capacity ("T/M BAN THƯỜNG VỤ", "CHỦ TỊCH HỘI ĐỒNG"; lines
    separated by newlines) and the signer's name, both printed bold."""

    capacity: str
    name: str


def _set_fonts(element_rpr, name: str) -> None:
    fonts = element_rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        element_rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def set_font(
    run: Run,
    *,
    size: int = BODY_SIZE,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
) -> Run:
    """Times New Roman at `size` points on a run, for every script."""
    run.font.name = FONT_NAME
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    _set_fonts(run._element.get_or_add_rPr(), FONT_NAME)
    return run


def new_document() -> DocxDocument:
    """An empty A4 portrait document with the party margins and Times New Roman 14."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    for style_name in ("Normal", "Table Grid"):
        style = document.styles[style_name]
        style.font.name = FONT_NAME
        style.font.size = Pt(BODY_SIZE)
        _set_fonts(style.element.get_or_add_rPr(), FONT_NAME)
    normal = document.styles["Normal"].paragraph_format
    normal.space_before = Pt(0)
    normal.space_after = Pt(0)
    return document


def add_paragraph(
    container: Container,
    text: str = "",
    *,
    size: int = BODY_SIZE,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    space_after: int = 0,
    first_line_indent_mm: int = 0,
) -> Paragraph:
    """A paragraph of one run in the party font."""
    paragraph = container.add_paragraph()
    if text:
        set_font(paragraph.add_run(text), size=size, bold=bold, italic=italic, underline=underline)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    if first_line_indent_mm:
        paragraph.paragraph_format.first_line_indent = Mm(first_line_indent_mm)
    return paragraph


def set_cell_text(
    cell: _Cell,
    text: str,
    *,
    size: int = 13,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> None:
    """Replace a table cell's text with one run in the party font."""
    paragraph = cell.paragraphs[0]
    for run in list(paragraph.runs):
        run._element.getparent().remove(run._element)
    set_font(paragraph.add_run(text), size=size, bold=bold)
    if align is not None:
        paragraph.alignment = align


def date_line(place: str, day: datetime.date) -> str:
    """ "Cà Mau, ngày 10 tháng 12 năm 2020": days below 10 and months below 3 with a
    leading zero, as the document rules write them ("ngày 05 tháng 02 năm 2025")."""
    day_text = f"{day.day:02d}" if day.day < 10 else str(day.day)
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day_text} tháng {month_text} năm {day.year}"
    return f"{place}, {text}" if place else text.capitalize()


def _header_table(document: DocxDocument) -> Table:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Mm(75), Mm(TEXT_WIDTH_MM - 75))
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = width
    return table


def _clear(cell: _Cell) -> None:
    for paragraph in cell.paragraphs:
        paragraph._element.getparent().remove(paragraph._element)


def add_header(
    document: DocxDocument,
    *,
    issuer: str,
    place: str,
    day: datetime.date,
    parent: str = "",
    number: str = "",
) -> Table:
    """The party header: on the left the parent body, the issuer (bold), "*" and the
    number ("Số 15-QĐ/ĐU"); on the right "ĐẢNG CỘNG SẢN VIỆT NAM" (bold 15, underlined
    as the rule below it) and the place and date line (italic)."""
    table = _header_table(document)
    left, right = table.rows[0].cells
    _clear(left)
    _clear(right)
    center = WD_ALIGN_PARAGRAPH.CENTER
    if parent:
        add_paragraph(left, parent.upper(), align=center)
    add_paragraph(left, issuer.upper(), bold=True, align=center)
    add_paragraph(left, "*", align=center)
    if number:
        add_paragraph(left, f"Số {number}", align=center)
    add_paragraph(right, PARTY_NAME, size=15, bold=True, underline=True, align=center)
    add_paragraph(right, "", align=center)
    if parent:
        add_paragraph(right, "", align=center)
    add_paragraph(right, date_line(place, day), italic=True, align=center)
    add_paragraph(document, "")
    return table


def add_title(document: DocxDocument, title: str, subject: str = "", size: int = 15) -> None:
    """The document type in bold capitals, centred, and under it the subject line."""
    add_paragraph(document, title.upper(), size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    if subject:
        add_paragraph(document, subject, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(document, "")


def add_signatures(document: DocxDocument, signers: Sequence[Signer]) -> Table | None:
    """One column per signer, side by side: capacity (bold capitals), room to sign, name."""
    if not signers:
        return None
    add_paragraph(document, "")
    table = document.add_table(rows=1, cols=len(signers))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    center = WD_ALIGN_PARAGRAPH.CENTER
    for cell, signer in zip(table.rows[0].cells, signers, strict=True):
        _clear(cell)
        for line in signer.capacity.upper().splitlines():
            add_paragraph(cell, line, bold=True, align=center)
        for _ in range(3):
            add_paragraph(cell, "", align=center)
        add_paragraph(cell, signer.name, bold=True, align=center)
    return table


def to_bytes(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
