"""The papers of a ceremony's day as a DOCX in the party layout: the program, then the
honor list (those honored, with their form and the decision that commended them).

The text is Vietnamese, as the document is.
"""

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from lantoa.awards.documents import party
from lantoa.awards.documents.decision import issuer_name, parent_body, recipient_line
from lantoa.awards.models import Award, Ceremony

__all__ = ["ceremony_docx", "download_name", "honor_list"]

CENTER = WD_ALIGN_PARAGRAPH.CENTER


def honor_list(ceremony: Ceremony) -> list[Award]:
    """Those honored in the order they are called: by decision, then the annex order."""
    return list(
        ceremony.honored.select_related(
            "person__organization", "collective", "form", "decision"
        ).order_by("decision__date", "decision_id", "position", "id")
    )


def _program(document, ceremony: Ceremony) -> None:
    lines = [line.strip() for line in ceremony.program.splitlines() if line.strip()]
    for line in lines or ["(Chương trình chưa được nhập.)"]:
        party.add_paragraph(
            document,
            line,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            space_after=6,
            first_line_indent_mm=10,
        )


def _honor_table(document, awards: list[Award]) -> None:
    table = document.add_table(rows=1, cols=4)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(12), Mm(88), Mm(35), Mm(party.TEXT_WIDTH_MM - 135))
    headers = ("STT", "Tập thể, cá nhân", "Hình thức", "Quyết định")
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = width
        party.set_cell_text(cell, text, bold=True, align=CENTER)
    for number, award in enumerate(awards, 1):
        decision = award.decision
        day = decision.date.strftime("%d/%m/%Y") if decision.date else ""
        values = (str(number), recipient_line(award), award.form.name, f"{decision.symbol}\n{day}")
        cells = table.add_row().cells
        for cell, text, width in zip(cells, values, widths, strict=True):
            cell.width = width
            party.set_cell_text(cell, text)
        cells[0].paragraphs[0].alignment = CENTER


def ceremony_docx(ceremony: Ceremony) -> bytes:
    """The program and the honor list of the ceremony, as the bytes of a DOCX file."""
    organization = ceremony.organization
    awards = honor_list(ceremony)
    document = party.new_document()
    party.add_header(
        document,
        issuer=issuer_name(organization).upper(),
        place=ceremony.place,
        day=ceremony.date,
        parent=parent_body(organization),
    )
    party.add_title(document, "CHƯƠNG TRÌNH", ceremony.title)
    _program(document, ceremony)
    document.add_page_break()
    party.add_paragraph(document, "DANH SÁCH", size=15, bold=True, align=CENTER)
    party.add_paragraph(
        document, "TẬP THỂ, CÁ NHÂN ĐƯỢC TUYÊN DƯƠNG, KHEN THƯỞNG", bold=True, align=CENTER
    )
    party.add_paragraph(
        document,
        f"({ceremony.title}, {ceremony.place}, ngày {ceremony.date:%d/%m/%Y})",
        italic=True,
        align=CENTER,
        space_after=6,
    )
    _honor_table(document, awards)
    return party.to_bytes(document)


def download_name(ceremony: Ceremony) -> str:
    return f"le-tuyen-duong-{ceremony.pk}-{ceremony.date:%Y%m%d}.docx"
