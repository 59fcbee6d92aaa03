"""Fictional Vietnamese names: family, middle and given names weighted like real ones."""

import random
from dataclasses import dataclass

from lantoa.orgs.models import Gender

# Family names with rough weights (Nguyễn alone is about a third of the population;
# Huỳnh, Võ and Lâm, Quách, Châu are more frequent in the Mekong Delta).
FAMILY_NAMES: dict[str, int] = {
    "Nguyễn": 32,
    "Trần": 11,
    "Lê": 9,
    "Phạm": 6,
    "Huỳnh": 6,
    "Võ": 5,
    "Phan": 4,
    "Hoàng": 2,
    "Đặng": 2,
    "Bùi": 2,
    "Đỗ": 2,
    "Hồ": 2,
    "Ngô": 2,
    "Dương": 2,
    "Lý": 2,
    "Trương": 2,
    "Lâm": 1,
    "Đinh": 1,
    "Châu": 1,
    "Tạ": 1,
    "Quách": 1,
    "Tô": 1,
    "Mai": 1,
    "Kiều": 1,
}

MIDDLE_NAMES: dict[str, dict[str, int]] = {
    Gender.MALE: {
        "Văn": 30,
        "Minh": 10,
        "Quốc": 8,
        "Thanh": 8,
        "Hoàng": 6,
        "Hữu": 6,
        "Công": 5,
        "Tấn": 5,
        "Đức": 4,
        "Chí": 4,
        "Trung": 3,
        "Phước": 3,
        "Thành": 3,
    },
    Gender.FEMALE: {
        "Thị": 35,
        "Ngọc": 10,
        "Thu": 6,
        "Kim": 6,
        "Bích": 5,
        "Thanh": 5,
        "Mỹ": 5,
        "Hồng": 4,
        "Thúy": 4,
        "Diễm": 3,
        "Phương": 3,
        "Thị Ngọc": 3,
        "Thị Kim": 2,
    },
}

GIVEN_NAMES: dict[str, tuple[str, ...]] = {
    Gender.MALE: (
        "An", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Hải", "Hiếu", "Hùng",
        "Hưng", "Huy", "Khánh", "Khoa", "Kiệt", "Lộc", "Long", "Lợi", "Minh", "Nam", "Nghĩa",
        "Nhân", "Phong", "Phúc", "Phước", "Quang", "Sơn", "Tài", "Tâm", "Thắng", "Thành",
        "Thịnh", "Toàn", "Trí", "Trung", "Tuấn", "Tùng", "Vinh", "Vũ", "Hậu", "Tín", "Triều",
    ),
    Gender.FEMALE: (
        "An", "Ánh", "Châu", "Diễm", "Diệu", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
        "Hồng", "Huyền", "Hương", "Lan", "Linh", "Loan", "Mai", "Nga", "Ngọc", "Nhi",
        "Nhung", "Oanh", "Phượng", "Quyên", "Tâm", "Thảo", "Thơ", "Thủy", "Trâm", "Trang",
        "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến", "Khánh", "Cúc",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Name:
    family: str
    middle: str
    given: str


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def random_name(rng: random.Random, gender: str) -> Name:
    """A plausible name for the gender; the middle name never repeats the given name."""
    family = _weighted(rng, FAMILY_NAMES)
    given = rng.choice(GIVEN_NAMES[gender])
    middle = _weighted(rng, MIDDLE_NAMES[gender])
    while given in middle.split():
        middle = _weighted(rng, MIDDLE_NAMES[gender])
    return Name(family, middle, given)
