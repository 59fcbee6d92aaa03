"""Cell parsers: a cell as a spreadsheet gives it (str, int, float, bool, date, datetime or
None) to a Python value. Each raises `CellError` with a Vietnamese message naming what was
expected. They are called once per cell of a million-row file: keep them plain and short.
"""

import datetime
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from lantoa.core.text import search_key
from lantoa.imports.base import CellError

Parser = Callable[[Any], Any]
_normalize = unicodedata.normalize
_date = datetime.date
_datetime = datetime.datetime


def cell_text(value: Any) -> str:
    """The text of a cell: numbers typed into a text column lose no digit (0912 stays 912
    only if Excel already dropped it), integral floats print without ".0"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, _date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def text(max_length: int, *, upper: bool = False) -> Parser:
    """Free text, NFC, at most `max_length` characters; empty -> ""."""

    def parse(value: Any) -> str:
        result = value.strip() if value.__class__ is str else cell_text(value)
        if not result.isascii():
            result = _normalize("NFC", result)
        if len(result) > max_length:
            raise CellError(
                _("At most %(limit)s characters (this cell has %(count)s).")
                % {"limit": max_length, "count": len(result)}
            )
        return result.upper() if upper else result

    return parse


def code(max_length: int = 32) -> Parser:
    """An identifier: letters without diacritics, digits, dot, dash, underscore; upper-cased."""

    seen: dict[str, str] = {}

    def parse(value: Any) -> str:
        if value.__class__ is str:
            try:
                return seen[value]
            except KeyError:
                result = seen[value] = checked(value.strip().upper())
                if len(seen) > 200_000:
                    seen.clear()
                return result
        return checked(cell_text(value).upper())

    def checked(result: str) -> str:
        if not result:
            return ""
        if len(result) > max_length:
            raise CellError(
                _("At most %(limit)s characters (this cell has %(count)s).")
                % {"limit": max_length, "count": len(result)}
            )
        if (
            not result.isascii()
            or not result.replace(".", "").replace("-", "").replace("_", "").isalnum()
        ):
            raise CellError(
                _("Use letters without diacritics, digits, dots, dashes or underscores.")
            )
        return result

    return parse


def _dmy(value: str) -> datetime.date:
    parts = value.replace("-", "/").replace(".", "/").split("/")
    if len(parts) != 3:
        raise ValueError
    day, month, year = (int(p) for p in parts)
    if len(parts[2]) != 4:
        raise ValueError
    return _date(year, month, day)


def date(*, earliest: datetime.date | None = None, latest_today: bool = False) -> Parser:
    """A date typed dd/mm/yyyy (also dd-mm-yyyy, dd.mm.yyyy) or stored as a date by Excel;
    ISO yyyy-mm-dd is accepted too. Empty -> None.

    Dates repeat a lot in real files (birth dates, dates of joining): texts already read are
    kept, so a million-row file parses each distinct date once."""
    seen: dict[str, datetime.date | None] = {}

    def check(result: datetime.date) -> datetime.date:
        if earliest is not None and result < earliest:
            raise CellError(
                _("The date must be on or after %(date)s.")
                % {"date": earliest.strftime("%d/%m/%Y")}
            )
        if latest_today and result > _date.today():
            raise CellError(_("The date cannot be in the future."))
        return result

    def from_text(value: str) -> datetime.date | None:
        value = value.strip()
        if not value:
            return None
        try:
            if len(value) == 10 and value[4] == "-":
                result = _date.fromisoformat(value)
            else:
                result = _dmy(value)
        except ValueError:
            raise CellError(
                _("“%(value)s” is not a date: write it as dd/mm/yyyy, e.g. 05/06/2025.")
                % {"value": value[:40]}
            ) from None
        return check(result)

    def parse(value: Any) -> datetime.date | None:
        if value.__class__ is str:
            try:
                return seen[value]
            except KeyError:
                result = from_text(value)  # a CellError is not cached: it is raised again
                if len(seen) < 100_000:
                    seen[value] = result
                return result
        if value is None:
            return None
        if value.__class__ is _date:
            return check(value)
        if isinstance(value, _datetime):
            return check(value.date())
        if isinstance(value, _date):
            return check(value)
        raise CellError(_("This cell should hold a date written as dd/mm/yyyy."))

    return parse


def integer(*, minimum: int = 0, maximum: int = 2_000_000_000, blank: int | None = None) -> Parser:
    """A whole number; 1.500.000 and 1,500,000 and 1 500 000 are read as 1500000."""

    def parse(value: Any) -> int | None:
        if value is None or value == "":
            return blank
        if isinstance(value, bool):
            raise CellError(_("This cell should hold a whole number."))
        if isinstance(value, int):
            result = value
        elif isinstance(value, float):
            if not value.is_integer():
                raise CellError(_("This cell should hold a whole number."))
            result = int(value)
        else:
            cleaned = str(value).strip().replace(".", "").replace(",", "").replace(" ", "")
            if not cleaned:
                return blank
            try:
                result = int(cleaned)
            except ValueError:
                raise CellError(
                    _("“%(value)s” is not a whole number.") % {"value": str(value)[:40]}
                ) from None
        if result < minimum or result > maximum:
            raise CellError(
                _("The number must be between %(low)s and %(high)s.")
                % {
                    "low": f"{minimum:,}".replace(",", "."),
                    "high": f"{maximum:,}".replace(",", "."),
                }
            )
        return result

    return parse


def choice(options: Mapping[str, Any] | Callable[[], Mapping[str, Any]]) -> Parser:
    """One of a list, matched without case or diacritics: options maps each accepted spelling
    (label, code...) to the stored value. Lazy labels are accepted in Vietnamese and in
    English, whichever language the import runs in. Empty -> ""."""
    cache: dict[str, Any] = {}

    def table() -> dict[str, Any]:
        if not cache:
            source = options() if callable(options) else options
            for language in ("vi", "en"):
                with translation.override(language):
                    for label, stored in source.items():
                        cache.setdefault(search_key(str(label)), stored)
        return cache

    seen: dict[str, Any] = {}

    def parse(value: Any) -> Any:
        raw = value.strip() if value.__class__ is str else cell_text(value)
        if not raw:
            return ""
        try:
            return seen[raw]
        except KeyError:
            pass
        try:
            result = seen[raw] = table()[search_key(raw)]
            return result
        except KeyError:
            source = options() if callable(options) else options
            shown = ", ".join(sorted({str(k) for k in source})[:8])
            raise CellError(
                _("“%(value)s” is not one of: %(choices)s.") % {"value": raw[:40], "choices": shown}
            ) from None

    return parse


def boolean() -> Parser:
    yes = {"co", "x", "1", "true", "yes", "dung"}
    no = {"", "khong", "0", "false", "no", "sai"}

    def parse(value: Any) -> bool:
        key = search_key(cell_text(value))
        if key in yes:
            return True
        if key in no:
            return False
        raise CellError(_("Write “Có” or leave the cell empty."))

    return parse


def digits(lengths: tuple[int, ...]) -> Parser:
    """Digits only, of one of the given lengths (citizen ID: 12; phone: 10 or 11)."""

    def parse(value: Any) -> str:
        if value is None:
            return ""
        if value.__class__ is str and value.isascii() and value.isdigit() and len(value) in lengths:
            return value  # the common cell, without the clean-up below (2.7 -> 1.0 µs)
        raw = cell_text(value).replace(" ", "").replace(".", "")
        if not raw:
            return ""
        if isinstance(value, int | float) and len(raw) + 1 in lengths:
            raw = "0" + raw  # Excel stored 0912345678 as the number 912345678
        if not raw.isdigit() or len(raw) not in lengths:
            raise CellError(
                _("Write %(count)s digits.") % {"count": _(" or ").join(str(n) for n in lengths)}
            )
        return raw

    return parse
