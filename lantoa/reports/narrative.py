"""The Vietnamese narrative of a year or term summary report, written from the figures.

Every sentence is a template filled with figures from `lantoa.reports.figures.compute`;
nothing is typed in. Where a figure is missing (no record, no percentage), the text says
"chưa có số liệu" instead of guessing. The text is Vietnamese whatever the page language:
it is a party document.

Numbers are written as Vietnamese documents write them: 1.234 (dot for thousands), 85,3%.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from lantoa.reports.figures import ActivityRow, Figures, YearRow

__all__ = [
    "DIRECTIVE",
    "KIND_TERM",
    "KIND_YEAR",
    "MISSING",
    "MODEL_RESULT_WORDS",
    "RATING_WORDS",
    "Section",
    "activity_phrase",
    "narrative",
    "number",
    "percent",
    "period_phrase",
    "subject",
    "whole",
]

KIND_YEAR, KIND_TERM = "year", "term"
MISSING = "chưa có số liệu"
DIRECTIVE = "Chỉ thị số 05-CT/TW"
DIRECTIVE_DATE = datetime.date(2016, 5, 15)
DIRECTIVE_FULL = (
    "Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập và làm theo "
    "tư tưởng, đạo đức, phong cách Hồ Chí Minh"
)
HO_CHI_MINH = "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
MODELS_NAMED = 6  # named models written out in the text; the annex lists them all

RATING_WORDS = {
    "excellent": "hoàn thành xuất sắc nhiệm vụ",
    "good": "hoàn thành tốt nhiệm vụ",
    "pass": "hoàn thành nhiệm vụ",
    "fail": "không hoàn thành nhiệm vụ",
}
MODEL_RESULT_WORDS = {
    "excellent": "xuất sắc",
    "good": "tốt",
    "fair": "khá",
    "not_achieved": "không đạt",
}
MODEL_STATUS_WORDS = {
    "registered": "mới đăng ký",
    "in_progress": "đang thực hiện",
    "evaluated": "đã được đánh giá, tổng kết",
}


@dataclass
class Section:
    """A heading (empty for the opening paragraphs) and its paragraphs. Level 1 is a part
    ("I. KẾT QUẢ THỰC HIỆN"), level 2 a numbered point under it."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    level: int = 1


# --- numbers and phrases --------------------------------------------------------------------


def number(value: int) -> str:
    """1234567 → "1.234.567"."""
    return f"{value:,}".replace(",", ".")


def percent(value: float | None) -> str:
    """85.25 → "85,3%"; 100.0 → "100%"; None → the missing figure."""
    if value is None:
        return MISSING
    text = f"{value:.1f}".replace(".", ",")
    return (text[:-2] if text.endswith(",0") else text) + "%"


def _share(part: int, whole_count: int) -> str:
    return percent(100 * part / whole_count) if whole_count else MISSING


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _is_year(figures: Figures) -> bool:
    start, end = figures.period.start, figures.period.end
    return start.year == end.year and (start.month, start.day, end.month, end.day) == (
        1,
        1,
        12,
        31,
    )


def period_phrase(figures: Figures, kind: str) -> str:
    """ "nhiệm kỳ 2015–2020", "năm 2020", or "từ ngày 01/3/2020 đến ngày 31/8/2020"."""
    start, end = figures.period.start, figures.period.end
    if kind == KIND_TERM:
        return f"nhiệm kỳ {start.year}–{end.year}"
    if _is_year(figures) or (kind == KIND_YEAR and start.year == end.year):
        return f"năm {start.year}"
    return f"từ ngày {_date(start)} đến ngày {_date(end)}"


def subject(figures: Figures, kind: str) -> str:
    """The subject line under "BÁO CÁO"."""
    if kind == KIND_TERM:
        return (
            f"Tổng kết việc thực hiện {DIRECTIVE} của Bộ Chính trị {period_phrase(figures, kind)}"
        )
    return f"Sơ kết {period_phrase(figures, kind)} việc thực hiện {DIRECTIVE} của Bộ Chính trị"


