"""Document numbers and symbols (số, ký hiệu): parse, validate, format.

Party form (HD 36-HD/VPTW): ``Số 29-KH/TU`` = number - type / issuer, e.g. ``05-CT/TW``,
``08-QĐi/TW``, ``26-TTr/ĐU``. State form (NĐ 30/2020): ``Số: 123/QĐ-UBND`` = number / type -
issuer, optionally with the year: ``152/2025/NĐ-CP``; a law has no type: ``06/2022/QH15``.

`normalize_symbol` cleans the text (NFC, no "Số"/"Số:" prefix, no spaces, one kind of dash,
numbers below 10 written with a leading zero); `parse_symbol` parses that normal form and
either returns its parts, which `format_symbol` writes back to the same text, or raises
`SymbolError` naming the part that is wrong. The parser knows no catalog: whether a type or
an issuer exists is the services' question.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lantoa.programs.models.catalog import DocumentSystem

__all__ = [
    "MAX_NUMBER_DIGITS",
    "ParsedSymbol",
    "SymbolError",
    "format_symbol",
    "normalize_symbol",
    "parse_symbol",
]

MAX_NUMBER_DIGITS = 6
MAX_TYPE_LENGTH = 10
MAX_ISSUER_LENGTH = 20
MIN_YEAR, MAX_YEAR = 1945, 2100

# Look-alikes typed instead of the characters of a symbol: dashes, slashes, Icelandic Ð.
_VARIANTS = str.maketrans(
    {
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "−": "-",
        "／": "/",
        "⁄": "/",
        "∕": "/",
        "Ð": "Đ",
    }
)
_PREFIX = re.compile(r"^(?:số|so)\s*:?", re.IGNORECASE)
_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp"}
_LEADING_DIGITS = re.compile(r"^[0-9]+")
_TYPE = re.compile(r"[A-ZĐ][A-Za-zĐđ]*")
_ISSUER_PART = r"[A-ZĐ][A-ZĐ0-9]*"
_ISSUER = re.compile(rf"{_ISSUER_PART}(?:-{_ISSUER_PART})*")
_YEAR = re.compile(r"[0-9]{4}")
_DIGITS = re.compile(r"[0-9]+")


class SymbolError(ValueError):
    """A number and symbol that cannot be read; `part` names what is wrong."""

    def __init__(self, part: str, message: str) -> None:
        super().__init__(message)
        self.part = part
        self.message = message


@dataclass(frozen=True)
class ParsedSymbol:
    """The parts of a symbol. A state symbol without a type (a law) has a one-part issuer:
    "01/2022/A-B" is read as type A of issuer B."""

    system: str  # DocumentSystem value
    number: int
    type_code: str  # "" for a state document without a type (a law: 06/2022/QH15)
    issuer_code: str
    year: int | None = None  # state form only, when the symbol carries it


def normalize_symbol(text: str) -> str:
    """The text of a symbol in normal form; never fails (parse it to know if it is valid)."""
    text = unicodedata.normalize("NFC", text).translate(_VARIANTS).strip()
    text = _PREFIX.sub("", text, count=1)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
    text = unicodedata.normalize("NFC", text)
    return _LEADING_DIGITS.sub(lambda match: _canonical_digits(match.group()), text, count=1)


def _canonical_digits(digits: str) -> str:
    """Digits without leading zeros, at least two of them (05, 29, 123): text, not int,
    so that a run of thousands of digits costs nothing."""
    return digits.lstrip("0").zfill(2)


def format_symbol(parsed: ParsedSymbol) -> str:
    number = f"{parsed.number:02d}"
    if parsed.system == DocumentSystem.PARTY:
        return f"{number}-{parsed.type_code}/{parsed.issuer_code}"
    year = f"{parsed.year}/" if parsed.year is not None else ""
    kind = f"{parsed.type_code}-" if parsed.type_code else ""
    return f"{number}/{year}{kind}{parsed.issuer_code}"


def parse_symbol(text: str) -> ParsedSymbol:
    """Parse a number and symbol; raises SymbolError (and nothing else) when it is wrong."""
    if not isinstance(text, str):
        raise SymbolError("symbol", _("Enter the number and symbol, e.g. 29-KH/TU."))
    symbol = normalize_symbol(text)
    if not symbol:
        raise SymbolError("symbol", _("Enter the number and symbol, e.g. 29-KH/TU."))
    digits = _LEADING_DIGITS.match(symbol)
    if digits is None:
        raise SymbolError(
            "number",
            _("The symbol must begin with the document's number, e.g. 29-KH/TU or 123/QĐ-UBND."),
        )
    number = _number(digits.group())
    rest = symbol[digits.end() :]
    if rest.startswith("-"):
        return _party(number, rest[1:])
    if rest.startswith("/"):
        return _state(number, rest[1:])
    if not rest:
        raise SymbolError(
            "type", _("The type and the issuer are missing after the number, e.g. 29-KH/TU.")
        )
    raise SymbolError(
        "separator",
        _(
            "After the number, write “-” for a party document (29-KH/TU) "
            "or “/” for a state document (123/QĐ-UBND), not “%(found)s”."
        )
        % {"found": rest[0]},
    )


def _number(digits: str) -> int:
    if len(digits) > MAX_NUMBER_DIGITS:
        raise SymbolError(
            "number",
            _("The number has too many digits (at most %(count)d).") % {"count": MAX_NUMBER_DIGITS},
        )
    number = int(digits)
    if number < 1:
        raise SymbolError("number", _("The number must be 1 or more."))
    return number


def _party(number: int, rest: str) -> ParsedSymbol:
    type_code, slash, issuer = rest.partition("/")
    if not slash:
        raise SymbolError(
            "issuer",
            _("The issuer is missing: write “/” and the issuer after the type, e.g. 29-KH/TU."),
        )
    return ParsedSymbol(
        system=DocumentSystem.PARTY.value,
        number=number,
        type_code=_checked_type(type_code),
        issuer_code=_checked_issuer(issuer),
    )


def _state(number: int, rest: str) -> ParsedSymbol:
    year = None
    head, slash, tail = rest.partition("/")
    if slash and _DIGITS.fullmatch(head):
        year, rest = _checked_year(head), tail
    type_code, dash, issuer = rest.partition("-")
    if not dash:
        if year is None:
            raise SymbolError(
                "issuer",
                _(
                    "The issuer is missing: write “-” and the issuer after the type, "
                    "e.g. 123/QĐ-UBND."
                ),
            )
        # A law or an ordinance: number/year/issuer (06/2022/QH15).
        type_code, issuer = "", type_code
    return ParsedSymbol(
        system=DocumentSystem.STATE.value,
        number=number,
        type_code=_checked_type(type_code) if type_code or dash else "",
        issuer_code=_checked_issuer(issuer),
        year=year,
    )


def _checked_year(text: str) -> int:
    if not _YEAR.fullmatch(text):
        raise SymbolError(
            "year",
            _("“%(found)s” is not a year: write it with four digits, e.g. 152/2025/NĐ-CP.")
            % {"found": text[:30]},
        )
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise SymbolError(
            "year",
            _("The year %(year)s is not plausible (from %(first)d to %(last)d).")
            % {"year": text, "first": MIN_YEAR, "last": MAX_YEAR},
        )
    return year


def _checked_type(code: str) -> str:
    if not code:
        raise SymbolError("type", _("The document type is missing, e.g. KH, QĐ, CT."))
    if len(code) > MAX_TYPE_LENGTH or not _TYPE.fullmatch(code):
        raise SymbolError(
            "type",
            _(
                "The document type “%(found)s” is not valid: write its abbreviation, "
                "beginning with a capital letter, e.g. KH, QĐ, QĐi, TTr."
            )
            % {"found": code[:30]},
        )
    return code


def _checked_issuer(code: str) -> str:
    if not code:
        raise SymbolError("issuer", _("The issuer is missing, e.g. TW, TU, ĐU, UBND."))
    if len(code) > MAX_ISSUER_LENGTH or not _ISSUER.fullmatch(code):
        raise SymbolError(
            "issuer",
            _(
                "The issuer “%(found)s” is not valid: write its abbreviation in capital "
                "letters, e.g. TW, TU, ĐU, BTCTW, UBND."
            )
            % {"found": code[:30]},
        )
    return code
