"""What the three files of a summary report share: the report itself (figures, narrative,
who issues it), the annex tables and the chart.

`Report` holds no database object: the services build it from the records, the tests
from hand-built `Figures`. The DOCX (`report_docx`), the XLSX (`annex_xlsx`) and the PDF
(`report_pdf`) are all written from it, so they say the same thing.
"""

import datetime
import io
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import font_roboto
from PIL import Image, ImageDraw, ImageFont

from lantoa.core.text import search_key
from lantoa.reports.figures import CommendationFigures, Figures, YearRow
from lantoa.reports.narrative import (
    KIND_TERM,
    MISSING,
    MODEL_RESULT_WORDS,
    RATING_WORDS,
    Section,
    narrative,
    number,
    period_phrase,
    subject,
)

__all__ = [
    "AnnexTable",
    "Chart",
    "Report",
    "annexes",
    "cell_text",
    "chart",
    "chart_png",
    "file_stem",
]

Value = str | int | float | None


@dataclass
class Report:
    """A year or term summary report of a subtree, ready to be written out."""

    kind: str  # "year" | "term"
    figures: Figures  # the whole period, with its commendation year by year
    issuer: str = ""  # "Đảng ủy Dân Chính Đảng tỉnh"
    issuer_code: str = "ĐU"
    parent_body: str = ""  # "ĐẢNG BỘ TỈNH CÀ MAU"
    place: str = ""
    day: datetime.date = field(default_factory=datetime.date.today)
    signer_title: str = "Bí thư"
    signer_name: str = ""

    @cached_property
    def sections(self) -> list[Section]:
        return narrative(self.figures, self.kind)

    @property
    def subject(self) -> str:
        return subject(self.figures, self.kind)

    @property
    def number(self) -> str:
        """Left blank for the office to fill when the report is signed: "    -BC/ĐU"."""
        return f"      -BC/{self.issuer_code}"

    @property
    def issuer_name(self) -> str:
        return self.issuer or self.figures.organization

    @property
    def action(self) -> str:
        return "tổng kết" if self.kind == KIND_TERM else "sơ kết"

    def closing(self) -> str:
        """The sentence that ends the body."""
        return (
            f"Trên đây là báo cáo {self.action} việc thực hiện Chỉ thị số 05-CT/TW của Bộ "
            f"Chính trị {period_phrase(self.figures, self.kind)} của Ban Thường vụ "
            f"{self.issuer_name}."
        )

    def recipients(self) -> list[str]:
        return [
            "- Ban Thường vụ Tỉnh ủy (b/c),",
            "- Ban Tuyên giáo Tỉnh ủy (b/c),",
            "- Các tổ chức cơ sở đảng trực thuộc,",
            "- Lưu Văn phòng Đảng ủy.",
        ]

    def annex_note(self) -> str:
        return (
            f"(Kèm theo Báo cáo số {self.number} ngày {self.day:%d/%m/%Y} "
            f"của Ban Thường vụ {self.issuer_name})"
        )


# --- annex tables -----------------------------------------------------------------------------


@dataclass
class AnnexTable:
    """One annex: its title, the sheet's name, the headers and rows of plain values
    (numbers stay numbers; None is a missing figure). `groups` are the DOCX's upper header
    row, as (label, columns spanned); `widths` the relative widths of the columns."""

    title: str
    sheet: str
    headers: list[str]
    rows: list[list[Value]]
    widths: list[int]
    total: list[Value] | None = None
    groups: list[tuple[str, int]] | None = None