def whole(figures: Figures) -> str:
    """ "Đảng bộ" or "Chi bộ": how the text names the whole subtree ("toàn Đảng bộ")."""
    name = figures.organization.strip()
    if name.startswith("Chi bộ"):
        return "Chi bộ"
    return "Đảng bộ"


def _pair(collectives: int, people: int) -> str:
    """ "73 tập thể và 167 cá nhân" (a zero side is left out)."""
    parts = []
    if collectives:
        parts.append(f"{number(collectives)} tập thể")
    if people:
        parts.append(f"{number(people)} cá nhân")
    return " và ".join(parts)


def _join(phrases: Sequence[str]) -> str:
    return "; ".join(phrases)


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


# Each known activity type said as people say it; others by their name and unit.
_ACTIVITY_TEMPLATES = {
    "nha-vi-nguoi-ngheo": "xây dựng {quantity} căn nhà “Vì người nghèo”",
    "hien-mau": "vận động hiến {quantity} đơn vị máu",
    "di-thuc-te": "tổ chức {activities} đợt đi thực tế với {quantity} lượt người tham gia",
    "ve-nguon": "tổ chức {activities} chuyến hành trình về nguồn với {quantity} lượt người",
    "tham-tang-qua": (
        "thăm hỏi, tặng {quantity} suất quà cho gia đình chính sách, gia đình có công"
    ),
    "kham-chua-benh": "khám, chữa bệnh miễn phí cho {quantity} lượt người",
}


def activity_phrase(row: ActivityRow) -> str:
    """One activity type's result: "xây dựng 25 căn nhà “Vì người nghèo”" and its value."""
    template = _ACTIVITY_TEMPLATES.get(row.code)
    values = {"quantity": number(row.quantity), "activities": number(row.activities)}
    if template is not None:
        text = template.format(**values)
    else:
        text = f"{row.name[:1].lower()}{row.name[1:]}: {number(row.activities)} hoạt động"
        if row.quantity:
            text += f", {number(row.quantity)} {row.unit}"
    if row.money:
        text += f" (trị giá {number(row.money)} đồng)"
    return text


# --- the parts --------------------------------------------------------------------------------


def _years_of_directive(figures: Figures) -> int:
    """Full years from the directive (or the period's start, if later) to the period's end."""
    start = max(figures.period.start, DIRECTIVE_DATE)
    return max(figures.period.end.year - start.year, 1)


def _opening(figures: Figures, kind: str) -> Section:
    who = figures.organization or "Đảng bộ"
    action = "tổng kết" if kind == KIND_TERM else "sơ kết"
    return Section(
        "",
        [
            f"Thực hiện {DIRECTIVE_FULL} và các văn bản chỉ đạo, hướng dẫn của cấp trên, "
            f"{who} {action} việc thực hiện Chỉ thị {period_phrase(figures, kind)} như sau:"
        ],
        level=0,
    )


