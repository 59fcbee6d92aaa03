"""The minutes of the council's vote count (biên bản kiểm phiếu), as a DOCX in the party
format: header, place and date, title, the round and its council, one row per nomination
with its votes and result by the round's rule, and the signatures of the secretary and the
chair.

A party document is written in Vietnamese whatever the language of the page that asks for
it, so its wording is Vietnamese here rather than translated messages.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from lantoa.awards.documents import party
from lantoa.awards.models import (
    Ballot,
    CouncilMember,
    CouncilRole,
    Nomination,
    NominationEvent,
    NominationStatus,
    Round,
    VoteRule,
)
from lantoa.awards.tally import Tally, compute_many, council_size, put_to_council

__all__ = ["COLUMNS", "CONTENT_TYPE", "MinutesRow", "build_minutes", "minutes_filename"]

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = "Biên bản kiểm phiếu"
ISSUER = "Hội đồng Thi đua – Khen thưởng"
COLUMNS = (
    ("STT", 10),
    ("Cá nhân, tập thể được đề nghị", 34),
    ("Đơn vị đề nghị", 27),
    ("Hình thức đề nghị", 20),
    ("Đồng ý", 13),
    ("Không đồng ý", 14),
    ("Không biểu quyết", 15),
    ("Tỷ lệ đồng ý / tổng số thành viên", 18),
    ("Kết quả", 14),
)  # header and width in mm (165 mm of text on A4 with the party margins)
TABLE_SIZE = 11


@dataclass(frozen=True)
class MinutesRow:
    number: int
    nominee: str
    nominating: str
    form: str
    tally: Tally

    @property
    def cells(self) -> list[str]:
        return [
            str(self.number),
            self.nominee,
            self.nominating,
            self.form,
            str(self.tally.agree),
            str(self.tally.disagree),
            str(self.tally.abstain),
            percent(self.tally),
            "Đạt" if self.tally.selected else "Không đạt",
        ]


def percent(tally: Tally) -> str:
    """ "66,67%": two decimals, with the Vietnamese decimal comma."""
    return f"{tally.percent_agree_of_members}".replace(".", ",") + "%"


def rule_in_words(rule: VoteRule) -> str:
    base = "số phiếu bầu" if rule.base == VoteRule.Base.CAST else "tổng số thành viên Hội đồng"
    share = "quá" if rule.strictly_more else "từ"
    return (
        f"số thành viên Hội đồng tham gia bỏ phiếu đạt từ {rule.quorum_percent}% tổng số "
        f"thành viên trở lên; cá nhân, tập thể được {share} {rule.approval_percent}% {base} "
        "đồng ý thì được đề nghị khen thưởng"
    )


def _rows(round_: Round) -> list[MinutesRow]:
    nominations = list(
        put_to_council(round_).select_related(
            "person", "collective", "nominating_organization", "proposed_form"
        )
    )
    tallies = compute_many(round_, nominations)
    return [
        MinutesRow(
            number=index,
            nominee=_nominee(nomination),
            nominating=nomination.nominating_organization.name,
            form=nomination.proposed_form.name,
            tally=tallies[nomination.pk],
        )
        for index, nomination in enumerate(nominations, start=1)
    ]


def _nominee(nomination: Nomination) -> str:
    if nomination.person_id:
        return nomination.person.full_name
    return nomination.collective.name


def counted_on(round_: Round) -> datetime.date:
    """The day the votes were counted (the last tally), or today if not yet counted."""
    last = NominationEvent.objects.filter(
        nomination__round_id=round_.pk, from_status=NominationStatus.VOTING
    ).aggregate(last=Max("at"))["last"]
    return timezone.localdate(last) if last else timezone.localdate()


def _signers(round_: Round) -> list[party.Signer]:
    seats = {
        member.role: member
        for member in CouncilMember.objects.filter(
            round_id=round_.pk, role__in=[CouncilRole.SECRETARY, CouncilRole.CHAIR]
        ).order_by("-position", "-id")  # the first seated of each role wins
    }
    signers = []
    if CouncilRole.SECRETARY in seats:
        signers.append(party.Signer("Thư ký Hội đồng", seats[CouncilRole.SECRETARY].name))
    if CouncilRole.CHAIR in seats:
        signers.append(party.Signer("Chủ tịch Hội đồng", seats[CouncilRole.CHAIR].name))
    return signers


def _add_table(document, rows: list[MinutesRow]) -> None:
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    center = WD_ALIGN_PARAGRAPH.CENTER
    for cell, (header, width) in zip(table.rows[0].cells, COLUMNS, strict=True):
        party.set_cell_text(cell, header, size=TABLE_SIZE, bold=True, align=center)
        cell.width = Mm(width)
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row.cells, strict=True)):
            aligned = None if index in (1, 2, 3) else center
            party.set_cell_text(cell, text, size=TABLE_SIZE, align=aligned)
            cell.width = Mm(COLUMNS[index][1])


def _body(document, round_: Round, rows: list[MinutesRow], members: int, voted: int) -> None:
    rule = round_.vote_rule
    how = "bỏ phiếu kín" if round_.secret_ballot else "biểu quyết công khai"
    lines = [
        f"Đợt xét: {round_.title} (năm {round_.year}).",
        f"Thời gian bỏ phiếu: từ ngày {round_.voting_opens:%d/%m/%Y} "
        f"đến ngày {round_.voting_closes:%d/%m/%Y}.",
        f"Hình thức biểu quyết: {how}.",
        f"Tổng số thành viên Hội đồng: {members}; "
        f"số thành viên có mặt, đã bỏ phiếu: {voted}; vắng: {max(members - voted, 0)}.",
        f"Nguyên tắc: {rule_in_words(rule)}.",
        f"Số cá nhân, tập thể được đưa ra biểu quyết: {len(rows)}. Kết quả kiểm phiếu như sau:",
    ]
    for line in lines:
        party.add_paragraph(
            document, line, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_indent_mm=10
        )
    party.add_paragraph(document, "")
    _add_table(document, rows)
    party.add_paragraph(document, "")
    selected = sum(1 for row in rows if row.tally.selected)
    party.add_paragraph(
        document,
        f"Tổng hợp: {selected}/{len(rows)} cá nhân, tập thể đạt số phiếu đồng ý theo "
        "nguyên tắc trên. Biên bản được lập và thông qua trước Hội đồng.",
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line_indent_mm=10,
    )


def build_minutes(
    round_: Round, *, place: str | None = None, day: datetime.date | None = None
) -> bytes:
    """The minutes of the round's vote count as DOCX bytes. `place` defaults to the
    setting LANTOA_DOCUMENT_PLACE ("Cà Mau"), `day` to the day the votes were counted."""
    organization = round_.organization
    place = place if place is not None else getattr(settings, "LANTOA_DOCUMENT_PLACE", "Cà Mau")
    rows = _rows(round_)
    members = council_size(round_)
    voted = (
        Ballot.objects.filter(nomination__round_id=round_.pk).values("member_id").distinct().count()
    )
    document = party.new_document()
    party.add_header(
        document,
        parent=organization.name,
        issuer=ISSUER,
        place=place,
        day=day or counted_on(round_),
    )
    party.add_title(document, TITLE, f"Xét khen thưởng: {round_.title}")
    _body(document, round_, rows, members, voted)
    party.add_signatures(document, _signers(round_))
    return party.to_bytes(document)


def minutes_filename(round_: Round) -> str:
    return f"bien-ban-kiem-phieu-{round_.year}-{round_.pk}.docx"
