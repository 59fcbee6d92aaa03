"""`manage.py stats --org CODE --from dd/mm/yyyy --to dd/mm/yyyy [--json]`: the figures of
the dashboard (`lantoa.reports.figures.compute`) for a subtree and a period, as a
Vietnamese table or as JSON, for scripts and checks.

Without `--org`, the whole tree in the database. Without `--to`, today; without `--from`,
the 1st of January of the end's year. An unknown code or a bad date ends with a message
and a non-zero exit code.
"""

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lantoa.core.text import nfc
from lantoa.orgs.models import Organization
from lantoa.reports import figures as figures_module
from lantoa.reports.figures import Figures

DATE_FORMAT = "%d/%m/%Y"
WIDTH = 46  # the width of the label column

RATING_WORDS = {
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "pass": "Hoàn thành nhiệm vụ",
    "fail": "Không hoàn thành nhiệm vụ",
}
MODEL_STATUS_WORDS = {
    "registered": "Mới đăng ký",
    "in_progress": "Đang thực hiện",
    "evaluated": "Đã đánh giá",
}


def _n(value: int) -> str:
    """A count with the Vietnamese thousands separator: 3.012."""
    return f"{value:,}".replace(",", ".")


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%".replace(".", ",")


def _date(text: str, option: str) -> datetime.date:
    value = (text or "").strip()
    try:
        day = datetime.datetime.strptime(value, DATE_FORMAT).date()
    except ValueError as error:
        raise CommandError(
            f"Ngày {option} không hợp lệ: “{value}”. Viết theo dạng dd/mm/yyyy, ví dụ 15/05/2016."
        ) from error
    if day.year < 1930:
        raise CommandError(f"Ngày {option} không hợp lệ: “{value}” (trước năm 1930).")
    return day


def _organization(code: str | None) -> Organization | None:
    if code is None:
        return None
    value = nfc(code).strip().upper()
    if not value:
        raise CommandError("Mã tổ chức (--org) để trống: bỏ --org để tính cho toàn bộ cây.")
    org = Organization.objects.filter(code=value).first()
    if org is None:
        raise CommandError(
            f"Không có tổ chức nào có mã “{value}”. Xem mã tổ chức ở trang Tổ chức "
            "(cột Mã), hoặc bỏ --org để tính cho toàn bộ cây."
        )
    return org


class Command(BaseCommand):
    help = (
        "In số liệu kết quả (khen thưởng, đăng ký làm theo, học tập, làm điểm, mô hình, hoạt "
        "động) của một tổ chức và các tổ chức trực thuộc trong một khoảng thời gian."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--org",
            dest="org",
            help="Mã tổ chức, ví dụ DCD (bỏ trống: toàn bộ cây tổ chức).",
        )
        parser.add_argument(
            "--from",
            dest="start",
            help="Từ ngày, dạng dd/mm/yyyy (mặc định: 01/01 của năm ngày cuối).",
        )
        parser.add_argument(
            "--to", dest="end", help="Đến ngày, dạng dd/mm/yyyy (mặc định: hôm nay)."
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="In dạng JSON (cho script)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        org = _organization(options.get("org"))
        end = _date(options["end"], "--to") if options.get("end") else timezone.localdate()
        if options.get("start"):
            start = _date(options["start"], "--from")
        else:
            start = datetime.date(end.year, 1, 1)
        if end < start:
            raise CommandError(
                f"Ngày cuối ({end:%d/%m/%Y}) trước ngày đầu ({start:%d/%m/%Y}): "
                "kiểm tra lại --from và --to."
            )
        period = figures_module.Period(start, end, f"{start:%d/%m/%Y} – {end:%d/%m/%Y}")
        figures = figures_module.compute(org, period)
        if options["as_json"]:
            data = figures_module.as_dict(figures)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(table(figures)))


