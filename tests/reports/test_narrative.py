"""The narrative of a summary report, written from hand-built figures: every number comes
from the figures, formatted as Vietnamese documents write it (1.234, 92,6%), and a figure
that is missing is said to be missing, never made up."""

import datetime
import re

import pytest

from lantoa.reports.figures import (
    ActivityRow,
    CommendationFigures,
    Figures,
    FormCount,
    ModelFigures,
    Period,
    PilotFigures,
    RegistrationFigures,
    StudyFigures,
    YearRow,
)
from lantoa.reports.narrative import (
    MISSING,
    activity_phrase,
    narrative,
    number,
    percent,
    period_phrase,
    subject,
)

D = datetime.date
NAMED = [
    (
        "Đảng bộ Ban Dân vận Tỉnh ủy Cà Mau",
        "Xây dựng ý thức tôn trọng nhân dân, phát huy dân chủ, chăm lo đời sống nhân dân",
    ),
    ("Đảng bộ Viễn thông Cà Mau", "Trung thực, trách nhiệm, đoàn kết"),
]


PILOTS = ("Đảng bộ Ban Dân vận Tỉnh ủy Cà Mau", "Đảng bộ Báo Cà Mau")
YEAR_2020 = (D(2020, 1, 1), D(2020, 12, 31))


def year_row(year: int, collectives: int, people: int, ceremonies: int = 1) -> YearRow:
    return YearRow(
        year,
        nominated_people=people + 10,
        nominated_collectives=collectives + 5,
        selected_people=people,
        selected_collectives=collectives,
        commended_people=people,
        commended_collectives=collectives,
        honored_people=people,
        honored_collectives=collectives,
        ceremonies=ceremonies,
    )


def term_figures() -> Figures:
    """A term like the Cà Mau case's: 73 collectives and 167 individuals commended, 47 and
    75 selected in 2020, 3 ceremonies, 5 pilots."""
    return Figures(
        organization="Đảng bộ Dân Chính Đảng tỉnh Cà Mau",
        organization_code="DCD",
        period=Period(D(2015, 7, 1), D(2020, 7, 15), "Nhiệm kỳ 2015–2020 (Đại hội IX)"),
        commendation=CommendationFigures(
            nominated_people=211,
            nominated_collectives=91,
            selected_people=169,
            selected_collectives=74,
            commended_people=167,
            commended_collectives=73,
            honored_people=167,
            honored_collectives=73,
            by_form=[FormCount("Biểu dương", 34, 0), FormCount("Giấy khen", 133, 73)],
            ceremonies=3,
        ),
        registration=RegistrationFigures(
            members=2556,
            with_commitment=2393,
            coverage_percent=93.6,
            ratings={"excellent": 235, "good": 1813, "pass": 431, "fail": 11},
            models_registered=34,
            ratings_year=2019,
        ),
        study=StudyFigures(sessions=1060, present=26976, expected=29133, attendance_percent=92.6),
        pilots=PilotFigures(pilots=5, evaluated=5, names=list(PILOTS)),
        models=ModelFigures(
            by_status={"registered": 3, "in_progress": 9, "evaluated": 22},
            named=list(NAMED),
            by_result={"excellent": 8, "good": 10, "fair": 4},
        ),
        activities=[
            ActivityRow(
                "nha-vi-nguoi-ngheo",
                "Xây dựng nhà “Vì người nghèo”",
                "căn nhà",
                activities=144,
                quantity=172,
                money=9_489_000_000,
                participants=2364,
                beneficiaries=172,
            ),
            ActivityRow(
                "hien-mau",
                "Hiến máu nhân đạo",
                "đơn vị máu",
                activities=294,
                quantity=15987,
                participants=18042,
            ),
            ActivityRow(
                "tham-tang-qua",
                "Thăm hỏi, tặng quà gia đình chính sách, gia đình có công",
                "suất quà",
                activities=847,
                quantity=25801,
                money=14_240_700_000,
                participants=8185,
                beneficiaries=25801,
            ),
        ],
        years=[
            year_row(2015, 0, 0, 0),
            year_row(2016, 0, 0, 0),
            year_row(2017, 0, 0, 0),
            year_row(2018, 8, 28),
            year_row(2019, 18, 64),
            year_row(2020, 47, 75),
        ],
    )


