import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from lantoa.core.text import collation_key, name_sort_key, nfc, search_key


def test_search_key_folds_diacritics_case_and_d_with_stroke():
    assert search_key("Nguyễn Văn Đức") == "nguyen van duc"
    assert search_key("ĐẶNG THỊ ĐÀO") == "dang thi dao"


def test_search_key_is_the_same_for_nfc_and_nfd():
    name = "Trần Thị Ánh Tuyết"
    assert search_key(unicodedata.normalize("NFD", name)) == search_key(name)


def test_nfc_composes_decomposed_input():
    decomposed = unicodedata.normalize("NFD", " Phạm Đức Thắng ")
    assert nfc(decomposed) == "Phạm Đức Thắng"
    assert len(nfc(decomposed)) == len("Phạm Đức Thắng")


def test_collation_orders_vietnamese_letters_then_tones():
    names = ["Đức", "Duy", "An", "Ăn", "Âu", "Ánh", "Dũng", "Đạt"]
    assert sorted(names, key=collation_key) == [
        "An",
        "Ánh",
        "Ăn",
        "Âu",
        "Dũng",
        "Duy",
        "Đạt",
        "Đức",
    ]


def test_name_sort_key_sorts_by_given_then_middle_then_family_name():
    people = [
        ("Trần", "Văn", "Bình"),
        ("Nguyễn", "Văn", "An"),
        ("Lê", "Thị", "Bình"),
        ("Á", "Văn", "Bình"),
    ]
    ordered = sorted(people, key=lambda p: name_sort_key(*p))
    assert ordered == [
        ("Nguyễn", "Văn", "An"),
        ("Lê", "Thị", "Bình"),
        ("Á", "Văn", "Bình"),
        ("Trần", "Văn", "Bình"),
    ]


@given(st.text(max_size=40))
def test_search_key_never_keeps_combining_marks_or_d_with_stroke(text):
    key = search_key(text)
    assert not any(unicodedata.category(ch) == "Mn" for ch in key)
    assert "đ" not in key and "Đ" not in key
    assert search_key(key) == key
