"""The contract between the import engine (`pipeline.py`) and each kind of data it imports.

A kind (`kinds/<name>.py`) describes its columns and writes the rows the engine validated.
The engine owns everything else: opening the file (`files.py`), matching headers to columns,
parsing each cell with its column's parser, required cells, duplicates of the natural key
inside the file, collecting every error with its sheet, row and column, progress, the
all-or-nothing transaction and the job's record.

Flow, for one job:
    importer = KIND.importer(context)
    importer.begin()                      # load lookups, create staging tables...
    for each data row:
        values = {column.key: column.parse(cell)}   # CellError -> RowError, row skipped
        errors = importer.check(values, line)       # cross-field rules, lookups, scope
        if not errors: importer.add(values, line)   # buffer or stage the valid row
    if no errors anywhere (and not a preview):
        counts = importer.write()         # inside transaction.atomic(), with audit entries
    importer.close()                      # always: drop staging, free memory
A preview runs the same loop on the first rows and never calls `write()`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.functional import Promise

if TYPE_CHECKING:
    from lantoa.imports.models import ImportJob
    from lantoa.orgs.models import Organization


class CellError(ValueError):
    """A cell that cannot be read; the message is Vietnamese (gettext) and names the limit."""


@dataclass(frozen=True, slots=True)
class RowError:
    line: int  # the row number as the user sees it in the sheet (1-based, header included)
    column: str  # the header as it appears in the file ("" when the error is about the row)
    message: str


@dataclass(frozen=True)
class Column:
    key: str  # the value's name in code
    header: str | Promise  # Vietnamese header of the template, e.g. _("Family name") -> "Họ"
    parse: Callable[[Any], Any]  # cell value (str, int, float, date, datetime or None) -> value
    required: bool = False
    aliases: tuple[str, ...] = ()  # other headers accepted as this column (matched by search_key)
    choices: Callable[[], Sequence[str]] | None = None  # drop-down list in the template
    example: str = ""  # the template's example row
    help: str | Promise = ""  # one line in the template's instructions sheet
    width: int = 18  # column width in the template


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportContext:
    job: "ImportJob"
    user: Any  # the account importing; every row is checked against its grants
    organization: "Organization"  # the subtree the import is for (rows outside it are errors)
    extra: dict[str, Any] = field(default_factory=dict)


class Importer(Protocol):
    def begin(self) -> None: ...

    def check(self, values: dict[str, Any], line: int) -> list[RowError]: ...

    def add(self, values: dict[str, Any], line: int) -> None: ...

    def write(self) -> Counts: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Kind:
    name: str  # "people", "organizations", ... (URL and job field)
    label: str | Promise  # shown to users
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # natural key: column keys; two rows with the same key are an error
    importer: Callable[[ImportContext], Importer]
    permission: str  # lantoa.orgs.rules.Perm value needed on the target organization
    description: str | Promise = ""