def _highlights(figures: Figures, kind: str, last_year: YearRow | None) -> str:
    """The paragraph that says the main figures at once: commended, selected, ceremonies,
    pilots."""
    c = figures.commendation
    org = whole(figures)
    if kind == KIND_TERM and figures.period.start <= DIRECTIVE_DATE <= figures.period.end:
        lead = f"Qua {_years_of_directive(figures)} năm thực hiện {DIRECTIVE}"
    else:
        lead = _first_upper(f"{period_phrase(figures, kind)}, tiếp tục thực hiện {DIRECTIVE}")
    commended = _pair(c.commended_collectives, c.commended_people)
    if commended:
        first = (
            f"{lead}, toàn {org} đã tuyên dương, khen thưởng {commended} điển hình tiên tiến "
            f"trong {HO_CHI_MINH}"
        )
    else:
        first = (
            "Kết quả tuyên dương, khen thưởng điển hình tiên tiến "
            f"{period_phrase(figures, kind)}: {MISSING}"
        )
    clauses = [first]
    if last_year is not None:
        selected = _pair(last_year.selected_collectives, last_year.selected_people)
        year = last_year.year
        clauses.append(
            f"năm {year}, các tổ chức cơ sở đảng đã bầu chọn {selected} tiêu biểu để tuyên "
            "dương, khen thưởng"
            if selected
            else f"năm {year}, kết quả bầu chọn của các tổ chức cơ sở đảng: {MISSING}"
        )
    elif kind == KIND_YEAR:
        selected = _pair(c.selected_collectives, c.selected_people)
        clauses.append(
            f"các tổ chức cơ sở đảng đã bầu chọn {selected} tiêu biểu"
            if selected
            else f"kết quả bầu chọn của các tổ chức cơ sở đảng: {MISSING}"
        )
    sentences = [_join(clauses) + "."]
    during = "Trong nhiệm kỳ" if kind == KIND_TERM else "Trong năm"
    done = []
    if c.ceremonies:
        done.append(f"tổ chức {number(c.ceremonies)} hội nghị tuyên dương điển hình tiên tiến")
    pilots = figures.pilots.pilots
    if pilots:
        verb = "chọn" if kind == KIND_TERM else "tiếp tục chỉ đạo"
        done.append(f"{verb} {number(pilots)} tổ chức cơ sở đảng làm điểm trong thực hiện Chỉ thị")
    if done:
        sentences.append(f"{during}, {org} đã " + " và ".join(done) + ".")
    if not c.ceremonies:
        sentences.append(f"Hội nghị tuyên dương: {MISSING}.")
    if not pilots:
        sentences.append(f"Chỉ đạo điểm: {MISSING}.")
    return " ".join(sentences)


def _study(figures: Figures, kind: str) -> Section:
    s = figures.study
    if not s.sessions:
        text = f"Số buổi học tập chuyên đề, sinh hoạt tư tưởng {period_phrase(figures, kind)}: "
        return Section("1. Công tác học tập, quán triệt", [text + MISSING + "."], level=2)
    text = (
        f"Các tổ chức đảng đã tổ chức {number(s.sessions)} buổi học tập chuyên đề, sinh hoạt "
        f"tư tưởng về {HO_CHI_MINH}, lồng ghép trong sinh hoạt chi bộ định kỳ và sinh hoạt "
        "cơ quan"
    )
    if s.attendance_percent is None or not s.expected:
        text += f"; tỷ lệ cán bộ, đảng viên tham dự: {MISSING}."
    else:
        text += (
            f"; tỷ lệ cán bộ, đảng viên tham dự đạt {percent(s.attendance_percent)} "
            f"({number(s.present)}/{number(s.expected)} lượt)."
        )
    return Section("1. Công tác học tập, quán triệt", [text], level=2)


def _named_models(figures: Figures) -> str:
    named = figures.models.named
    if not named:
        return ""
    shown = [f"mô hình “{title}” của {unit}" for unit, title in named[:MODELS_NAMED]]
    text = "Nhiều mô hình, cách làm hay được xây dựng và nhân rộng, tiêu biểu như: "
    text += _join(shown)
    if len(named) > MODELS_NAMED:
        text += f"; cùng {number(len(named) - MODELS_NAMED)} mô hình khác (xem Phụ lục)"
    return text + "."


