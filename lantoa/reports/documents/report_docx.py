"""The summary report as a DOCX in the party layout (HD 36-HD/VPTW), editable in Word and
LibreOffice: the header with a blank number "Số      -BC/ĐU" for the office to fill, the
place and date line, "BÁO CÁO" and its subject, the narrative as real paragraphs, the
closing and signature, then the annex tables and the chart (the only picture).
"""

import io

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from lantoa.awards.documents import party
from lantoa.reports.documents import AnnexTable, Report, annexes, cell_text, chart, chart_png

__all__ = ["report_docx"]

CENTER, JUSTIFY, RIGHT = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
    WD_ALIGN_PARAGRAPH.RIGHT,
)
INDENT_MM = 10
TABLE_SIZE = 12
WIDE_TABLE_SIZE = 10  # tables of eight columns or more
CHART_WIDTH_MM = 160


def _body(document: DocxDocument, report: Report) -> None:
    for section in report.sections:
        if section.heading:
            party.add_paragraph(
                document,
                section.heading,
                bold=True,
                align=JUSTIFY,
                space_after=6,
                first_line_indent_mm=INDENT_MM if section.level > 1 else 0,
            )
        for text in section.paragraphs:
            party.add_paragraph(
                document, text, align=JUSTIFY, space_after=6, first_line_indent_mm=INDENT_MM
            )
    party.add_paragraph(
        document, report.closing(), align=JUSTIFY, space_after=6, first_line_indent_mm=INDENT_MM
    )


def _closing(document: DocxDocument, report: Report) -> None:
    """ "Nơi nhận:" on the left, "T/M BAN THƯỜNG VỤ" and the signer on the right."""
    party.add_paragraph(document, "")
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Mm(80), Mm(party.TEXT_WIDTH_MM - 80)
    party.set_cell_text(left, "Nơi nhận:", size=12, bold=True)
    left.paragraphs[0].runs[0].font.underline = True
    for line in report.recipients():
        party.add_paragraph(left, line, size=12)
    party.set_cell_text(right, "T/M BAN THƯỜNG VỤ", size=party.BODY_SIZE, bold=True, align=CENTER)
    party.add_paragraph(right, report.signer_title.upper(), bold=True, align=CENTER)
    for _ in range(3):
        party.add_paragraph(right, "", align=CENTER)
    party.add_paragraph(right, report.signer_name, bold=True, align=CENTER)


def _widths(annex: AnnexTable) -> list[Mm]:
    total = sum(annex.widths)
    return [Mm(party.TEXT_WIDTH_MM * w / total) for w in annex.widths]


def _annex_table(document: DocxDocument, annex: AnnexTable, note: str) -> None:
    party.add_paragraph(document, annex.title, bold=True, align=CENTER)
    party.add_paragraph(document, note, size=12, italic=True, align=CENTER, space_after=6)
    size = WIDE_TABLE_SIZE if len(annex.headers) >= 8 else TABLE_SIZE
    widths = _widths(annex)
    header_rows = 2 if annex.groups else 1
    table = document.add_table(rows=header_rows, cols=len(annex.headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if annex.groups:
        _group_header(table, annex, size)
    else:
        for cell, text in zip(table.rows[0].cells, annex.headers, strict=True):
            party.set_cell_text(cell, text, size=size, bold=True, align=CENTER)
    rows = list(annex.rows)
    if not rows:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        party.set_cell_text(merged, "Chưa có số liệu", size=size, align=CENTER)
    for values in rows:
        _row(table, values, size)
    if annex.total is not None and rows:
        _row(table, annex.total, size, bold=True)
    _set_widths(table, widths)
    party.add_paragraph(document, "", space_after=6)


def _set_widths(table, widths: list[Mm]) -> None:
    """Fixed column widths, in the grid (which LibreOffice reads) and in every cell (Word)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _group_header(table, annex: AnnexTable, size: int) -> None:
    """Two header rows: the groups ("Đề nghị") over the kinds ("Tập thể", "Cá nhân")."""
    top, bottom = table.rows[0].cells, table.rows[1].cells
    column = 0
    for label, span in annex.groups or []:
        if span == 1:
            cell = top[column].merge(bottom[column])
            party.set_cell_text(cell, label, size=size, bold=True, align=CENTER)
        else:
            cell = top[column].merge(top[column + span - 1])
            party.set_cell_text(cell, label, size=size, bold=True, align=CENTER)
            for k in range(span):
                header = annex.headers[column + k].split(" ")[:2]
                party.set_cell_text(
                    bottom[column + k], " ".join(header), size=size, bold=True, align=CENTER
                )
        column += span


def _row(table, values: list, size: int, bold: bool = False) -> None:
    cells = table.add_row().cells
    for cell, value in zip(cells, values, strict=True):
        text = "" if value is None and bold else cell_text(value)
        align = RIGHT if isinstance(value, int | float) and not isinstance(value, bool) else None
        party.set_cell_text(cell, text, size=size, bold=bold, align=align)


def _chart(document: DocxDocument, report: Report) -> None:
    data = chart(report)
    document.add_paragraph().add_run().add_picture(
        io.BytesIO(chart_png(data)), width=Mm(CHART_WIDTH_MM)
    )
    document.paragraphs[-1].alignment = CENTER
    party.add_paragraph(document, data.title, size=12, italic=True, align=CENTER)


def report_docx(report: Report) -> bytes:
    """The report, its annexes and chart, as the bytes of a DOCX file."""
    document = party.new_document()
    party.add_header(
        document,
        issuer=report.issuer_name.upper(),
        place=report.place,
        day=report.day,
        parent=report.parent_body,
        number=report.number,
    )
    party.add_title(document, "BÁO CÁO", report.subject)
    _body(document, report)
    _closing(document, report)
    document.add_page_break()
    party.add_paragraph(document, "PHỤ LỤC", size=15, bold=True, align=CENTER)
    party.add_paragraph(document, report.subject, bold=True, align=CENTER, space_after=6)
    note = report.annex_note()
    for annex in annexes(report):
        _annex_table(document, annex, note)
    _chart(document, report)
    return party.to_bytes(document)
