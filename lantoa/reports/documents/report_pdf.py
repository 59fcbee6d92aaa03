"""The report as a PDF for printing: the DOCX converted by LibreOffice (headless) where it
is installed, so that the print is the document staff edit; otherwise the same report laid
out by reportlab in Roboto (PDF base fonts have no ư, ơ, ễ). `report_pdf` says which."""

import io
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from lantoa.awards.certificates import BOLD, ITALIC, REGULAR, register_fonts
from lantoa.awards.documents.party import PARTY_NAME, date_line
from lantoa.reports.documents import AnnexTable, Report, annexes, cell_text, chart, chart_png

__all__ = [
    "ENGINE_LIBREOFFICE",
    "ENGINE_REPORTLAB",
    "docx_to_pdf",
    "report_pdf",
    "reportlab_pdf",
    "soffice",
]

logger = logging.getLogger(__name__)
ENGINE_LIBREOFFICE, ENGINE_REPORTLAB = "libreoffice", "reportlab"
TIMEOUT_S = 180
TEXT_WIDTH = A4[0] - 45 * mm


def soffice() -> str | None:
    """LibreOffice's command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, command: str) -> bytes:
    """Convert a DOCX with LibreOffice, headless, in a private profile and folder."""
    with tempfile.TemporaryDirectory(prefix="lantoa-report-") as folder:
        work = Path(folder)
        source = work / "report.docx"
        source.write_bytes(data)
        subprocess.run(  # noqa: S603 - a fixed program and our own file
            [
                command,
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(source),
            ],
            check=True,
            timeout=TIMEOUT_S,
            capture_output=True,
            env={"HOME": str(work), "PATH": "/usr/bin:/bin:/usr/local/bin"},
        )
        return (work / "report.pdf").read_bytes()


# --- reportlab ----------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=12.5, leading=17)
    return {
        "body": ParagraphStyle(
            "text", parent=base, alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=5
        ),
        "heading": ParagraphStyle("heading", parent=base, fontName=BOLD, spaceAfter=5),
        "sub": ParagraphStyle(
            "sub", parent=base, fontName=BOLD, firstLineIndent=10 * mm, spaceAfter=5
        ),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "center_bold": ParagraphStyle("cb", parent=base, fontName=BOLD, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=15, leading=20, alignment=TA_CENTER
        ),
        "italic": ParagraphStyle("it", parent=base, fontName=ITALIC, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11),
        "cell_num": ParagraphStyle("cn", parent=base, fontSize=9, leading=11, alignment=TA_RIGHT),
        "cell_head": ParagraphStyle(
            "ch", parent=base, fontName=BOLD, fontSize=9, leading=11, alignment=TA_CENTER
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=10.5, leading=14),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_escape(text).replace("\n", "<br/>"), style)


def _header(report: Report, s: dict[str, ParagraphStyle]) -> Flowable:
    left = [
        _p(report.parent_body, s["center"]),
        _p(report.issuer_name.upper(), s["center_bold"]),
        _p("*", s["center"]),
        _p(f"Số {report.number}".replace(" ", "\u00a0"), s["center"]),
    ]
    right = [
        Paragraph(f"<u>{PARTY_NAME}</u>", s["center_bold"]),
        Spacer(1, 14),
        _p(date_line(report.place, report.day), s["italic"]),
    ]
    table = Table([[left, right]], colWidths=[TEXT_WIDTH * 0.45, TEXT_WIDTH * 0.55])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _annex(annex: AnnexTable, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    total = sum(annex.widths)
    widths = [TEXT_WIDTH * w / total for w in annex.widths]
    data = [[_p(text, s["cell_head"]) for text in annex.headers]]
    rows = list(annex.rows) + ([annex.total] if annex.total is not None and annex.rows else [])
    for values in rows:
        data.append(
            [
                _p(
                    cell_text(value),
                    s["cell_num"] if isinstance(value, int | float) else s["cell"],
                )
                for value in values
            ]
        )
    if not annex.rows:
        data.append([_p("Chưa có số liệu", s["cell"])] + [""] * (len(annex.headers) - 1))
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if not annex.rows:
        style.append(("SPAN", (0, 1), (-1, 1)))
    table.setStyle(TableStyle(style))
    return [_p(annex.title, s["center_bold"]), Spacer(1, 4), table, Spacer(1, 12)]


def _signature(report: Report, s: dict[str, ParagraphStyle]) -> Flowable:
    left = [Paragraph("<u><b>Nơi nhận:</b></u>", s["small"])]
    left += [_p(line, s["small"]) for line in report.recipients()]
    right = [
        _p("T/M BAN THƯỜNG VỤ", s["center_bold"]),
        _p(report.signer_title.upper(), s["center_bold"]),
        Spacer(1, 50),
        _p(report.signer_name, s["center_bold"]),
    ]
    table = Table([[left, right]], colWidths=[TEXT_WIDTH * 0.5, TEXT_WIDTH * 0.5])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 10), table])


def reportlab_pdf(report: Report) -> bytes:
    """The same report laid out by reportlab, when LibreOffice is not there."""
    s = _styles()
    story: list[Flowable] = [_header(report, s), Spacer(1, 16)]
    story += [_p("BÁO CÁO", s["title"]), _p(report.subject, s["center_bold"]), Spacer(1, 12)]
    for section in report.sections:
        if section.heading:
            story.append(_p(section.heading, s["sub"] if section.level > 1 else s["heading"]))
        story += [_p(text, s["body"]) for text in section.paragraphs]
    story.append(_p(report.closing(), s["body"]))
    story.append(_signature(report, s))
    story += [PageBreak(), _p("PHỤ LỤC", s["title"]), _p(report.subject, s["center_bold"])]
    story += [_p(report.annex_note(), s["italic"]), Spacer(1, 10)]
    for annex in annexes(report):
        story += _annex(annex, s)
    data = chart(report)
    image = Image(io.BytesIO(chart_png(data)), width=TEXT_WIDTH, height=TEXT_WIDTH / 2)
    story += [image, _p(data.title, s["italic"])]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=30 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"Báo cáo {report.subject}",
        author=report.issuer_name,
    )
    document.build(story)
    return buffer.getvalue()


def report_pdf(report: Report, docx: bytes | None = None) -> tuple[bytes, str]:
    """The PDF and the engine that made it: LibreOffice from the DOCX if it is installed
    (and given the DOCX), else reportlab — also when LibreOffice fails on it."""
    command = soffice()
    if command is not None and docx is not None:
        try:
            return docx_to_pdf(docx, command), ENGINE_LIBREOFFICE
        except (OSError, subprocess.SubprocessError):
            logger.warning("LibreOffice could not convert the report; reportlab lays it out")
    return reportlab_pdf(report), ENGINE_REPORTLAB