def _registration(figures: Figures) -> Section:
    r = figures.registration
    paragraphs = []
    if not r.members:
        paragraphs.append(f"Việc đăng ký, cam kết làm theo của cán bộ, đảng viên: {MISSING}.")
    else:
        coverage = r.coverage_percent
        if coverage is None:
            coverage = 100 * r.with_commitment / r.members
        paragraphs.append(
            f"Có {number(r.with_commitment)}/{number(r.members)} cán bộ, đảng viên đăng ký, "
            f"cam kết làm theo gắn với chức trách, nhiệm vụ được giao, đạt {percent(coverage)}."
        )
    statuses = {key: value for key, value in figures.models.by_status.items() if value}
    count = r.models_registered or sum(statuses.values())
    if not count:
        paragraphs.append(f"Mô hình làm theo của các đơn vị: {MISSING}.")
    else:
        text = f"Các đơn vị đã đăng ký, thực hiện {number(count)} mô hình làm theo"
        parts = [
            f"{number(statuses[key])} mô hình {words}"
            for key, words in MODEL_STATUS_WORDS.items()
            if statuses.get(key)
        ]
        if parts:
            text += ", trong đó " + ", ".join(parts)
        results = [
            f"{number(figures.models.by_result[key])} mô hình {words}"
            for key, words in MODEL_RESULT_WORDS.items()
            if figures.models.by_result.get(key)
        ]
        if results:
            text += "; kết quả đánh giá: " + ", ".join(results)
        paragraphs.append(text + ".")
    named = _named_models(figures)
    if named:
        paragraphs.append(named)
    return Section("2. Đăng ký, cam kết làm theo và xây dựng mô hình", paragraphs, level=2)


def _pilots(figures: Figures) -> Section:
    p = figures.pilots
    heading = "3. Công tác chỉ đạo điểm"
    if not p.pilots:
        return Section(heading, [f"Tổ chức cơ sở đảng làm điểm: {MISSING}."], level=2)
    text = f"{whole(figures)} đã chọn {number(p.pilots)} tổ chức cơ sở đảng làm điểm"
    if p.names:
        text += " (" + ", ".join(p.names) + ")"
    text += " để rút kinh nghiệm, nhân rộng trong toàn " + whole(figures)
    if p.evaluated:
        text += f"; đến nay {number(p.evaluated)} đơn vị đã được đánh giá, rút kinh nghiệm."
    else:
        text += "."
    return Section(heading, [text], level=2)


def _activities(figures: Figures) -> Section:
    heading = "4. Các phong trào thi đua và hoạt động cụ thể"
    rows = [row for row in figures.activities if row.activities or row.quantity]
    if not rows:
        return Section(heading, [f"Kết quả các phong trào, hoạt động: {MISSING}."], level=2)
    text = (
        "Các phong trào thi đua, hoạt động làm theo gương Bác được triển khai rộng khắp, "
        "thiết thực: " + _join([activity_phrase(row) for row in rows]) + "."
    )
    paragraphs = [text]
    money = sum(row.money for row in rows)
    participants = sum(row.participants for row in rows)
    beneficiaries = sum(row.beneficiaries for row in rows)
    totals = []
    if participants:
        totals.append(f"thu hút {number(participants)} lượt người tham gia")
    if beneficiaries:
        totals.append(f"mang lại lợi ích cho {number(beneficiaries)} lượt người")
    if money:
        totals.append(f"tổng giá trị {number(money)} đồng")
    if totals:
        paragraphs.append(
            f"Tổng cộng {number(sum(row.activities for row in rows))} hoạt động đã "
            + ", ".join(totals)
            + "."
        )
    return Section(heading, paragraphs, level=2)


