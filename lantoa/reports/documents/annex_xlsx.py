"""The report's annexes as an XLSX workbook: one sheet per annex table, Vietnamese headers
in bold on the first row, plain values below (numbers as numbers, a missing figure as an
empty cell), columns wide enough to read, the header row frozen."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lantoa.reports.documents import AnnexTable, Report, annexes

__all__ = ["annex_xlsx"]

MIN_WIDTH, MAX_WIDTH = 8, 70  # characters


def _width(annex: AnnexTable, column: int) -> float:
    values = [annex.headers[column]]
    values += [row[column] for row in annex.rows]
    if annex.total is not None:
        values.append(annex.total[column])
    longest = max(len(str(value)) if value is not None else 0 for value in values)
    return max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


def _sheet(workbook: Workbook, annex: AnnexTable) -> None:
    sheet = workbook.create_sheet(title=annex.sheet[:31])
    sheet.append(annex.headers)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in annex.rows:
        sheet.append(list(row))
    if annex.total is not None and annex.rows:
        sheet.append(list(annex.total))
        for cell in sheet[sheet.max_row]:
            cell.font = bold
    for column in range(len(annex.headers)):
        sheet.column_dimensions[get_column_letter(column + 1)].width = _width(annex, column)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0.0"
            elif isinstance(cell.value, int):
                cell.number_format = "#,##0"
            elif isinstance(cell.value, str) and len(cell.value) > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def annex_xlsx(report: Report) -> bytes:
    """Every annex table of the report, one sheet each, as the bytes of an XLSX file."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for annex in annexes(report):
        _sheet(workbook, annex)
    workbook.properties.title = f"Phụ lục: {report.subject}"
    workbook.properties.creator = "Lan Tỏa"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
