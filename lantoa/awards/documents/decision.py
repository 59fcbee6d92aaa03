"""A decision on commendation as a DOCX in the party format (HD 36-HD/VPTW): the header
with the number, the place and date line, "QUYẾT ĐỊNH" and the subject, the preamble, the
articles, the recipients and the signature; then the annex listing those commended (or
whose award is revoked), collectives first, then individuals by name.

The text is Vietnamese, as the document is.
"""

import datetime

from django.utils import timezone
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from lantoa.awards.documents import party
from lantoa.awards.models import Award, Decision, DecisionKind
from lantoa.awards.services.decisions import DEFAULT_PREAMBLE
from lantoa.core.text import search_key
from lantoa.orgs.models import Organization
from lantoa.programs.models import Issuer
from lantoa.programs.services.documents import own_issuer

__all__ = ["decision_docx", "download_name", "issuer_name", "parent_body", "recipient_line"]

JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
CENTER = WD_ALIGN_PARAGRAPH.CENTER
INDENT_MM = 10
# the higher body written above the issuer, from the name of the parent organization
_BODIES = (
    ("Tỉnh ủy ", "Đảng bộ tỉnh "),
    ("Thành ủy ", "Đảng bộ thành phố "),
    ("Huyện ủy ", "Đảng bộ huyện "),
    ("Thị ủy ", "Đảng bộ thị xã "),
)


def parent_body(organization: Organization) -> str:
    """ "ĐẢNG BỘ TỈNH CÀ MAU" above a committee of the Tỉnh ủy Cà Mau; empty at the top."""
    parent = Organization.objects.get_parent(organization)
    if parent is None:
        return ""
    name = parent.name
    for committee, body in _BODIES:
        if name.startswith(committee):
            name = body + name[len(committee) :]
            break
    return name.upper()


def issuer_name(organization: Organization, issuer: Issuer | None = None) -> str:
    """The issuing committee's name (its issuer's, or the organization's)."""
    issuer = issuer or own_issuer(organization)
    return issuer.name if issuer is not None else organization.name


def recipient_line(award: Award) -> str:
    """ "Đồng chí Nguyễn Văn An, Bí thư Chi bộ, Chi bộ 1" or the collective's name."""
    if award.collective_id:
        return award.collective.name
    person = award.person
    parts = [f"Đồng chí {person.full_name}"]
    if person.position:
        parts.append(person.position)
    if person.organization_id:
        parts.append(person.organization.name)
    return ", ".join(parts)


