"""Drawing a certificate (giấy khen, bằng khen...) as a one-page PDF, A4 landscape.

The text is Vietnamese whatever the page language, set in Roboto (embedded, subset): the
PDF base-14 fonts have no glyph for ư, ơ, ễ and the like. A QR code in the corner opens
the public page that confirms the award; the verification code is printed beside it for
those who type it. The same award and address always give the same bytes.
"""

import datetime
import io
from dataclasses import dataclass
from functools import lru_cache

import font_roboto
import segno
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from lantoa.awards.models import Award
from lantoa.core.text import nfc
from lantoa.orgs.models import Organization

__all__ = ["CertificateText", "certificate_text", "render_certificate"]

REGULAR, BOLD, ITALIC = "Roboto", "Roboto-Bold", "Roboto-Italic"
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
RED = Color(0.72, 0.07, 0.07)
GOLD = Color(0.75, 0.58, 0.18)
TEXT_WIDTH = PAGE_WIDTH - 200
QR_SIZE = 86  # points, about 3 cm: read by any phone from paper
DEFAULT_ACHIEVEMENT = (
    "Đã có thành tích tiêu biểu trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
)


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register Roboto regular, bold and italic once per process."""
    for name, file in ((REGULAR, "Roboto"), (BOLD, "RobotoBold"), (ITALIC, "RobotoItalic")):
        pdfmetrics.registerFont(TTFont(name, font_roboto.font_files[file]))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC)


@dataclass(frozen=True)
class CertificateText:
    """Every line printed on a certificate, already in NFC."""

    parent_body: str
    issuer: str
    form: str
    recipient: str
    recipient_organization: str
    achievement: str
    decision: str
    place_date: str
    signer_title: str
    signer_name: str
    code: str
    verify_url: str


def long_date(day: datetime.date) -> str:
    """20/02/2025 as a party document writes it: "ngày 20 tháng 02 năm 2025"."""
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _achievement(award: Award) -> str:
    nomination = award.nomination
    round_ = nomination.round if nomination is not None else award.decision.round
    if round_ is None or not round_.title:
        return DEFAULT_ACHIEVEMENT
    title = nfc(round_.title)
    return f"Đã có thành tích tiêu biểu trong đợt {title[:1].lower()}{title[1:]}"


def _recipient_organization(award: Award) -> str:
    if award.person_id:
        org = award.person.organization
        return org.name if org is not None else ""
    parent = Organization.objects.get_parent(award.collective)
    if parent is None or parent.pk == award.decision.organization_id:
        return ""
    return f"Trực thuộc {parent.name}"


def certificate_text(award: Award, verify_url: str) -> CertificateText:
    """The lines of the award's certificate (its decision must be issued)."""
    decision = award.decision
    issuer = decision.organization
    parent = Organization.objects.get_parent(issuer)
    recipient = award.person.full_name if award.person_id else award.collective.name
    place = f"{decision.place}, " if decision.place else ""
    lines = {
        "parent_body": parent.name.upper() if parent is not None else "",
        "issuer": issuer.name.upper(),
        "form": award.form.name.upper(),
        "recipient": recipient,
        "recipient_organization": _recipient_organization(award),
        "achievement": _achievement(award),
        "decision": f"Quyết định số {decision.symbol} ngày {decision.date:%d/%m/%Y}",
        "place_date": place + long_date(decision.date),
        "signer_title": decision.signer_title.upper(),
        "signer_name": decision.signer_name,
        "code": f"Mã xác thực: {award.verification_code}",
        "verify_url": verify_url,
    }
    return CertificateText(**{key: nfc(value) for key, value in lines.items()})


# --- drawing ------------------------------------------------------------------------------


def _fit(text: str, font: str, size: float, width: float, smallest: float = 10) -> float:
    """The largest size up to `size` at which the text fits on one line of `width`."""
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _centered(
    pdf: canvas.Canvas, text: str, x: float, y: float, font: str, size: float, width: float
) -> float:
    """Centered lines (wrapped to `width`) from `y` down; returns the y below them."""
    if not text:
        return y
    pdf.setFont(font, size)
    for paragraph in text.splitlines():
        for line in simpleSplit(paragraph, font, size, width):
            pdf.drawCentredString(x, y, line)
            y -= size * 1.3
    return y


def _frame(pdf: canvas.Canvas) -> None:
    pdf.setStrokeColor(RED)
    pdf.setLineWidth(3)
    pdf.rect(22, 22, PAGE_WIDTH - 44, PAGE_HEIGHT - 44)
    pdf.setStrokeColor(GOLD)
    pdf.setLineWidth(1)
    pdf.rect(30, 30, PAGE_WIDTH - 60, PAGE_HEIGHT - 60)