def cell_text(value: Value) -> str:
    """A value as the DOCX and PDF print it: 1.234, 85,3, "—" for a missing figure."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int):
        return number(value)
    if isinstance(value, float):
        text = f"{value:.1f}".replace(".", ",")
        return text[:-2] if text.endswith(",0") else text
    return value


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _key_figures(report: Report) -> AnnexTable:
    f = report.figures
    r, s, p = f.registration, f.study, f.pilots
    coverage = r.coverage_percent
    if coverage is None and r.members:
        coverage = 100 * r.with_commitment / r.members
    models = r.models_registered or sum(f.models.by_status.values())
    rows: list[list[Value]] = [
        ["Đảng viên (cuối kỳ)", "người", r.members or None],
        ["Đảng viên đăng ký, cam kết làm theo", "người", r.with_commitment if r.members else None],
        ["Tỷ lệ đăng ký, cam kết làm theo", "%", _round(coverage)],
        ["Buổi học tập chuyên đề, sinh hoạt tư tưởng", "buổi", s.sessions or None],
        ["Lượt tham dự", "lượt", s.present if s.expected else None],
        ["Lượt phải tham dự", "lượt", s.expected or None],
        ["Tỷ lệ tham dự", "%", _round(s.attendance_percent)],
        ["Mô hình làm theo của các đơn vị", "mô hình", models or None],
        ["Tổ chức cơ sở đảng làm điểm", "tổ chức", p.pilots or None],
        ["Tổ chức làm điểm đã được đánh giá", "tổ chức", p.evaluated if p.pilots else None],
        ["Hội nghị tuyên dương", "hội nghị", f.commendation.ceremonies or None],
    ]
    ratings = f.registration.ratings
    rated = sum(ratings.values())
    year = f" (năm {f.registration.ratings_year})" if f.registration.ratings_year else ""
    for key, words in RATING_WORDS.items():
        rows.append([f"Đảng viên {words}{year}", "người", ratings.get(key, 0) if rated else None])
    results = f.models.by_result
    evaluated = sum(results.values())
    for key, words in MODEL_RESULT_WORDS.items():
        value = results.get(key, 0) if evaluated else None
        rows.append([f"Mô hình được đánh giá {words}", "mô hình", value])
    numbered = [[i, *row] for i, row in enumerate(rows, 1)]
    return AnnexTable(
        "Phụ lục 1. Một số chỉ tiêu chủ yếu",
        "Chỉ tiêu chủ yếu",
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu"],
        numbered,
        [8, 62, 15, 15],
    )


def _commendation_row(label: Value, c: CommendationFigures | YearRow) -> list[Value]:
    return [
        label,
        c.nominated_collectives,
        c.nominated_people,
        c.selected_collectives,
        c.selected_people,
        c.commended_collectives,
        c.commended_people,
        c.honored_collectives,
        c.honored_people,
        c.ceremonies,
    ]


def _by_year(report: Report) -> AnnexTable:
    rows = [_commendation_row(str(row.year), row) for row in report.figures.years]
    whole = "Cả nhiệm kỳ" if report.kind == KIND_TERM else "Cả kỳ"
    return AnnexTable(
        "Phụ lục 2. Kết quả đề nghị, bầu chọn, khen thưởng và tuyên dương theo năm",
        "Khen thưởng theo năm",
        [
            "Năm",
            "Tập thể được đề nghị",
            "Cá nhân được đề nghị",
            "Tập thể được bầu chọn",
            "Cá nhân được bầu chọn",
            "Tập thể được khen thưởng",
            "Cá nhân được khen thưởng",
            "Tập thể được tuyên dương",
            "Cá nhân được tuyên dương",
            "Hội nghị tuyên dương",
        ],
        rows,
        [12, 10, 10, 10, 10, 10, 10, 10, 10, 8],
        total=_commendation_row(whole, report.figures.commendation),
        groups=[
            ("Năm", 1),
            ("Đề nghị", 2),
            ("Bầu chọn", 2),
            ("Khen thưởng", 2),
            ("Tuyên dương", 2),
            ("Hội nghị", 1),
        ],
    )


def _by_form(report: Report) -> AnnexTable:
    c = report.figures.commendation
    rows: list[list[Value]] = [
        [i, row.form, row.collectives, row.people, row.collectives + row.people]
        for i, row in enumerate(c.by_form, 1)
    ]
    collectives = sum(row.collectives for row in c.by_form)
    people = sum(row.people for row in c.by_form)
    return AnnexTable(
        "Phụ lục 3. Tập thể, cá nhân được khen thưởng theo hình thức",
        "Khen thưởng theo hình thức",
        ["STT", "Hình thức khen thưởng", "Tập thể", "Cá nhân", "Cộng"],
        rows,
        [8, 50, 14, 14, 14],
        total=[None, "Tổng cộng", collectives, people, collectives + people],
    )


def _activities(report: Report) -> AnnexTable:
    activities = report.figures.activities
    rows: list[list[Value]] = [
        [
            i,
            row.name,
            row.unit,
            row.activities,
            row.quantity,
            row.participants,
            row.beneficiaries,
            row.money,
        ]
        for i, row in enumerate(activities, 1)
    ]
    return AnnexTable(
        "Phụ lục 4. Kết quả các phong trào, hoạt động",
        "Phong trào, hoạt động",
        [
            "STT",
            "Loại hoạt động",
            "Đơn vị tính",
            "Số hoạt động",
            "Số lượng",
            "Lượt người tham gia",
            "Lượt người hưởng lợi",
            "Giá trị (đồng)",
        ],
        rows,
        [7, 24, 12, 10, 10, 11, 11, 17],
        total=[
            None,
            "Tổng cộng",
            None,
            sum(row.activities for row in activities),
            None,
            sum(row.participants for row in activities),
            sum(row.beneficiaries for row in activities),
            sum(row.money for row in activities),
        ],
    )


def _models(report: Report) -> AnnexTable:
    rows: list[list[Value]] = [
        [i, unit, title] for i, (unit, title) in enumerate(report.figures.models.named, 1)
    ]
    return AnnexTable(
        "Phụ lục 5. Mô hình làm theo tiêu biểu",
        "Mô hình tiêu biểu",
        ["STT", "Đơn vị", "Tên mô hình"],
        rows,
        [8, 32, 60],
    )


def annexes(report: Report) -> list[AnnexTable]:
    """The annex tables, in the order the DOCX prints them and the XLSX has its sheets."""
    return [
        _key_figures(report),
        _by_year(report),
        _by_form(report),
        _activities(report),
        _models(report),
    ]


# --- the chart --------------------------------------------------------------------------------


@dataclass
class Chart:
    """A grouped bar chart: categories (years or forms), two series, their values."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[int]]]


