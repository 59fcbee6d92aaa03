"""Synthetic national-scale data: a tree like a country's and a million people in it.

Run by `python -m bench` as `python -m bench.generate --seed S --orgs N --people M` with
DATABASE_URL set (the database is already migrated and empty). Deterministic: the same
seed and sizes give the same rows on SQLite and on PostgreSQL.

The tree: 1 root → provinces (63 at full size) → blocs and communes → base organizations
(a base party cell is a leaf; a base committee has cells) → cells. Paths are treebeard's
(steplen 4, alphabet 0-9A-Z), computed here with depth and numchild; rows are bulk
inserted: COPY on PostgreSQL, executemany in one transaction on SQLite. Secondary
indexes, foreign keys (PostgreSQL) and triggers (SQLite) are dropped during the load and
recreated after it, exactly as the migrations defined them; SQLite FTS5 tables that
index a loaded table are rebuilt.
"""

import argparse
import datetime
import json
import os
import random
import sqlite3
import sys
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

import django

from bench import MARKER_TABLE, dataset_key

# --- names -------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


PROVINCES = [
    "Hà Nội", "Thành phố Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "An Giang",
    "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk",
    "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam",
    "Hà Tĩnh", "Hải Dương", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang",
    "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định",
    "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam",
    "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình",
    "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang",
    "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
]  # fmt: skip
PLACES = [
    "An Bình", "An Phú", "Bình Minh", "Bình Thạnh", "Đông Hòa", "Đông Hưng", "Hòa Bình",
    "Hòa Thành", "Hưng Phú", "Khánh Hội", "Long Hưng", "Long Phước", "Minh Đức", "Mỹ Lợi",
    "Nhơn Trạch", "Phú Lộc", "Phú Mỹ", "Phước Long", "Quang Trung", "Tân An", "Tân Hiệp",
    "Tân Phú", "Tân Thành", "Tây Sơn", "Thạnh Phú", "Thái Hòa", "Thanh Sơn", "Thuận An",
    "Trung Hòa", "Vĩnh Lợi", "Vĩnh Thuận", "Xuân Lộc", "Yên Thế", "Lê Lợi", "Hồng Phong",
    "Nguyễn Huệ", "Trần Phú", "Đồng Xuân", "Ngọc Lâm", "Cửa Nam",
]  # fmt: skip
UNITS = [
    ("Trường Tiểu học {p}", "public_service"),
    ("Trường Trung học cơ sở {p}", "public_service"),
    ("Trạm Y tế {p}", "public_service"),
    ("Công an {p}", "agency"),
    ("Ủy ban nhân dân {p}", "agency"),
    ("Ban Chỉ huy Quân sự {p}", "agency"),
    ("Công ty Cổ phần {p}", "enterprise"),
    ("Hợp tác xã Nông nghiệp {p}", "enterprise"),
    ("Ấp {p}", ""),
    ("Khu phố {p}", ""),
]
POSITIONS = ["Bí thư chi bộ", "Phó Bí thư chi bộ", "Chi ủy viên", "Đảng ủy viên"]