def _header(pdf: canvas.Canvas, text: CertificateText) -> None:
    left, right, top = 215, PAGE_WIDTH - 215, PAGE_HEIGHT - 70
    pdf.setFillColor(black)
    y = top
    if text.parent_body:
        y = _centered(pdf, text.parent_body, left, y, REGULAR, 13, 300)
    y = _centered(pdf, text.issuer, left, y, BOLD, 13, 300)
    pdf.setFont(BOLD, 13)
    pdf.drawCentredString(left, y, "*")
    title = "ĐẢNG CỘNG SẢN VIỆT NAM"
    pdf.setFont(BOLD, 14)
    pdf.drawCentredString(right, top, title)
    half = pdfmetrics.stringWidth(title, BOLD, 14) / 2
    pdf.setStrokeColor(black)
    pdf.setLineWidth(0.8)
    pdf.line(right - half, top - 6, right + half, top - 6)


def _body(pdf: canvas.Canvas, text: CertificateText) -> float:
    """The middle of the certificate; returns the y below it."""
    middle = PAGE_WIDTH / 2
    pdf.setFillColor(RED)
    size = _fit(text.form, BOLD, 44, TEXT_WIDTH, 24)
    y = _centered(pdf, text.form, middle, PAGE_HEIGHT - 190, BOLD, size, TEXT_WIDTH) - 4
    pdf.setFillColor(black)
    y = _centered(pdf, "Tặng", middle, y, ITALIC, 17, TEXT_WIDTH) - 6
    pdf.setFillColor(RED)
    size = _fit(text.recipient, BOLD, 26, TEXT_WIDTH, 16)
    y = _centered(pdf, text.recipient, middle, y - 6, BOLD, size, TEXT_WIDTH) - 2
    pdf.setFillColor(black)
    y = _centered(pdf, text.recipient_organization, middle, y, REGULAR, 15, TEXT_WIDTH) - 8
    y = _centered(pdf, text.achievement, middle, y, ITALIC, 15, TEXT_WIDTH - 60) - 6
    return _centered(pdf, text.decision, middle, y, REGULAR, 13, TEXT_WIDTH)


def _signature(pdf: canvas.Canvas, text: CertificateText, top: float) -> None:
    x, y = PAGE_WIDTH - 230, min(175, top)
    y = _centered(pdf, text.place_date, x, y, ITALIC, 13, 330)
    y = _centered(pdf, text.signer_title, x, y, BOLD, 13, 330)
    _centered(pdf, text.signer_name, x, max(min(y, 150) - 62, 48), BOLD, 14, 330)


def _qr(pdf: canvas.Canvas, text: CertificateText) -> None:
    """The QR code drawn module by module (runs of dark modules as one rectangle), with
    the code and the address written beside it."""
    code = segno.make(text.verify_url, error="m", micro=False)
    rows = [list(row) for row in code.matrix_iter(scale=1, border=4)]
    module = QR_SIZE / len(rows)
    x0, y0 = 62, 60
    pdf.setFillColor(black)
    for r, row in enumerate(rows):
        top = y0 + QR_SIZE - (r + 1) * module
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            pdf.rect(x0 + start * module, top, (c - start) * module, module, stroke=0, fill=1)
    pdf.setFont(BOLD, 12)
    pdf.drawString(x0 + QR_SIZE + 8, y0 + 48, text.code)
    pdf.setFont(REGULAR, 8.5)
    pdf.drawString(x0 + QR_SIZE + 8, y0 + 34, "Quét mã hoặc tra cứu tại:")
    for i, line in enumerate(simpleSplit(text.verify_url, REGULAR, 8.5, 250)[:3]):
        pdf.drawString(x0 + QR_SIZE + 8, y0 + 22 - 10 * i, line)


def render_certificate(award: Award, verify_url: str) -> bytes:
    """The award's certificate as PDF bytes; `verify_url` is what the QR code opens."""
    register_fonts()
    text = certificate_text(award, verify_url)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        invariant=1,
        pageCompression=1,
        initialFontName=REGULAR,  # else Helvetica is declared, though never used
    )
    pdf.setTitle(f"{text.form} – {text.recipient}")
    pdf.setAuthor(text.issuer)
    pdf.setSubject(text.decision)
    pdf.setCreator("Lan Tỏa")
    _frame(pdf)
    _header(pdf, text)
    _signature(pdf, text, _body(pdf, text) - 4)
    _qr(pdf, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