def _commendation(figures: Figures, kind: str, last_year: YearRow | None) -> Section:
    c = figures.commendation
    heading = "5. Công tác tuyên dương, khen thưởng điển hình tiên tiến"
    paragraphs = []
    nominated = _pair(c.nominated_collectives, c.nominated_people)
    selected = _pair(c.selected_collectives, c.selected_people)
    if nominated:
        text = f"Các tổ chức đảng đã đề nghị {nominated}"
        if selected:
            text += f"; qua bầu chọn, {selected} được chọn để tuyên dương, khen thưởng"
        text += "."
        paragraphs.append(text)
    elif not selected:
        paragraphs.append(f"Đề nghị, bầu chọn điển hình tiên tiến: {MISSING}.")
    else:
        paragraphs.append(f"Qua bầu chọn, {selected} được chọn để tuyên dương, khen thưởng.")
    commended = _pair(c.commended_collectives, c.commended_people)
    if not commended:
        paragraphs.append(f"Tuyên dương, khen thưởng: {MISSING}.")
        return Section(heading, paragraphs, level=2)
    text = f"Đã tuyên dương, khen thưởng {commended}"
    forms = [
        f"{row.form} cho {_pair(row.collectives, row.people)}"
        for row in c.by_form
        if row.collectives or row.people
    ]
    if forms:
        text += ", trong đó: " + _join(forms)
    paragraphs.append(text + ".")
    honored = _pair(c.honored_collectives, c.honored_people)
    if c.ceremonies:
        text = f"{whole(figures)} đã tổ chức {number(c.ceremonies)} hội nghị tuyên dương"
        text += f", vinh danh {honored}." if honored else "."
        paragraphs.append(text)
    if last_year is not None:
        pair = _pair(last_year.selected_collectives, last_year.selected_people)
        if pair:
            paragraphs.append(
                f"Riêng năm {last_year.year}, các tổ chức cơ sở đảng đã bầu chọn "
                f"{pair} để tuyên dương, khen thưởng."
            )
    return Section(heading, paragraphs, level=2)


def _ratings(figures: Figures, kind: str) -> Section:
    heading = "6. Đánh giá, xếp loại chất lượng đảng viên"
    ratings = {key: value for key, value in figures.registration.ratings.items() if value}
    total = sum(ratings.values())
    if not total:
        return Section(heading, [f"Kết quả đánh giá, xếp loại đảng viên: {MISSING}."], level=2)
    parts = [
        f"{number(ratings[key])} đảng viên {words} ({_share(ratings[key], total)})"
        for key, words in RATING_WORDS.items()
        if ratings.get(key)
    ]
    year = figures.registration.ratings_year or figures.period.end.year
    text = f"Kết quả đánh giá, xếp loại chất lượng đảng viên năm {year}: " + _join(parts) + "."
    return Section(heading, [text], level=2)


def _directions(kind: str) -> Section:
    when = "nhiệm kỳ tới" if kind == KIND_TERM else "năm tới"
    return Section(
        f"II. PHƯƠNG HƯỚNG, NHIỆM VỤ {when.upper()}",
        [
            f"1. Tiếp tục quán triệt, thực hiện nghiêm túc {DIRECTIVE} của Bộ Chính trị, gắn "
            "với nhiệm vụ chính trị của từng cơ quan, đơn vị; người đứng đầu cấp ủy, cán bộ "
            "chủ chốt nêu gương trước.",
            "2. Nâng cao chất lượng đăng ký, cam kết làm theo của cán bộ, đảng viên và mô hình "
            "làm theo của các đơn vị; kiểm tra, đánh giá hằng năm.",
            "3. Kịp thời phát hiện, bồi dưỡng, biểu dương, khen thưởng và nhân rộng các tập "
            f"thể, cá nhân điển hình tiên tiến trong {HO_CHI_MINH} {when}.",
        ],
    )


# --- the whole text -------------------------------------------------------------------------


def narrative(figures: Figures, kind: str) -> list[Section]:
    """The sections of the report, in order. `kind` is "year" or "term"; in a term report
    the last of `figures.years` gives "năm 2020, các tổ chức cơ sở đảng đã bầu chọn…"."""
    last_year = figures.years[-1] if kind == KIND_TERM and figures.years else None
    results = Section("I. KẾT QUẢ THỰC HIỆN", [_highlights(figures, kind, last_year)])
    return [
        _opening(figures, kind),
        results,
        _study(figures, kind),
        _registration(figures),
        _pilots(figures),
        _activities(figures),
        _commendation(figures, kind, last_year),
        _ratings(figures, kind),
        _directions(kind),
    ]