FAMILY = {
    "Nguyễn": 380, "Trần": 110, "Lê": 95, "Phạm": 70, "Hoàng": 40, "Huỳnh": 30, "Phan": 45,
    "Vũ": 25, "Võ": 25, "Đặng": 20, "Bùi": 20, "Đỗ": 14, "Hồ": 13, "Ngô": 13, "Dương": 10,
    "Lý": 5, "Đinh": 6, "Đoàn": 5, "Trương": 6, "Lâm": 4, "Mai": 4, "Cao": 4, "Tô": 2,
    "Hà": 5, "Lương": 4, "Tạ": 2, "Châu": 2, "Thái": 2, "Quách": 1, "Kiều": 1, "Lưu": 3,
    "La": 1, "Vương": 2, "Triệu": 2, "Nông": 2, "Lò": 1, "Mạc": 1, "Tăng": 1,
}  # fmt: skip
MIDDLE_MALE = {
    "Văn": 300, "Hữu": 60, "Đức": 60, "Minh": 80, "Quang": 60, "Thanh": 50, "Công": 50,
    "Xuân": 40, "Ngọc": 40, "Hoàng": 30, "Anh": 30, "Quốc": 50, "Trọng": 30, "Tuấn": 20,
    "Thế": 30, "Đình": 40, "Duy": 30, "Mạnh": 20, "Tiến": 20, "Việt": 20, "Bá": 20,
    "Chí": 20, "Trung": 20, "Hồng": 20, "Kim": 10, "Văn Minh": 10, "Hữu Đức": 5,
}  # fmt: skip
MIDDLE_FEMALE = {
    "Thị": 400, "Ngọc": 60, "Thu": 50, "Thanh": 50, "Kim": 40, "Minh": 30, "Hồng": 40,
    "Thúy": 30, "Phương": 30, "Mỹ": 30, "Bích": 20, "Diệu": 20, "Hoài": 20, "Thùy": 30,
    "Quỳnh": 20, "Bảo": 20, "Hải": 20, "Khánh": 20, "Tuyết": 10, "Lệ": 20, "Thị Thu": 20,
    "Thị Ngọc": 20, "Thị Kim": 10,
}  # fmt: skip
SECOND_MIDDLE_MALE = _words(
    "Minh Anh Hoàng Quốc Thành Trung Đức Hữu Tuấn Hải Ngọc Xuân Việt Hồng Quang Thanh Bảo Gia "
    "Khánh Phúc Thiện Tấn Tiến Duy Công Chí Mạnh Nhật Phước Trọng"
)
SECOND_MIDDLE_FEMALE = _words(
    "Thu Ngọc Kim Thanh Hồng Bích Mỹ Phương Diệu Hoài Thùy Quỳnh Bảo Khánh Tuyết Lệ Minh Anh "
    "Như Hải Kiều Cẩm Tú Xuân Hương Mai Lan Ánh Vân"
)
GIVEN_MALE = _words(
    "An Anh Bảo Bình Cường Chiến Công Dũng Duy Dương Đạt Đông Đức Giang Hải Hào Hậu Hiếu "
    "Hiển Hòa Hoàng Huy Hùng Hưng Khải Khang Khánh Khoa Kiên Lâm Lộc Long Luân Minh Nam "
    "Nghĩa Nhân Phát Phong Phú Phúc Phước Quang Quân Quý Sang Sơn Tài Tâm Tân Thắng Thành "
    "Thiện Thịnh Thông Tiến Toàn Trí Trọng Trung Tú Tuấn Tùng Việt Vinh Vũ Vương Bách Bằng "
    "Chính Danh Điền Định Đoàn Hiệp Hoan Học Khôi Lực Mạnh Nhật Quyết Sỹ Thái Thạch Thuận "
    "Tín Tính Trường Tường Vĩnh Kiệt Lợi Lượng Nguyên Phi Tấn Thọ Thức Triều Tuệ Uy Cảnh "
    "Dân Đăng Đạo Giáp Khanh Lĩnh Ninh Quảng Sinh Thiệu Toản Trình Hiếu Hậu Nhẫn Vỹ Đại"
)
GIVEN_FEMALE = _words(
    "An Anh Bích Châu Chi Diễm Dung Duyên Đào Giang Hà Hạnh Hằng Hiền Hoa Hồng Huệ Hương "
    "Hường Huyền Khánh Lan Liên Linh Loan Ly Mai My Ngân Nga Ngọc Nguyệt Nhung Nhi Oanh "
    "Phượng Phương Quyên Quỳnh Tâm Thảo Thanh Thơ Thu Thủy Thúy Thư Trang Trâm Trinh Tuyết "
    "Uyên Vân Vy Xuân Yến Ánh Bình Cúc Diệp Dịu Giao Hảo Hiên Khuê Kiều Lài Lam Lệ Liễu "
    "Lụa Mận Nương Nhàn Nhạn Như Phấn Quế Sen Sương Thắm Thoa Thùy Tiên Trà Trúc Tú Vui "
    "Xoan Ngà Diệu Hoài Mơ Nụ Phúc Thêu Hậu Thơm Hòa Lợi Ngát Trang Vi Hạ Hân Ngọc"
)
SEARCH_TEXT = "nguyen van duc"
SUBTREE_TARGET_SHARE = 0.0175  # about 17,500 people of a million: one province
TIMESTAMP = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
LAST_DAY = datetime.date(2025, 6, 30)