def empty_figures(start: datetime.date | None = None, end: datetime.date | None = None) -> Figures:
    start, end = start or YEAR_2020[0], end or YEAR_2020[1]
    return Figures(
        organization="Đảng bộ Viễn thông Cà Mau",
        organization_code="VNPT",
        period=Period(start, end, "Năm 2020"),
        commendation=CommendationFigures(),
        registration=RegistrationFigures(),
        study=StudyFigures(),
        pilots=PilotFigures(),
        models=ModelFigures(),
        activities=[],
        years=[YearRow(2020)],
    )


def text_of(sections) -> str:
    return "\n".join(
        line for section in sections for line in (section.heading, *section.paragraphs)
    )


# --- numbers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (5, "5"), (1234, "1.234"), (9_489_000_000, "9.489.000.000")],
)
def test_number_uses_dots_for_thousands(value, text):
    assert number(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(92.6, "92,6%"), (93.64, "93,6%"), (100.0, "100%"), (None, MISSING)]
)
def test_percent_uses_a_decimal_comma_and_says_when_missing(value, text):
    assert percent(value) == text


# --- the term report ------------------------------------------------------------------------------


def test_term_report_states_the_main_figures_in_one_paragraph():
    sections = narrative(term_figures(), "term")
    results = sections[1]
    assert results.heading == "I. KẾT QUẢ THỰC HIỆN"
    assert results.paragraphs == [
        "Qua 4 năm thực hiện Chỉ thị số 05-CT/TW, toàn Đảng bộ đã tuyên dương, khen thưởng "
        "73 tập thể và 167 cá nhân điển hình tiên tiến trong học tập và làm theo tư tưởng, "
        "đạo đức, phong cách Hồ Chí Minh; năm 2020, các tổ chức cơ sở đảng đã bầu chọn 47 tập "
        "thể và 75 cá nhân tiêu biểu để tuyên dương, khen thưởng. Trong nhiệm kỳ, Đảng bộ đã "
        "tổ chức 3 hội nghị tuyên dương điển hình tiên tiến và chọn 5 tổ chức cơ sở đảng làm "
        "điểm trong thực hiện Chỉ thị."
    ]


def test_term_report_opens_with_the_directive_and_the_term():
    figures = term_figures()
    opening = narrative(figures, "term")[0]
    assert opening.heading == ""
    assert opening.paragraphs[0].startswith(
        "Thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập và "
        "làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
    )
    assert "Đảng bộ Dân Chính Đảng tỉnh Cà Mau tổng kết" in opening.paragraphs[0]
    assert period_phrase(figures, "term") == "nhiệm kỳ 2015–2020"
    assert subject(figures, "term") == (
        "Tổng kết việc thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị nhiệm kỳ 2015–2020"
    )


def test_activities_are_said_with_formatted_numbers():
    text = text_of(narrative(term_figures(), "term"))
    assert "xây dựng 172 căn nhà “Vì người nghèo” (trị giá 9.489.000.000 đồng)" in text
    assert "vận động hiến 15.987 đơn vị máu" in text
    assert "tặng 25.801 suất quà cho gia đình chính sách, gia đình có công" in text
    assert "Tổng cộng 1.285 hoạt động đã thu hút 28.591 lượt người tham gia" in text
    assert "tổng giá trị 23.729.700.000 đồng" in text


def test_an_unknown_activity_type_is_said_by_its_name_and_unit():
    row = ActivityRow("khac", "Hoạt động khác", "lượt", activities=623, quantity=23333)
    assert activity_phrase(row) == "hoạt động khác: 623 hoạt động, 23.333 lượt"


def test_coverage_attendance_ratings_and_models_are_stated():
    text = text_of(narrative(term_figures(), "term"))
    assert "Có 2.393/2.556 cán bộ, đảng viên đăng ký, cam kết làm theo" in text
    assert "đạt 93,6%" in text
    assert "1.060 buổi học tập chuyên đề" in text
    assert "tỷ lệ cán bộ, đảng viên tham dự đạt 92,6% (26.976/29.133 lượt)" in text
    assert "Kết quả đánh giá, xếp loại chất lượng đảng viên năm 2019:" in text
    assert "235 đảng viên hoàn thành xuất sắc nhiệm vụ (9,4%)" in text
    assert "11 đảng viên không hoàn thành nhiệm vụ (0,4%)" in text
    assert "thực hiện 34 mô hình làm theo, trong đó 3 mô hình mới đăng ký" in text
    assert "kết quả đánh giá: 8 mô hình xuất sắc, 10 mô hình tốt, 4 mô hình khá" in text


