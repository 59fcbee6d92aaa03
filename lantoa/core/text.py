"""Vietnamese text: NFC normalization, diacritic-free search keys and name sort keys."""

import unicodedata
from functools import lru_cache

import icu

# Characters that NFD does not decompose but that a search without diacritics must fold.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})
# Combining marks (the diacritics once decomposed), control and format characters (NUL...).
_DROPPED = {"Mn", "Cc", "Cf", "Cs"}
_SPACES = str.maketrans({"\u00a0": " ", "\t": " ", "\n": " ", "\r": " "})


def nfc(value: str) -> str:
    """Normalize text to NFC (macOS and some input methods send NFD) and trim it."""
    return unicodedata.normalize("NFC", value).strip()


def search_key(value: str) -> str:
    """Lower-case, diacritic-free form of a text: "Nguyễn Văn Đức" -> "nguyen van duc"."""
    lowered = value.translate(_SPACES).lower().translate(_EXTRA_FOLDS)
    decomposed = unicodedata.normalize("NFD", lowered)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) not in _DROPPED)
    return " ".join(stripped.split())


@lru_cache(maxsize=1)
def _collator() -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale("vi"))


def collation_key(value: str) -> bytes:
    """ICU Vietnamese collation key: letters decide before tones, a < ă < â, d < đ."""
    return _collator().getSortKey(nfc(value))


def name_sort_key(family: str, middle: str, given: str) -> bytes:
    """Sort key for a person: given name, then middle name, then family name.

    Each ICU key ends with a zero byte and holds no other, so the concatenation
    compares part by part when the database compares bytes (SQLite BLOB, PostgreSQL bytea).
    """
    return collation_key(given) + collation_key(middle) + collation_key(family)