# --- the tree ----------------------------------------------------------------------------

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def path_step(index: int) -> str:
    """treebeard's step for the index-th child (1-based): base 36, zero-padded to 4."""
    digits = ""
    while index:
        index, rest = divmod(index, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


@dataclass
class Node:
    id: int
    path: str
    code: str
    name: str
    kind: str
    short_name: str = ""
    host_name: str = ""
    host_kind: str = ""
    numchild: int = 0
    valid_from: datetime.date | None = None
    people: int = 0  # current (non-archived) people attached directly
    children: list["Node"] = field(default_factory=list, repr=False)

    @property
    def depth(self) -> int:
        return len(self.path) // STEPLEN


def _split(rng: random.Random, budget: int, parts: int) -> list[int]:
    """`budget` split in `parts` uneven shares that add up exactly."""
    weights = [rng.uniform(0.5, 1.6) for _ in range(parts)]
    total = sum(weights)
    shares = [int(budget * w / total) for w in weights]
    for i in range(budget - sum(shares)):
        shares[i % parts] += 1
    return shares


def _fill(budget: int, draw: Callable[[], int], minimum: int) -> list[int]:
    """Sizes drawn until they add up to `budget`; a too-small last one joins the previous."""
    sizes: list[int] = []
    left = budget
    while left > 0:
        size = min(draw(), left)
        sizes.append(size)
        left -= size
    if len(sizes) > 1 and sizes[-1] < minimum:
        last = sizes.pop()
        sizes[-1] += last
    return sizes


class TreeBuilder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.nodes: list[Node] = []

    def add(self, parent: Node | None, code: str, name: str, kind: str, **extra: Any) -> Node:
        index = (parent.numchild if parent else 0) + 1
        path = (parent.path if parent else "") + path_step(index)
        day = datetime.date(2015, 1, 1) + datetime.timedelta(days=self.rng.randrange(3000))
        node = Node(len(self.nodes) + 1, path, code, name, kind, valid_from=day, **extra)
        if parent is not None:
            parent.numchild += 1
            parent.children.append(node)
        self.nodes.append(node)
        return node

    def build(self, total: int) -> list[Node]:
        rng = self.rng
        root = self.add(
            None,
            "VN",
            "Đảng bộ toàn quốc (dữ liệu thử nghiệm)",
            "provincial_committee",
            short_name="Toàn quốc",
        )
        rest = total - 1
        provinces = min(len(PROVINCES), max(1, rest // 20)) if rest else 0
        for p, budget in enumerate(_split(rng, rest - provinces, provinces) if provinces else []):
            name = PROVINCES[p % len(PROVINCES)]
            province = self.add(
                root,
                f"P{p + 1:02d}",
                f"Đảng bộ {'thành phố' if p < 5 else 'tỉnh'} {name}",
                "provincial_committee",
                short_name=f"{'Thành ủy' if p < 5 else 'Tỉnh ủy'} {name}",
            )
            self._province(province, name, budget)
        return self.nodes

    def _province(self, province: Node, name: str, budget: int) -> None:
        rng = self.rng
        for b, size in enumerate(_fill(budget, lambda: rng.randint(30, 140), 8)):
            code = f"{province.code}.{b + 1:02d}"
            if b == 0:
                title = f"Đảng bộ Khối các cơ quan tỉnh {name}"
            elif b == 1:
                title = f"Đảng bộ Khối Doanh nghiệp tỉnh {name}"
            else:
                kind = rng.choice(["xã", "xã", "phường", "thị trấn"])
                title = f"Đảng bộ {kind} {rng.choice(PLACES)}"
            bloc = self.add(province, code, title, "bloc_committee")
            self._bloc(bloc, size - 1)

    def _bloc(self, bloc: Node, budget: int) -> None:
        rng = self.rng

        def draw() -> int:
            return 1 if rng.random() < 0.45 else rng.randint(3, 10)

        for k, size in enumerate(_fill(budget, draw, 1)):
            template, host_kind = rng.choice(UNITS)
            unit = template.format(p=rng.choice(PLACES))
            code = f"{bloc.code}.{k + 1:03d}"
            if size == 1:
                self.add(bloc, code, f"Chi bộ {unit}", "base_cell", host_name=unit)
                continue
            base = self.add(
                bloc, code, f"Đảng bộ {unit}", "base_committee", host_name=unit, host_kind=host_kind
            )
            for m in range(size - 1):
                title = (
                    f"Chi bộ {m + 1}" if rng.random() < 0.6 else f"Chi bộ Ấp {rng.choice(PLACES)}"
                )
                self.add(base, f"{code}.{m + 1:02d}", title, "cell")


# --- people ------------------------------------------------------------------------------


def _weighted(table: dict[str, int]) -> tuple[list[str], list[int]]:
    return list(table), list(accumulate(table.values()))


class PeopleMaker:
    """People rows, streamed; what later tables need is kept in compact arrays."""

    def __init__(self, rng: random.Random, leaves: list[Node], count: int) -> None:
        from lantoa.core.text import name_sort_key, search_key

        self.rng = rng
        self.count = count
        self.name_sort_key = name_sort_key
        self.search_key = search_key
        self.keys: dict[tuple[str, str, str], tuple[bytes, str]] = {}
        self.leaves = leaves
        weights = accumulate(rng.randint(5, 45) for _ in leaves)
        self.org_index = array(
            "i", rng.choices(range(len(leaves)), cum_weights=list(weights), k=count)
        )
        self.start = array("i", bytes(4 * count))  # membership start, as a date ordinal
        self.archived = bytearray(count)
        self.search_hits = 0

    def _keys(self, family: str, middle: str, given: str) -> tuple[bytes, str]:
        parts = (family, middle, given)
        keys = self.keys.get(parts)
        if keys is None:
            full = " ".join(part for part in parts if part)
            keys = self.keys[parts] = (self.name_sort_key(*parts), self.search_key(full))
        return keys

    def rows(self) -> Iterator[dict[str, Any]]:
        rng = self.rng
        family_names, family_cum = _weighted(FAMILY)
        male_middle, male_cum = _weighted(MIDDLE_MALE)
        female_middle, female_cum = _weighted(MIDDLE_FEMALE)
        first_birth = datetime.date(1950, 1, 1).toordinal()
        last_day = LAST_DAY.toordinal()
        choices, randrange, random_ = rng.choices, rng.randrange, rng.random
        for i in range(self.count):
            male = random_() < 0.5
            family = choices(family_names, cum_weights=family_cum)[0]
            if male:
                middle = choices(male_middle, cum_weights=male_cum)[0]
                second = SECOND_MIDDLE_MALE[randrange(len(SECOND_MIDDLE_MALE))]
                given = GIVEN_MALE[randrange(len(GIVEN_MALE))]
            else:
                middle = choices(female_middle, cum_weights=female_cum)[0]
                second = SECOND_MIDDLE_FEMALE[randrange(len(SECOND_MIDDLE_FEMALE))]
                given = GIVEN_FEMALE[randrange(len(GIVEN_FEMALE))]
            if random_() < 0.3 and second not in middle:
                middle = f"{middle} {second}"
            sort_key, key = self._keys(family, middle, given)
            birth = first_birth + randrange(19_000)
            joined = min(birth + 18 * 365 + randrange(22 * 365), last_day - 30)
            official = joined + 365 if joined + 365 <= last_day else None
            archived = random_() < 0.03
            leaf = self.leaves[self.org_index[i]]
            if not archived:
                leaf.people += 1
                self.search_hits += SEARCH_TEXT in key  # what the search page will count
            self.start[i] = joined
            self.archived[i] = archived
            yield {
                "id": i + 1,
                "family_name": family,
                "middle_name": middle,
                "given_name": given,
                "gender": "male" if male else "female",
                "birth_date": datetime.date.fromordinal(birth).isoformat(),
                "party_joined_on": datetime.date.fromordinal(joined).isoformat(),
                "party_official_on": (
                    datetime.date.fromordinal(official).isoformat() if official else None
                ),
                "position": POSITIONS[randrange(4)] if random_() < 0.08 else "",
                "organization_id": leaf.id,
                "archived": archived,
                "sort_key": sort_key,
                "search_key": key,
            }

    def private_rows(self, rng: random.Random) -> Iterator[dict[str, Any]]:
        for i in range(self.count):
            yield {
                "person_id": i + 1,
                "citizen_id": f"{rng.randrange(10**12):012d}",
                "phone": f"09{rng.randrange(10**8):08d}",
                "email": "",
            }

    def membership_rows(self) -> Iterator[dict[str, Any]]:
        closed = datetime.date(2025, 1, 1).toordinal()
        for i in range(self.count):
            start = self.start[i]
            end = max(start, closed) if self.archived[i] else None
            yield {
                "id": i + 1,
                "person_id": i + 1,
                "organization_id": self.leaves[self.org_index[i]].id,
                "start_date": datetime.date.fromordinal(start).isoformat(),
                "end_date": datetime.date.fromordinal(end).isoformat() if end else None,
                "note": "",
            }


def organization_rows(nodes: list[Node]) -> Iterator[dict[str, Any]]:
    from lantoa.core.text import search_key

    for node in nodes:
        yield {
            "id": node.id,
            "path": node.path,
            "depth": node.depth,
            "numchild": node.numchild,
            "code": node.code,
            "name": node.name,
            "short_name": node.short_name,
            "kind": node.kind,
            "host_name": node.host_name,
            "host_kind": node.host_kind,
            "valid_from": node.valid_from.isoformat() if node.valid_from else None,
            "archived": False,
            "search_key": search_key(f"{node.name} {node.short_name} {node.code}"),
        }


def subtree_people(nodes: list[Node]) -> dict[int, int]:
    """Current people in each node's subtree (nodes are in path order, children after)."""
    totals: dict[int, int] = {}
    for node in reversed(nodes):
        totals[node.id] = node.people + sum(totals[child.id] for child in node.children)
    return totals


# --- loading -----------------------------------------------------------------------------


class Table:
    """A model's table: column order and the default of every column we do not set."""

    def __init__(self, model: Any, connection: Any) -> None:
        self.name = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if f.attname in {"created_at", "updated_at"}:
                value = TIMESTAMP if connection.vendor == "postgresql" else "2025-01-01 00:00:00"
            elif f.has_default():
                value = f.get_db_prep_save(f.get_default(), connection)
            else:
                value = None
            self.defaults[f.attname] = value

    def tuples(self, rows: Iterable[dict[str, Any]]) -> Iterator[tuple]:
        names = [f.attname for f in self.fields]
        defaults = self.defaults
        for row in rows:
            yield tuple(row[n] if n in row else defaults[n] for n in names)


def _progress(label: str, rows: Iterable[tuple], every: int = 200_000) -> Iterator[tuple]:
    start = time.perf_counter()
    n = 0
    for n, row in enumerate(rows, 1):
        if n % every == 0:
            print(f"    {label}: {n:,} rows ({time.perf_counter() - start:.0f} s)", flush=True)
        yield row
    print(f"    {label}: {n:,} rows in {time.perf_counter() - start:.1f} s", flush=True)


class SqliteLoader:
    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.saved: list[tuple[str, str]] = []

    def __enter__(self) -> "SqliteLoader":
        for pragma in (
            "foreign_keys=OFF",
            "journal_mode=OFF",
            "synchronous=OFF",
            "cache_size=-400000",
            "temp_store=MEMORY",
        ):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.execute("BEGIN")
        return self

    def drop_extras(self, tables: list[str]) -> None:
        """Secondary indexes and triggers go during the load; they come back after it."""
        marks = ",".join("?" * len(tables))
        self.saved = self.db.execute(
            f"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            f"AND tbl_name IN ({marks}) AND sql IS NOT NULL",
            tables,
        ).fetchall()
        for kind, name, _sql in self.saved:
            self.db.execute(f'DROP {kind.upper()} "{name}"')

    def load(self, table: Table, rows: Iterable[tuple]) -> None:
        columns = ", ".join(f'"{c}"' for c in table.columns)
        marks = ", ".join("?" * len(table.columns))
        self.db.executemany(f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', rows)

    def restore_extras(self, tables: list[Table]) -> None:
        names = [t.name for t in tables]
        for kind, name, sql in self.saved:
            start = time.perf_counter()
            self.db.execute(sql)
            print(f"    {kind} {name}: {time.perf_counter() - start:.1f} s", flush=True)
        # FTS5 tables with external content over a loaded table: index what was loaded.
        for name, sql in self.db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE "
            "'CREATE VIRTUAL TABLE%USING fts5%'"
        ).fetchall():
            if any(f"content='{t}'" in sql or f'content="{t}"' in sql for t in names):
                start = time.perf_counter()
                self.db.execute(f'INSERT INTO "{name}"("{name}") VALUES (\'rebuild\')')
                print(f"    fts5 {name} rebuilt: {time.perf_counter() - start:.1f} s", flush=True)

    def execute(self, sql: str, params: tuple = ()) -> None:
        self.db.execute(sql.replace("%s", "?"), params)

    def finish(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.close()

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            self.db.execute("ROLLBACK")
            self.db.close()


class PostgresLoader:
    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.saved: list[tuple[str, str, str]] = []

    def __enter__(self) -> "PostgresLoader":
        from django.db import transaction

        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.cursor = self.connection.cursor()
        self.cursor.execute("SET LOCAL synchronous_commit = off")
        self.cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        return self

    def drop_extras(self, tables: list[str]) -> None:
        """Foreign keys and non-constraint indexes go during the load; they come back after."""
        cur = self.cursor
        cur.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        foreign_keys = [("fk", *row) for row in cur.fetchall()]
        cur.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = ANY(%s) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [tables],
        )
        indexes = [("index", *row) for row in cur.fetchall()]
        for _kind, table, name, _sql in foreign_keys:
            cur.execute(f'ALTER TABLE "{table.strip(chr(34))}" DROP CONSTRAINT "{name}"')
        for _kind, _table, name, _sql in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        for table in tables:  # application triggers: derived data is refreshed after the load
            cur.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        self.saved = indexes + foreign_keys

    def load(self, table: Table, rows: Iterable[tuple]) -> None:
        columns = ", ".join(f'"{c}"' for c in table.columns)
        with self.cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)

    def restore_extras(self, tables: list[Table]) -> None:
        cur = self.cursor
        for kind, table, name, sql in self.saved:
            start = time.perf_counter()
            if kind == "fk":
                cur.execute(f'ALTER TABLE "{table.strip(chr(34))}" ADD CONSTRAINT "{name}" {sql}')
            else:
                cur.execute(sql)
            print(f"    {kind} {name}: {time.perf_counter() - start:.1f} s", flush=True)
        for table in tables:
            cur.execute(f'ALTER TABLE "{table.name}" ENABLE TRIGGER USER')
            if "id" in table.columns:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                    f'(SELECT COALESCE(MAX(id), 1) FROM "{table.name}"))'
                )

    def execute(self, sql: str, params: tuple = ()) -> None:
        self.cursor.execute(sql, params)

    def finish(self) -> None:
        self.atomic.__exit__(None, None, None)

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            self.atomic.__exit__(*exc)


def generate(seed: int, orgs: int, people: int) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection

    from lantoa.orgs.models import Membership, Organization, Person, PersonPrivate

    started = time.perf_counter()
    rng = random.Random(seed)
    nodes = TreeBuilder(random.Random(rng.getrandbits(64))).build(orgs)
    leaves = [node for node in nodes if not node.numchild]
    print(f"    tree: {len(nodes):,} organizations, {len(leaves):,} leaves", flush=True)
    maker = PeopleMaker(random.Random(rng.getrandbits(64)), leaves, people)
    private_rng = random.Random(rng.getrandbits(64))

    models = [Organization, Person, PersonPrivate, Membership]
    tables = [Table(model, connection) for model in models]
    names = [t.name for t in tables]
    if connection.vendor == "sqlite":
        connection.close()
        loader: Any = SqliteLoader(str(settings.DATABASES["default"]["NAME"]))
    else:
        loader = PostgresLoader(connection)
    with loader:
        loader.drop_extras(names)
        org_table, person_table, private_table, membership_table = tables
        loader.load(
            org_table, _progress("organizations", org_table.tuples(organization_rows(nodes)))
        )
        loader.load(person_table, _progress("people", person_table.tuples(maker.rows())))
        loader.load(
            private_table,
            _progress("private data", private_table.tuples(maker.private_rows(private_rng))),
        )
        loader.load(
            membership_table,
            _progress("memberships", membership_table.tuples(maker.membership_rows())),
        )
        loader.restore_extras(tables)
        loader.finish()
    after_load()
    if connection.vendor == "postgresql":  # as autovacuum would, before anyone reads
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"    VACUUM ANALYZE: {time.perf_counter() - start:.1f} s", flush=True)

    totals = subtree_people(nodes)
    target = people * SUBTREE_TARGET_SHARE
    provinces = [node for node in nodes if node.depth == 2] or nodes[:1]
    subtree = min(provinces, key=lambda node: abs(totals[node.id] - target))
    info = {
        "key": dataset_key(seed, orgs, people),
        "organizations": len(nodes),
        "leaves": len(leaves),
        "people": people,
        "root_id": nodes[0].id,
        "subtree_org_id": subtree.id,
        "subtree_name": subtree.name,
        "subtree_people": totals[subtree.id],
        "search_text": SEARCH_TEXT,
        "search_hits": maker.search_hits,
        "seconds": round(time.perf_counter() - started, 1),
    }
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER_TABLE} (key varchar(100) PRIMARY KEY, value text)")
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (key, value) VALUES (%s, %s)",
            ["dataset", json.dumps(info)],
        )
    return info


def after_load() -> None:
    """Bring derived data (kept by triggers, which were off during the load) up to date."""
    from lantoa.orgs.queries import refresh_derived_data

    start = time.perf_counter()
    refresh_derived_data()
    print(f"    derived data refreshed: {time.perf_counter() - start:.1f} s", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--orgs", type=int, required=True)
    parser.add_argument("--people", type=int, required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
    django.setup()
    info = generate(args.seed, args.orgs, args.people)
    print(f"    generated in {info['seconds']} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