def _line(label: str, *values: str) -> str:
    """A label and its right-aligned values; a label too long for its column gets a line
    of its own, the values going under it."""
    cells = "".join(f" {value:>15}" for value in values)
    if len(label) > WIDTH and values:
        return f"  {label}\n  {'':<{WIDTH}}{cells}"
    return f"  {label:<{WIDTH}}{cells}".rstrip()


def table(figures: Figures) -> list[str]:
    """The figures as a plain Vietnamese table."""
    c, r, s, p, m = (
        figures.commendation,
        figures.registration,
        figures.study,
        figures.pilots,
        figures.models,
    )
    who = (
        f"{figures.organization} ({figures.organization_code})"
        if figures.organization_code
        else "Toàn bộ cây tổ chức"
    )
    period = figures.period
    lines = [
        f"SỐ LIỆU KẾT QUẢ: {who}",
        f"Thời gian: từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y} (tính cả hai ngày)",
        "",
        "1. Khen thưởng",
        _line("", "Tập thể", "Cá nhân"),
        _line("Được đề nghị", _n(c.nominated_collectives), _n(c.nominated_people)),
        _line("Được Hội đồng bầu chọn", _n(c.selected_collectives), _n(c.selected_people)),
        _line("Được khen thưởng", _n(c.commended_collectives), _n(c.commended_people)),
        _line("Được tuyên dương tại hội nghị", _n(c.honored_collectives), _n(c.honored_people)),
    ]
    for form in c.by_form:
        lines.append(_line(f"  trong đó {form.form}", _n(form.collectives), _n(form.people)))
    lines += [_line("Hội nghị tuyên dương đã tổ chức", _n(c.ceremonies)), ""]
    if figures.years:
        lines.append(_line("Khen thưởng theo năm", "Tập thể", "Cá nhân"))
        lines += [
            _line(f"  Năm {row.year}", _n(row.commended_collectives), _n(row.commended_people))
            for row in figures.years
        ]
        lines.append("")
    lines += [
        "2. Đăng ký làm theo, xếp loại",
        _line("Đảng viên (ngày cuối kỳ)", _n(r.members)),
        _line(f"Có bản đăng ký năm {period.end.year}", _n(r.with_commitment)),
        _line("Tỷ lệ đăng ký", _percent(r.coverage_percent)),
        _line("Mô hình, cách làm thực hiện trong kỳ", _n(r.models_registered)),
    ]
    if r.ratings_year is not None:
        lines.append(f"  Xếp loại đảng viên năm {r.ratings_year}:")
        for level, words in RATING_WORDS.items():
            lines.append(_line(f"  {words}", _n(r.ratings.get(level, 0))))
    else:
        lines.append("  Xếp loại đảng viên: chưa có danh sách được xác nhận trong kỳ")
    lines += [
        "",
        "3. Học tập chuyên đề",
        _line("Buổi học tập, sinh hoạt chuyên đề", _n(s.sessions)),
        _line("Lượt có mặt / lượt phải dự", f"{_n(s.present)} / {_n(s.expected)}"),
        _line("Tỷ lệ tham dự", _percent(s.attendance_percent)),
        "",
        "4. Làm điểm",
        _line("Tổ chức cơ sở đảng làm điểm", _n(p.pilots)),
        _line("Đã đánh giá", _n(p.evaluated)),
    ]
    lines += [f"    – {name}" for name in p.names]
    lines += ["", "5. Mô hình, cách làm"]
    for status, words in MODEL_STATUS_WORDS.items():
        lines.append(_line(words, _n(m.by_status.get(status, 0))))
    if m.named:
        lines.append("  Mô hình tiêu biểu:")
        lines += [f"    – {org}: {title}" for org, title in m.named]
    lines += ["", "6. Hoạt động theo loại", _line("", "Hoạt động", "Số lượng", "Số tiền (đ)")]
    for row in figures.activities:
        lines.append(
            _line(f"{row.name} ({row.unit})", _n(row.activities), _n(row.quantity), _n(row.money))
        )
    return lines