def test_named_models_are_quoted_with_their_units():
    text = text_of(narrative(term_figures(), "term"))
    for unit, title in NAMED:
        assert f"mô hình “{title}” của {unit}" in text


def test_many_named_models_are_shortened_with_a_pointer_to_the_annex():
    figures = term_figures()
    figures.models.named = [(f"Chi bộ {i}", f"Mô hình số {i}") for i in range(1, 10)]
    text = text_of(narrative(figures, "term"))
    assert "“Mô hình số 6” của Chi bộ 6" in text
    assert "Mô hình số 7" not in text
    assert "cùng 3 mô hình khác (xem Phụ lục)" in text


def test_commendation_section_gives_forms_ceremonies_and_the_last_year():
    section = narrative(term_figures(), "term")[6]
    assert section.heading == "5. Công tác tuyên dương, khen thưởng điển hình tiên tiến"
    assert section.paragraphs == [
        "Các tổ chức đảng đã đề nghị 91 tập thể và 211 cá nhân; qua bầu chọn, 74 tập thể và "
        "169 cá nhân được chọn để tuyên dương, khen thưởng.",
        "Đã tuyên dương, khen thưởng 73 tập thể và 167 cá nhân, trong đó: Biểu dương cho 34 "
        "cá nhân; Giấy khen cho 73 tập thể và 133 cá nhân.",
        "Đảng bộ đã tổ chức 3 hội nghị tuyên dương, vinh danh 73 tập thể và 167 cá nhân.",
        "Riêng năm 2020, các tổ chức cơ sở đảng đã bầu chọn 47 tập thể và 75 cá nhân để tuyên "
        "dương, khen thưởng.",
    ]


# --- the year report ------------------------------------------------------------------------------


def test_year_report_speaks_of_the_year_not_of_the_term():
    figures = term_figures()
    figures.period = Period(D(2020, 1, 1), D(2020, 12, 31), "Năm 2020")
    figures.years = [year_row(2020, 47, 75)]
    text = text_of(narrative(figures, "year"))
    assert subject(figures, "year") == (
        "Sơ kết năm 2020 việc thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị"
    )
    assert "Năm 2020, tiếp tục thực hiện Chỉ thị số 05-CT/TW, toàn Đảng bộ đã tuyên dương" in text
    assert "các tổ chức cơ sở đảng đã bầu chọn 74 tập thể và 169 cá nhân tiêu biểu" in text
    assert "Trong năm, Đảng bộ đã tổ chức 3 hội nghị" in text
    assert "tiếp tục chỉ đạo 5 tổ chức cơ sở đảng làm điểm" in text
    assert "Qua 4 năm" not in text
    assert "II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TỚI" in text


def test_a_period_that_is_not_a_calendar_year_is_given_by_its_dates():
    figures = empty_figures(D(2020, 3, 1), D(2020, 8, 31))
    assert period_phrase(figures, "range") == "từ ngày 01/03/2020 đến ngày 31/08/2020"


# --- missing figures ------------------------------------------------------------------------------


def test_missing_figures_are_said_missing_not_invented():
    sections = narrative(empty_figures(), "year")
    text = text_of(sections)
    assert text.count(MISSING) >= 10
    assert "Kết quả tuyên dương, khen thưởng điển hình tiên tiến năm 2020: chưa có số liệu" in text
    assert "Hội nghị tuyên dương: chưa có số liệu." in text
    assert "Chỉ đạo điểm: chưa có số liệu." in text
    assert "Việc đăng ký, cam kết làm theo của cán bộ, đảng viên: chưa có số liệu." in text
    assert "Kết quả các phong trào, hoạt động: chưa có số liệu." in text
    assert "Kết quả đánh giá, xếp loại đảng viên: chưa có số liệu." in text
    # no count was made up: the only numbers left are the year and the directive's
    numbers = set(re.findall(r"\d+(?:[.,]\d+)*", text))
    assert numbers <= {"05", "15", "5", "2016", "2020", "1", "2", "3", "4", "6"}
    assert " 0 " not in text
    assert "0%" not in text


def test_attendance_without_a_percentage_is_missing():
    figures = term_figures()
    figures.study = StudyFigures(sessions=12, present=0, expected=0, attendance_percent=None)
    section = narrative(figures, "term")[2]
    assert section.paragraphs[0].endswith("; tỷ lệ cán bộ, đảng viên tham dự: chưa có số liệu.")
