"""Small files for the engine's tests, built on the fly (no binary fixtures)."""

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

ORG_HEADERS = ["Code", "Name", "Short name", "Kind", "Parent code", "Valid from"]


def write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str = "Dữ liệu"
) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def write_two_sheets(path: Path) -> Path:
    """A workbook whose first sheet is notes and whose second, "Tổ chức", holds the
    organizations of `org_rows()`."""
    book = Workbook()
    notes = book.active
    notes.title = "Ghi chú"
    notes.append(["Danh sách gửi Ban Tổ chức"])
    notes.append(["Người lập: Nguyễn Văn An"])
    data = book.create_sheet("Tổ chức")
    data.append(ORG_HEADERS)
    for row in org_rows():
        data.append(row)
    book.save(path)
    return path


def org_rows() -> list[list[Any]]:
    """Three new organizations under BDV (fixture `tree`), parents first."""
    return [
        ["BDV-CB2", "Chi bộ 2 Ban Dân vận", "CB2", "cell", "BDV", "01/01/2020"],
        ["BDV-CB3", "Chi bộ 3 Ban Dân vận", "", "Chi bộ trực thuộc", "BDV", ""],
        ["BDV-CB3A", "Tổ đảng 3A", "", "cell", "BDV-CB3", "15/03/2021"],
    ]
