"""The minutes of the vote count (biên bản kiểm phiếu): a DOCX in the party format, read
back with python-docx — its text, its table, its fonts and its page."""

import datetime
import io
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from lantoa.awards.documents.minutes import build_minutes
from lantoa.awards.documents.party import date_line
from lantoa.awards.models import NominationStatus, VoteChoice, VoteRule
from lantoa.awards.services.votes import cast_vote, tally_round
from lantoa.orgs.models import Role
from tests.awards.factories import award_form, make_nomination, make_round, seat, vote_rule
from tests.factories import PersonFactory, UserFactory, grant
from tests.office import docx_text_through_libreoffice

D = datetime.date
IN_WINDOW = D(2020, 12, 5)
AGREE, DISAGREE, ABSTAIN = VoteChoice.AGREE, VoteChoice.DISAGREE, VoteChoice.ABSTAIN
S = NominationStatus


@pytest.fixture
def counted(tree, committee_staff):
    """A round of the root with a council of 6 (chair, secretary, 4 members), three
    nominations voted on and counted."""
    round_ = make_round(tree.root, title="Xét khen thưởng năm 2020")
    roles = ["chair", "secretary", "member", "member", "member", "member"]
    names = ["Nguyễn Văn Chủ", "Trần Thị Thư", "Lê An", "Phạm Bình", "Huỳnh Cường", "Võ Dũng"]
    members = []
    for index, (role, name) in enumerate(zip(roles, names, strict=True)):
        user = UserFactory(username=f"hd{index}")
        grant(user, Role.COUNCIL_MEMBER, tree.root)
        member = seat(round_, user, role=role, position=index)
        member.name = name
        member.save()
        members.append(user)
    person = PersonFactory(
        organization=tree.own_cell, family_name="Lê", middle_name="Thị", given_name="Hồng"
    )
    rows = [
        (make_nomination(round_, tree.own, person=person, status=S.VOTING), [AGREE] * 4),
        (
            make_nomination(
                round_,
                tree.own,
                collective=tree.own_cell,
                status=S.VOTING,
                proposed_form=award_form("bang-khen"),
            ),
            [AGREE, AGREE, AGREE, DISAGREE, ABSTAIN, DISAGREE],
        ),
        (make_nomination(round_, tree.other, status=S.VOTING), [AGREE, DISAGREE]),
    ]
    for nomination, choices in rows:
        for user, choice in zip(members, choices, strict=False):
            cast_vote(nomination, by=user, choice=choice, today=IN_WINDOW)
    make_nomination(round_, tree.other_cell, status=S.IN_REVIEW)  # not put to the council
    tally_round(round_, by=committee_staff, today=D(2020, 12, 11))
    return round_


def read(content: bytes):
    return Document(io.BytesIO(content))


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def runs_with(document, text: str):
    found = []
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found.extend(r for p in cell.paragraphs for r in p.runs if text in r.text)
    found.extend(r for p in document.paragraphs for r in p.runs if text in r.text)
    return found


def test_the_minutes_read_back_with_the_round_the_council_and_the_date(counted):
    document = read(build_minutes(counted, place="Cà Mau", day=D(2020, 12, 10)))
    text = all_text(document)

    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "ĐẢNG BỘ DÂN CHÍNH ĐẢNG TỈNH CÀ MAU" in text
    assert "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG" in text
    assert "Cà Mau, ngày 10 tháng 12 năm 2020" in text
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    assert "Xét khen thưởng năm 2020" in text
    assert "Tổng số thành viên Hội đồng: 6" in text
    assert "đã bỏ phiếu: 6" in text
    assert "quá 50% tổng số thành viên Hội đồng" in text
    assert "Tổng hợp: 1/3" in text


