"""The number and symbol parser: examples of both forms, errors that name the wrong part,
and properties over any text and over generated valid symbols."""

import unicodedata

import pytest
from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lantoa.programs.numbering import (
    ParsedSymbol,
    SymbolError,
    format_symbol,
    normalize_symbol,
    parse_symbol,
)

PARTY, STATE = "party", "state"


@pytest.mark.parametrize(
    ("text", "parsed", "normal"),
    [
        ("Số 29-KH/TU", ParsedSymbol(PARTY, 29, "KH", "TU"), "29-KH/TU"),
        ("05-CT/TW", ParsedSymbol(PARTY, 5, "CT", "TW"), "05-CT/TW"),
        ("12-QĐ/ĐU", ParsedSymbol(PARTY, 12, "QĐ", "ĐU"), "12-QĐ/ĐU"),
        ("08-QĐi/TW", ParsedSymbol(PARTY, 8, "QĐi", "TW"), "08-QĐi/TW"),
        ("26-TTr/ĐU", ParsedSymbol(PARTY, 26, "TTr", "ĐU"), "26-TTr/ĐU"),
        ("43-HD/BTCTW", ParsedSymbol(PARTY, 43, "HD", "BTCTW"), "43-HD/BTCTW"),
        ("10072-CV/BTCTW", ParsedSymbol(PARTY, 10072, "CV", "BTCTW"), "10072-CV/BTCTW"),
        ("01-CTr/UBKTTU", ParsedSymbol(PARTY, 1, "CTr", "UBKTTU"), "01-CTr/UBKTTU"),
        ("Số 5-KH/TU", ParsedSymbol(PARTY, 5, "KH", "TU"), "05-KH/TU"),
        ("số  029 – KH / TU ", ParsedSymbol(PARTY, 29, "KH", "TU"), "29-KH/TU"),
        ("SỐ:29-KH/TU", ParsedSymbol(PARTY, 29, "KH", "TU"), "29-KH/TU"),
        ("12-QĐ/ÐU", ParsedSymbol(PARTY, 12, "QĐ", "ĐU"), "12-QĐ/ĐU"),  # Icelandic Ð
        (unicodedata.normalize("NFD", "Số 12-QĐ/ĐU"), ParsedSymbol(PARTY, 12, "QĐ", "ĐU"), None),
        ("Số: 123/QĐ-UBND", ParsedSymbol(STATE, 123, "QĐ", "UBND"), "123/QĐ-UBND"),
        ("152/2025/NĐ-CP", ParsedSymbol(STATE, 152, "NĐ", "CP", 2025), "152/2025/NĐ-CP"),
        ("06/2022/QH15", ParsedSymbol(STATE, 6, "", "QH15", 2022), "06/2022/QH15"),
        ("30/2020/NĐ-CP", ParsedSymbol(STATE, 30, "NĐ", "CP", 2020), "30/2020/NĐ-CP"),
        ("05/2019/TTLT-BTC-BNV", ParsedSymbol(STATE, 5, "TTLT", "BTC-BNV", 2019), None),
    ],
)
def test_symbols_parse_into_their_parts(text, parsed, normal):
    assert parse_symbol(text) == parsed
    assert format_symbol(parsed) == normalize_symbol(text)
    if normal is not None:
        assert normalize_symbol(text) == normal


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("", "symbol"),
        ("Số", "symbol"),
        ("   ", "symbol"),
        ("KH/TU", "number"),
        ("Kế hoạch 29", "number"),
        ("0-KH/TU", "number"),
        ("1234567-KH/TU", "number"),
        ("29", "type"),
        ("29.KH/TU", "separator"),
        ("29_KH/TU", "separator"),
        ("29-KH", "issuer"),
        ("29-KH/", "issuer"),
        ("29-/TU", "type"),
        ("29-kh/TU", "type"),
        ("29-K2/TU", "type"),
        ("29-KH/tu", "issuer"),
        ("29-KH/TU/2016", "issuer"),
        ("29-KHOANHHOACHH/TU", "type"),
        ("123/QĐ", "issuer"),
        ("123/-UBND", "type"),
        ("123/QĐ-", "issuer"),
        ("123/15/NĐ-CP", "year"),
        ("123/1800/NĐ-CP", "year"),
        ("123/2025/", "issuer"),
    ],
)
def test_an_unreadable_symbol_gets_a_message_naming_the_wrong_part(text, part):
    with pytest.raises(SymbolError) as raised:
        parse_symbol(text)
    assert raised.value.part == part
    assert raised.value.message
    assert isinstance(raised.value, ValueError)