def _short_date(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"


def _count(awards: list[Award]) -> str:
    collectives = sum(1 for award in awards if award.collective_id)
    people = len(awards) - collectives
    parts = []
    if collectives:
        parts.append(f"{collectives:02d} tập thể")
    if people:
        parts.append(f"{people:02d} cá nhân")
    return " và ".join(parts) or "các tập thể, cá nhân"


def _number(decision: Decision, issuer: Issuer | None) -> str:
    if decision.symbol:
        return decision.symbol
    code = issuer.code if issuer is not None else ""
    return f"     -QĐ/{code}"  # a draft: the number is written when it is issued


def _annex_awards(decision: Decision) -> list[Award]:
    awards = (
        decision.revoked_awards.all()
        if decision.kind == DecisionKind.REVOCATION
        else decision.awards.all()
    )
    return list(
        awards.select_related("person__organization", "collective", "form").order_by(
            "position", "id"
        )
    )


def _text(document, text: str, *, bold: bool = False, indent: bool = True) -> None:
    party.add_paragraph(
        document,
        text,
        bold=bold,
        align=JUSTIFY,
        space_after=6,
        first_line_indent_mm=INDENT_MM if indent else 0,
    )


def _referred(decision: Decision, issuer_text: str) -> str:
    original = decision.refers_to
    return (
        f"Quyết định số {original.symbol}, ngày {_short_date(original.date)} của Ban Thường vụ "
        f"{issuer_text} {original.subject[:1].lower()}{original.subject[1:]}"
    )


def _articles(document, decision: Decision, awards: list[Award], issuer_text: str) -> None:
    annex = " (có danh sách kèm theo)" if awards else ""
    if decision.kind == DecisionKind.CORRECTION:
        _text(document, f"Điều 1. Đính chính {_referred(decision, issuer_text)} như sau:")
        for line in decision.body.splitlines():
            if line.strip():
                _text(document, line.strip())
        if awards:
            _text(document, f"Hình thức khen thưởng của {_count(awards)} được đính chính{annex}.")
    elif decision.kind == DecisionKind.REVOCATION:
        _text(
            document,
            f"Điều 1. Thu hồi khen thưởng đối với {_count(awards)} tại "
            f"{_referred(decision, issuer_text)}{annex}.",
        )
        _text(document, f"Lý do: {decision.body.strip()}")
    else:
        _text(
            document,
            f"Điều 1. Khen thưởng {_count(awards)} có thành tích tiêu biểu, xuất sắc{annex}.",
        )
    _text(document, "Điều 2. Quyết định có hiệu lực kể từ ngày ký.")
    _text(
        document,
        "Điều 3. Văn phòng Đảng ủy, các tổ chức đảng có liên quan và các tập thể, cá nhân "
        "có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
    )


def _preamble(decision: Decision) -> list[str]:
    text = decision.body if decision.kind == DecisionKind.COMMENDATION else DEFAULT_PREAMBLE
    return [line.strip() for line in (text or DEFAULT_PREAMBLE).splitlines() if line.strip()]


def _closing(document, decision: Decision) -> None:
    """ "Nơi nhận:" on the left, the signature on the right."""
    party.add_paragraph(document, "")
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Mm(80), Mm(party.TEXT_WIDTH_MM - 80)
    party.set_cell_text(left, "Nơi nhận:", size=12, bold=True)
    left.paragraphs[0].runs[0].font.underline = True
    for line in ("- Như Điều 3,", "- Lưu Văn phòng Đảng ủy."):
        party.add_paragraph(left, line, size=12)
    party.set_cell_text(right, "T/M BAN THƯỜNG VỤ", size=party.BODY_SIZE, bold=True, align=CENTER)
    party.add_paragraph(right, decision.signer_title.upper(), bold=True, align=CENTER)
    for _ in range(3):
        party.add_paragraph(right, "", align=CENTER)
    party.add_paragraph(right, decision.signer_name, bold=True, align=CENTER)


def _annex(
    document, decision: Decision, awards: list[Award], issuer_text: str, number: str
) -> None:
    document.add_page_break()
    party.add_paragraph(document, "DANH SÁCH", size=15, bold=True, align=CENTER)
    heading = (
        "tập thể, cá nhân bị thu hồi khen thưởng"
        if decision.kind == DecisionKind.REVOCATION
        else "tập thể, cá nhân được khen thưởng"
    )
    party.add_paragraph(document, heading.upper(), bold=True, align=CENTER)
    party.add_paragraph(
        document,
        f"(Kèm theo Quyết định số {number.strip()}, ngày "
        f"{_short_date(decision.date)} của Ban Thường vụ {issuer_text})",
        italic=True,
        align=CENTER,
        space_after=6,
    )
    table = document.add_table(rows=1, cols=3)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(15), Mm(110), Mm(party.TEXT_WIDTH_MM - 125))
    for cell, text, width in zip(
        table.rows[0].cells, ("STT", "Tập thể, cá nhân", "Hình thức"), widths, strict=True
    ):
        cell.width = width
        party.set_cell_text(cell, text, bold=True, align=CENTER)
    for number, award in enumerate(awards, 1):
        cells = table.add_row().cells
        values = (str(number), recipient_line(award), award.form.name)
        for cell, text, width in zip(cells, values, widths, strict=True):
            cell.width = width
            party.set_cell_text(cell, text)
        cells[0].paragraphs[0].alignment = CENTER


def decision_docx(decision: Decision) -> bytes:
    """The decision, with its annex, as the bytes of a DOCX file."""
    organization = decision.organization
    issuer = own_issuer(organization)
    issuer_text = issuer_name(organization, issuer)
    awards = _annex_awards(decision)
    document = party.new_document()
    if not decision.is_issued:
        party.add_paragraph(document, "DỰ THẢO", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    party.add_header(
        document,
        issuer=issuer_text.upper(),
        place=decision.place,
        day=decision.date or timezone.localdate(),
        parent=parent_body(organization),
        number=_number(decision, issuer),
    )
    party.add_title(document, "QUYẾT ĐỊNH", decision.subject)
    party.add_paragraph(
        document, f"BAN THƯỜNG VỤ {issuer_text.upper()}", bold=True, align=CENTER, space_after=6
    )
    for line in _preamble(decision):
        _text(document, line)
    party.add_paragraph(document, "QUYẾT ĐỊNH:", bold=True, align=CENTER, space_after=6)
    _articles(document, decision, awards, issuer_text)
    _closing(document, decision)
    if awards:
        _annex(document, decision, awards, issuer_text, _number(decision, issuer))
    return party.to_bytes(document)


def download_name(decision: Decision) -> str:
    """ "quyet-dinh-15-QD-DU.docx"; a draft: "du-thao-quyet-dinh-7.docx"."""
    if decision.symbol:
        stem = search_key(decision.symbol).upper().replace("/", "-").replace(" ", "")
        return f"quyet-dinh-{stem}.docx"
    return f"du-thao-quyet-dinh-{decision.pk}.docx"
