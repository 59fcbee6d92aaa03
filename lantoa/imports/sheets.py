"""The spreadsheets the import pages hand out: a template per kind (Vietnamese headers,
drop-down lists, an example row, instructions) and the rejected rows of a job with their
reasons, ready to be corrected and imported again."""

import contextlib
import io
import tempfile
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from lantoa.imports.base import CellError, Column, Kind
from lantoa.imports.models import ImportJob

__all__ = ["DATA_SHEET", "LISTS_SHEET", "rejected_rows_workbook", "template_workbook"]

DATA_SHEET = "Dữ liệu"
HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
TEMPLATE_ROWS = 5000  # rows covered by the drop-down lists and the date format
INLINE_LIST_LIMIT = 200  # characters of an inline list (Excel refuses more than 255)
REQUIRED_FILL = PatternFill("solid", fgColor="FDE9D9")
HEADER_FILL = PatternFill("solid", fgColor="EEEEEE")
BOLD = Font(bold=True)
DATE_FORMAT = "DD/MM/YYYY"


def _is_date(column: Column) -> bool:
    return getattr(column.parse, "__qualname__", "").startswith("date.")


def _header(column: Column) -> str:
    return f"{column.header} *" if column.required else str(column.header)


def template_workbook(kind: Kind) -> bytes:
    """The XLSX template of a kind; it imports as is once the example row is replaced."""
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    lists = None
    list_column = 0
    for number, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(number)
        cell = sheet.cell(row=1, column=number, value=_header(column))
        cell.font = BOLD
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[letter].width = max(column.width, len(_header(column)) + 2)
        options = [str(option) for option in column.choices()] if column.choices else []
        value = column.example or (options[0] if column.required and options else "")
        example = sheet.cell(row=2, column=number, value=value or None)
        span = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        if _is_date(column):
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
            if value:
                with contextlib.suppress(CellError):
                    example.value = column.parse(value)
            example.number_format = DATE_FORMAT
        elif value:
            example.number_format = "@"  # codes and phone numbers stay text
        if options:
            inline = ",".join(options)
            if len(inline) <= INLINE_LIST_LIMIT and all(
                '"' not in o and "," not in o for o in options
            ):
                formula = f'"{inline}"'
            else:
                if lists is None:
                    lists = book.create_sheet(LISTS_SHEET)
                    lists.sheet_state = "hidden"
                list_column += 1
                list_letter = get_column_letter(list_column)
                lists.cell(row=1, column=list_column, value=str(column.header))
                for row, option in enumerate(options, start=2):
                    lists.cell(row=row, column=list_column, value=option)
                formula = (
                    f"{quote_sheetname(LISTS_SHEET)}!${list_letter}$2:"
                    f"${list_letter}${len(options) + 1}"
                )
            validation = DataValidation(
                type="list",
                formula1=formula,
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle=str(column.header)[:32],
                error=_("Choose a value from the list.")[:255],
            )
            validation.add(span)
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 30

    guide = book.create_sheet(HELP_SHEET)
    guide.append([str(kind.label)])
    guide["A1"].font = Font(bold=True, size=13)
    if kind.description:
        guide.append([str(kind.description)])
    guide.append([])
    guide.append([_("Column"), _("Required"), _("What to write")])
    for cell in guide[guide.max_row]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
    for column in kind.columns:
        what = str(column.help)
        if column.choices is not None:
            what = (what + " " if what else "") + _("One of: %(list)s.") % {
                "list": ", ".join(str(option) for option in column.choices())[:500]
            }
        if _is_date(column) and not what:
            what = _("A date written dd/mm/yyyy.")
        guide.append([str(column.header), _("Yes") if column.required else "", what])
    guide.append([])
    for rule in (
        _("Fill the sheet “%(sheet)s”, one row per record, from row 2; replace the example row.")
        % {"sheet": DATA_SHEET},
        _("Columns marked * are required. Keep the header row; the order of columns is free."),
        _("Dates as dd/mm/yyyy. No formulas and no merged cells: paste values only."),
        _(
            "The import is all or nothing: if a row is wrong, nothing is written and every "
            "rejected row is listed with its reason."
        ),
        _("Importing the same file again changes nothing."),
    ):
        guide.append(["", "", rule])
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 90
    if lists is not None:
        book.move_sheet(lists, offset=len(book.sheetnames) - 1 - book.sheetnames.index(LISTS_SHEET))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def rejected_rows_workbook(job: ImportJob) -> IO[bytes]:
    """The rejected rows of a job: its original headers and cells, a line column and a
    reason column (all the row's reasons joined). Streamed (write-only) into a temporary
    file, read back from the start; the caller closes it."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(DATA_SHEET)
    headers = [str(header) for header in (job.headers or [])]
    sheet.append([*headers, _("Line"), _("Reason")])
    errors = (
        job.row_errors.order_by("line", "id")
        .values_list("line", "column", "message", "cells")
        .iterator(chunk_size=5000)
    )
    current: int | None = None
    cells: list[str] = []
    reasons: list[str] = []

    def flush() -> None:
        row = list(cells[: len(headers)]) + [""] * (len(headers) - len(cells))
        sheet.append([*(value or None for value in row), current, "; ".join(reasons)])

    for line, column, message, row_cells in errors:
        if line != current:
            if current is not None:
                flush()
            current, cells, reasons = line, [], []
        if row_cells and not cells:
            cells = list(row_cells)
        reasons.append(f"{column}: {message}" if column else message)
    if current is not None:
        flush()
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes it
    book.save(output)
    output.seek(0)
    return output