def test_the_table_has_one_row_per_nomination_put_to_the_council(counted):
    document = read(build_minutes(counted, place="Cà Mau", day=D(2020, 12, 10)))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    rows = [[cell.text for cell in row.cells] for row in table.rows]

    assert rows[0] == [
        "STT",
        "Cá nhân, tập thể được đề nghị",
        "Đơn vị đề nghị",
        "Hình thức đề nghị",
        "Đồng ý",
        "Không đồng ý",
        "Không biểu quyết",
        "Tỷ lệ đồng ý / tổng số thành viên",
        "Kết quả",
    ]
    assert rows[1:] == [
        ["1", "Lê Thị Hồng", "Đảng bộ Ban Dân vận Tỉnh ủy", "Giấy khen", "4", "0", "0",
         "66,67%", "Đạt"],
        ["2", "Chi bộ 1", "Đảng bộ Ban Dân vận Tỉnh ủy", "Bằng khen", "3", "2", "1",
         "50,00%", "Không đạt"],
        ["3", "Đảng bộ Viễn thông Cà Mau", "Đảng bộ Viễn thông Cà Mau", "Giấy khen", "1",
         "1", "0", "16,67%", "Không đạt"],
    ]  # fmt: skip


def test_the_signatures_name_the_secretary_and_the_chair(counted):
    document = read(build_minutes(counted, place="Cà Mau", day=D(2020, 12, 10)))
    signatures = document.tables[-1].rows[0].cells
    assert "THƯ KÝ HỘI ĐỒNG" in signatures[0].text and "Trần Thị Thư" in signatures[0].text
    assert "CHỦ TỊCH HỘI ĐỒNG" in signatures[1].text
    assert "Nguyễn Văn Chủ" in signatures[1].text


def test_fonts_and_page_follow_the_party_rules(counted):
    document = read(build_minutes(counted, place="Cà Mau", day=D(2020, 12, 10)))

    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    (party,) = runs_with(document, "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert party.font.bold and party.font.size == Pt(15)
    (date,) = runs_with(document, "ngày 10 tháng 12 năm 2020")
    assert date.font.italic and date.font.size == Pt(14)
    (title,) = runs_with(document, "BIÊN BẢN KIỂM PHIẾU")
    assert title.font.bold
    every_run = [r for p in document.paragraphs for r in p.runs]
    every_run += runs_with(document, "")
    assert every_run
    for run in every_run:
        assert run.font.name == "Times New Roman"
        fonts = run._element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "Times New Roman"


def test_the_place_is_a_parameter_and_the_secret_ballot_is_said(counted):
    counted.secret_ballot = True
    counted.vote_rule = vote_rule(base=VoteRule.Base.CAST, strictly_more=False)
    counted.save()
    text = all_text(read(build_minutes(counted, place="Bạc Liêu", day=D(2021, 2, 5))))
    assert "Bạc Liêu, ngày 05 tháng 02 năm 2021" in text
    assert "bỏ phiếu kín" in text
    assert "từ 50% số phiếu bầu" in text


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2020, 12, 10), "Cà Mau, ngày 10 tháng 12 năm 2020"),
        (D(2025, 2, 20), "Cà Mau, ngày 20 tháng 02 năm 2025"),
        (D(2025, 3, 5), "Cà Mau, ngày 05 tháng 3 năm 2025"),
    ],
)
def test_the_date_line_is_written_as_the_rules_write_it(day, expected):
    assert date_line("Cà Mau", day) == expected


def test_staff_download_the_minutes(client, counted, committee_staff):
    client.force_login(committee_staff)

    response = client.get(reverse("awards:round_minutes", args=[counted.pk]) + "?place=Cà+Mau")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "bien-ban-kiem-phieu-2020" in response["Content-Disposition"]
    assert "BIÊN BẢN KIỂM PHIẾU" in all_text(read(response.content))


def test_a_council_member_cannot_download_the_minutes(client, counted):
    client.force_login(counted.council.first().user)
    assert client.get(reverse("awards:round_minutes", args=[counted.pk])).status_code == 404


def test_libreoffice_opens_the_minutes_with_the_tally(counted, soffice, tmp_path: Path):
    data = build_minutes(counted, place="Cà Mau", day=D(2020, 12, 10))
    text = docx_text_through_libreoffice(soffice, data, tmp_path)

    assert "BIÊN BẢN KIỂM PHIẾU" in text
    assert "Cà Mau, ngày 10 tháng 12 năm 2020" in text