def chart(report: Report) -> Chart:
    """Collectives and individuals commended: per year in a term report, per form in a
    year report."""
    years = report.figures.years
    if len(years) > 1:
        return Chart(
            "Biểu đồ 1. Số tập thể, cá nhân được khen thưởng theo năm",
            [str(row.year) for row in years],
            [
                ("Tập thể", [row.commended_collectives for row in years]),
                ("Cá nhân", [row.commended_people for row in years]),
            ],
        )
    by_form = report.figures.commendation.by_form
    return Chart(
        "Biểu đồ 1. Số tập thể, cá nhân được khen thưởng theo hình thức",
        [row.form for row in by_form],
        [
            ("Tập thể", [row.collectives for row in by_form]),
            ("Cá nhân", [row.people for row in by_form]),
        ],
    )


WIDTH, HEIGHT = 1800, 900  # pixels: 160 mm wide at about 285 dpi
COLOURS = [(176, 28, 28), (201, 152, 44)]
INK, GRID = (30, 30, 30), (200, 200, 200)


@lru_cache(maxsize=8)
def _font(size: int, bold: bool = False) -> Any:
    return ImageFont.truetype(font_roboto.font_files["RobotoBold" if bold else "Roboto"], size)


def _centered(draw: ImageDraw.ImageDraw, x: float, y: float, text: str, font: Any) -> None:
    width = draw.textlength(text, font=font)
    draw.text((x - width / 2, y), text, fill=INK, font=font)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: Any, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line][:3]


def chart_png(data: Chart) -> bytes:
    """The chart drawn as a PNG (Roboto, which has every Vietnamese letter); its title is
    the caption the documents print under it, as text."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    left, right, top, bottom = 110, WIDTH - 40, 110, HEIGHT - 160
    label_font, value_font = _font(30), _font(28, bold=True)
    # legend
    x = left
    for (name, _values), colour in zip(data.series, COLOURS, strict=False):
        draw.rectangle((x, 24, x + 36, 54), fill=colour)
        draw.text((x + 48, 20), name, fill=INK, font=label_font)
        x += 80 + draw.textlength(name, font=label_font) + 40
    values = [v for _name, series in data.series for v in series]
    if not data.categories or not any(values):
        _centered(draw, WIDTH / 2, HEIGHT / 2, MISSING.capitalize(), _font(36))
        return _png(image)
    largest = max(values)
    step = _nice_step(largest)
    ceiling = step * (-(-largest // step))
    for tick in range(0, ceiling + 1, step):
        y = bottom - (bottom - top) * tick / ceiling
        draw.line((left, y, right, y), fill=GRID, width=2)
        text = number(tick)
        draw.text(
            (left - 16 - draw.textlength(text, font=label_font), y - 18),
            text,
            fill=INK,
            font=label_font,
        )
    draw.line((left, bottom, right, bottom), fill=INK, width=3)
    slot = (right - left) / len(data.categories)
    bar = min(90, slot * 0.8 / len(data.series))
    for i, category in enumerate(data.categories):
        middle = left + slot * (i + 0.5)
        first = middle - bar * len(data.series) / 2
        for j, ((_name, series), colour) in enumerate(zip(data.series, COLOURS, strict=False)):
            value = series[i]
            x0 = first + j * bar
            height = (bottom - top) * value / ceiling
            if value:
                draw.rectangle((x0 + 4, bottom - height, x0 + bar - 4, bottom), fill=colour)
            _centered(draw, x0 + bar / 2, bottom - height - 36, number(value), value_font)
        for k, line in enumerate(_wrap(draw, category, label_font, slot - 10)):
            _centered(draw, middle, bottom + 14 + 36 * k, line, label_font)
    return _png(image)


def _nice_step(largest: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if largest / step <= 6:
            return step
    return max(1, largest // 5)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


# --- names ------------------------------------------------------------------------------------


def file_stem(report: Report) -> str:
    """ "bao-cao-tong-ket-nhiem-ky-2015-2020-dcd" (no diacritics, for any file system)."""
    period = period_phrase(report.figures, report.kind)
    text = f"bao cao {report.action} {period} {report.figures.organization_code}"
    key = search_key(text).replace("/", " ")
    return "-".join(part for part in "".join(c if c.isalnum() else " " for c in key).split())