def test_the_message_names_the_wrong_part_in_words():
    with pytest.raises(SymbolError, match="cơ quan ban hành"):
        parse_symbol("29-KH/tu")
    with pytest.raises(SymbolError, match="loại văn bản"):
        parse_symbol("29-kh/TU")
    with pytest.raises(SymbolError, match="số văn bản"):
        parse_symbol("KH/TU")
    with translation.override("en"), pytest.raises(SymbolError, match="issuer"):
        parse_symbol("29-KH/tu")


def test_a_symbol_that_is_not_text_is_an_error_not_a_crash():
    with pytest.raises(SymbolError):
        parse_symbol(None)  # type: ignore[arg-type]


# --- properties ---------------------------------------------------------------------------

SYMBOLISH = st.text(
    alphabet=st.sampled_from(list("0123456789-/–: .KHQĐđiTUWCPNDVrSốoÐ\u0301\u00a0\u200bxk")),
    max_size=24,
)


def _check_any_text(text: str) -> None:
    try:
        parsed = parse_symbol(text)
    except SymbolError as error:
        assert error.message
        assert error.part in {"symbol", "number", "separator", "type", "issuer", "year"}
        return
    normal = normalize_symbol(text)
    assert format_symbol(parsed) == normal
    assert unicodedata.is_normalized("NFC", normal)
    assert parse_symbol(normal) == parsed
    assert normalize_symbol(normal) == normal


@settings(max_examples=400)
@given(st.text())
@example("Số 29-KH/TU")
@example("0" * 5000 + "1-KH/TU")
@example("9" * 5000)
@example("١٢-KH/TU")  # Arabic-Indic digits are not document numbers
def test_any_text_either_parses_and_formats_back_or_gets_a_symbol_error(text):
    _check_any_text(text)


@settings(max_examples=600)
@given(SYMBOLISH)
def test_symbol_like_text_either_parses_and_formats_back_or_gets_a_symbol_error(text):
    _check_any_text(text)


NUMBERS = st.integers(min_value=1, max_value=999_999)
TYPES = st.from_regex(r"\A[A-ZĐ][A-Za-zĐđ]{0,9}\Z")
ISSUER_PART = r"[A-ZĐ][A-ZĐ0-9]{0,5}"
ISSUERS = st.from_regex(rf"\A{ISSUER_PART}(-{ISSUER_PART}){{0,2}}\Z").filter(lambda s: len(s) <= 20)
ONE_PART_ISSUERS = st.from_regex(rf"\A{ISSUER_PART}\Z")
YEARS = st.integers(min_value=1945, max_value=2100)

PARTY_SYMBOLS = st.builds(ParsedSymbol, st.just(PARTY), NUMBERS, TYPES, ISSUERS, st.none())
STATE_SYMBOLS = st.one_of(
    st.builds(ParsedSymbol, st.just(STATE), NUMBERS, TYPES, ISSUERS, st.none() | YEARS),
    # A law has no type, and then an issuer of one part (06/2022/QH15, 02/2022/UBTVQH15):
    # "01/2022/A-B" reads as type A of issuer B.
    st.builds(ParsedSymbol, st.just(STATE), NUMBERS, st.just(""), ONE_PART_ISSUERS, YEARS),
)
SYMBOLS = st.one_of(PARTY_SYMBOLS, STATE_SYMBOLS)


@settings(max_examples=300)
@given(SYMBOLS)
def test_a_valid_symbol_formats_to_text_that_parses_back_to_it(parsed):
    text = format_symbol(parsed)
    assert parse_symbol(text) == parsed
    assert normalize_symbol(text) == text


def _as_typed(text: str, prefix: str, spaced: bool, nfd: bool, dash: str) -> str:
    """The same symbol as people type it: a "Số" prefix, spaces, decomposed letters..."""
    if spaced:
        text = " ".join(text)
    text = text.replace("-", dash)
    if nfd:
        text = unicodedata.normalize("NFD", text)
    return f"{prefix}{text}"


@settings(max_examples=300)
@given(
    SYMBOLS,
    st.sampled_from(["", "Số ", "Số: ", "số:", "SỐ ", " "]),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["-", "–", "—", "‑"]),
)
def test_a_valid_symbol_typed_loosely_parses_to_the_same_parts(parsed, prefix, spaced, nfd, dash):
    typed = _as_typed(format_symbol(parsed), prefix, spaced, nfd, dash)
    assert parse_symbol(typed) == parsed
    assert normalize_symbol(typed) == format_symbol(parsed)
