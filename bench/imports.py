"""Time people imports: 1,000,000 rows from CSV and XLSX into SQLite and PostgreSQL, and
20,000 rows by Lan Tỏa beside django-import-export (default and bulk mode).

Run by `python -m bench --only imports` (or `make bench`), in subprocesses:

- `python -m bench.imports generate --rows N`: the files, once, under var/bench/imports/
  (git-ignored): people.csv and people.xlsx (N rows) and people-20000.csv/.xlsx;
- `python -m bench.imports setup` (DATABASE_URL set): the freshly migrated database gets a
  root, 1,000 cells (codes C0001…) and the user `bench` (superuser);
- `python -m bench.imports run --tool lantoa|dje|dje-bulk --file F`: empty the people,
  then import F once, timed; prints one JSON line with the seconds, rows/s, the outcome
  and this process's peak resident memory (`ru_maxrss`): each measure runs in a fresh
  process, so the peak is that import's own (parse, validation and writing included).
"""

import argparse
import csv
import datetime
import json
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

from bench import BASE_DIR, MARKER_TABLE

DATA_DIR = BASE_DIR / "var" / "bench" / "imports"
SQLITE_PATH = BASE_DIR / "var" / "bench" / "imports.sqlite3"
POSTGRES_DB = "lantoa_bench_import"
ORGS = 1000
FULL_ROWS = 1_000_000
SMALL_ROWS = 20_000
GENERATOR = "people-v2"
HEADERS = [
    "Personal code",
    "Family name",
    "Middle name",
    "Given name",
    "Gender",
    "Date of birth",
    "Date of joining the party",
    "Date of full membership",
    "Position",
    "Organization code",
    "Membership start date",
    "Citizen ID",
    "Phone",
    "Email",
]
# Targets of the issue (PostgreSQL): rows/s and peak MB.
TARGETS = {"xlsx": (30_000, 1024), "csv": (100_000, 300)}
RATIO_DEFAULT = 20.0
RATIO_BULK = 5.0

FAMILY = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Huỳnh", 5),
    ("Hoàng", 5),
    ("Võ", 4),
    ("Phan", 4),
    ("Trương", 2),
    ("Bùi", 2),
    ("Đặng", 2),
    ("Đỗ", 2),
    ("Ngô", 1.5),
    ("Hồ", 1.5),
    ("Dương", 1),
    ("Đinh", 1),
    ("Lý", 0.5),
    ("Tạ", 0.5),
    ("Lâm", 0.5),
]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Văn Minh", "Hoàng", "Tấn"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thị Thu", "Kim", "Thanh", "Mỹ", "Thị Ngọc", "Hồng", "Bích"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Hải",
    "Hùng",
    "Khang",
    "Long",
    "Minh",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tài",
    "Thắng",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Lộc",
]
GIVEN_F = [
    "Anh",
    "Châu",
    "Diễm",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "Nga",
    "Nhung",
    "Oanh",
    "Phương",
    "Thảo",
    "Trang",
    "Yến",
    "Vy",
]
POSITIONS = ["Bí thư chi bộ", "Phó Bí thư", "Chi ủy viên", "Giáo viên", "Kỹ sư", "Cán bộ"]


def org_code(i: int) -> str:
    return f"C{i:04d}"


def _rows(count: int, seed: int = 20250901):
    rng = random.Random(seed)
    families = [name for name, _w in FAMILY]
    weights = [w for _n, w in FAMILY]
    start = datetime.date(1950, 1, 1).toordinal()  # born 1950–1999
    for i in range(1, count + 1):
        male = rng.random() < 0.55
        birth = datetime.date.fromordinal(start + rng.randrange(49 * 365))
        joined = birth.replace(year=birth.year + 18 + rng.randrange(15), day=min(birth.day, 28))
        joined = min(joined, datetime.date(2024, 6, 30) - datetime.timedelta(rng.randrange(400)))
        official = joined + datetime.timedelta(days=365 + rng.randrange(40))
        private = rng.random() < 0.3
        yield [
            f"P{i:07d}",
            rng.choices(families, weights)[0],
            rng.choice(MIDDLE_M if male else MIDDLE_F),
            rng.choice(GIVEN_M if male else GIVEN_F),
            "Nam" if male else "Nữ",
            birth.strftime("%d/%m/%Y"),
            joined.strftime("%d/%m/%Y"),
            official.strftime("%d/%m/%Y"),
            rng.choice(POSITIONS) if rng.random() < 0.1 else "",
            org_code(1 + rng.randrange(ORGS)),
            "",
            f"096{rng.randrange(10**9):09d}" if private else "",
            f"09{rng.randrange(10**8):08d}" if private else "",
            f"dv{i}@example.com" if private else "",
        ]


def files(rows: int) -> dict[str, Path]:
    return {
        "csv": DATA_DIR / f"people-{rows}.csv",
        "xlsx": DATA_DIR / f"people-{rows}.xlsx",
    }


def generate(rows: int) -> None:
    """The CSV and XLSX of `rows` people, and of the first 20,000, if not there yet."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    for count in sorted({rows, min(rows, SMALL_ROWS)}):
        paths = files(count)
        marker = DATA_DIR / f"people-{count}.{GENERATOR}"
        if marker.exists() and all(p.exists() for p in paths.values()):
            continue
        start = time.perf_counter()
        with paths["csv"].open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(HEADERS)
            writer.writerows(_rows(count))
        write_xlsx(paths["xlsx"], _rows(count), count)
        marker.touch()
        print(f"    files of {count:,} rows written in {time.perf_counter() - start:.0f} s")


_XLSX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'  # noqa: E501
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'  # noqa: E501
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'  # noqa: E501
    "</Types>",
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'  # noqa: E501
    "</Relationships>",
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Dữ liệu" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'  # noqa: E501
    "</Relationships>",
}


def write_xlsx(path: Path, rows: Any, count: int) -> None:
    """A one-sheet XLSX of text cells (inline strings), streamed: openpyxl's write-only mode
    takes about 25 minutes for a million rows here; this takes well under one. The same
    file as Excel saves for text cells; openpyxl and calamine read it."""
    import zipfile
    from xml.sax.saxutils import escape

    last = chr(ord("A") + len(HEADERS) - 1)

    def row_xml(number: int, cells: list[str]) -> str:
        parts = [f'<row r="{number}">']
        for cell in cells:
            if cell:
                parts.append(f'<c t="inlineStr"><is><t>{escape(cell)}</t></is></c>')
            else:
                parts.append("<c/>")
        parts.append("</row>")
        return "".join(parts)

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, text in _XLSX_PARTS.items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f'<dimension ref="A1:{last}{count + 1}"/><sheetData>'
            )
            chunk = [head, row_xml(1, HEADERS)]
            for number, cells in enumerate(rows, start=2):
                chunk.append(row_xml(number, cells))
                if len(chunk) >= 5000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            chunk.append("</sheetData></worksheet>")
            sheet.write("".join(chunk).encode())


def setup() -> None:
    """Organizations and the benchmark's user in a freshly migrated database."""
    from django.contrib.auth import get_user_model

    from lantoa.orgs.models import Organization

    User = get_user_model()
    user, _created = User.objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    if not Organization.objects.filter(code="BENCH").exists():
        _organizations(user)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key varchar(100) PRIMARY KEY, value text)"
        )
        cursor.execute(f"DELETE FROM {MARKER_TABLE} WHERE key = %s", ["dataset"])
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (key, value) VALUES (%s, %s)",
            ["dataset", json.dumps({"key": GENERATOR})],
        )


def _organizations(user: Any) -> None:
    from lantoa.orgs import services
    from lantoa.orgs.models import OrganizationKind

    root = services.create_organization(
        by=user,
        parent=None,
        code="BENCH",
        name="Đảng bộ tỉnh (benchmark)",
        kind=OrganizationKind.PROVINCIAL_COMMITTEE,
    )
    for i in range(1, ORGS + 1):
        root.add_child(
            code=org_code(i), name=f"Chi bộ {i}", kind=OrganizationKind.BASE_CELL, archived=False
        )
        root.refresh_from_db()


def empty() -> None:
    """No people (and none of their records) before a measured import."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "TRUNCATE orgs_membership, orgs_personprivate, orgs_person, core_auditentry,"
                " imports_importrowerror, imports_importjob, orgs_search_name CASCADE"
            )  # CASCADE: the (empty) tables of other apps that refer to people
        else:
            for table in (
                "orgs_membership",
                "orgs_personprivate",
                "orgs_person",
                "core_auditentry",
                "imports_importrowerror",
                "imports_importjob",
            ):
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute("DELETE FROM orgs_search_name")
        cursor.execute("UPDATE orgs_organization SET direct_member_count = 0")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE orgs_person")


def _lantoa(path: Path) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from lantoa.imports.services import import_path
    from lantoa.orgs.models import Organization

    user = get_user_model().objects.get(username="bench")
    root = Organization.objects.get(code="BENCH")
    start = time.perf_counter()
    job = import_path(path, kind="people", by=user, organization=root, max_bytes=2**31)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "status": job.status,
        "error": job.error,
        "created": job.created,
        "rejected": job.rejected,
        "first_errors": list(job.row_errors.values_list("line", "column", "message")[:3]),
    }


def person_resource() -> Any:
    from import_export import fields, resources, widgets

    from lantoa.orgs.models import Organization, Person

    class PersonResource(resources.ModelResource):
        code = fields.Field(attribute="code", column_name="Personal code")
        family_name = fields.Field(attribute="family_name", column_name="Family name")
        middle_name = fields.Field(attribute="middle_name", column_name="Middle name")
        given_name = fields.Field(attribute="given_name", column_name="Given name")
        gender = fields.Field(attribute="gender", column_name="Gender")
        birth_date = fields.Field(
            attribute="birth_date",
            column_name="Date of birth",
            widget=widgets.DateWidget("%d/%m/%Y"),
        )
        party_joined_on = fields.Field(
            attribute="party_joined_on",
            column_name="Date of joining the party",
            widget=widgets.DateWidget("%d/%m/%Y"),
        )
        party_official_on = fields.Field(
            attribute="party_official_on",
            column_name="Date of full membership",
            widget=widgets.DateWidget("%d/%m/%Y"),
        )
        position = fields.Field(attribute="position", column_name="Position")
        organization = fields.Field(
            attribute="organization",
            column_name="Organization code",
            widget=widgets.ForeignKeyWidget(Organization, field="code"),
        )

        class Meta:
            model = Person
            import_id_fields = ["code"]
            fields = (
                "code",
                "family_name",
                "middle_name",
                "given_name",
                "gender",
                "birth_date",
                "party_joined_on",
                "party_official_on",
                "position",
                "organization",
            )

        def before_import_row(self, row: Any, **kwargs: Any) -> None:
            row["Gender"] = {"Nam": "male", "Nữ": "female"}.get(row["Gender"], "")

    return PersonResource


def _dje(path: Path, *, bulk: bool) -> dict[str, Any]:
    import tablib

    resource_class = person_resource()
    start = time.perf_counter()
    dataset = tablib.Dataset().load(path.read_text(encoding="utf-8"), format="csv")
    resource = resource_class(use_bulk=bulk, batch_size=1000) if bulk else resource_class()
    result = resource.import_data(dataset, dry_run=False, raise_errors=False, use_transactions=True)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "status": "failed" if result.has_errors() or result.has_validation_errors() else "done",
        "created": result.totals.get("new", 0),
        "rejected": result.totals.get("error", 0) + result.totals.get("invalid", 0),
    }


def run(tool: str, path: Path) -> dict[str, Any]:
    from django.db import connection

    # DEBUG is on in the bench's processes; its cursor keeps every query and, on SQLite,
    # quotes each parameter again with an extra query (bench/generate.py does the same).
    connection.make_debug_cursor = connection.make_cursor
    empty()
    outcome = _lantoa(path) if tool == "lantoa" else _dje(path, bulk=tool == "dje-bulk")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    outcome["peak_mb"] = peak
    return outcome


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("--rows", type=int, default=FULL_ROWS)
    sub.add_parser("setup")
    measure = sub.add_parser("run")
    measure.add_argument("--tool", choices=["lantoa", "dje", "dje-bulk"], required=True)
    measure.add_argument("--file", required=True)
    args = parser.parse_args(argv)
    if args.command == "generate":
        generate(args.rows)
        return
    import django

    django.setup()
    if args.command == "setup":
        setup()
        return
    outcome = run(args.tool, Path(args.file))
    print("RESULT " + json.dumps(outcome), flush=True)


# --- the driver, called by bench/__main__.py --------------------------------------------------


def _measure(tool: str, path: Path, url: str, env_of: Any) -> dict[str, Any]:
    arguments = ["bench.imports", "run", f"--tool={tool}", f"--file={path}"]
    return _result(arguments, url, env_of, f"{tool} on {path.name}")


def _result(arguments: list[str], url: str, env_of: Any, what: str) -> dict[str, Any]:
    """Run `python -m <arguments>` against the database at `url`; its RESULT line."""
    import subprocess

    process = subprocess.run(  # noqa: S603
        [sys.executable, "-m", *arguments],
        cwd=BASE_DIR,
        env=env_of(url),
        capture_output=True,
        text=True,
        check=False,
    )
    for line in process.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"{what} failed:\n{process.stderr[-3000:]}")


def bench_imports(targets: list[Any], args: argparse.Namespace, env_of: Any, run_: Any) -> dict:
    """Generate the files, prepare each target's import database, time every case."""
    import statistics

    rows = args.import_rows
    print(f"\n== imports: files of {rows:,} and {min(rows, SMALL_ROWS):,} rows", flush=True)
    import subprocess

    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.imports", "generate", f"--rows={rows}"],
        cwd=BASE_DIR,
        check=True,
    )
    big, small = files(rows), files(min(rows, SMALL_ROWS))
    results: dict[str, Any] = {}
    for target in targets:
        print(f"\n== imports into {target.name} ({target.url})", flush=True)
        try:
            target.prepare()
        except Exception as error:  # an unreachable server: skipped
            print(f"  {target.name} unreachable ({error}): skipped", flush=True)
            continue
        if args.regenerate or target.marker() != GENERATOR:
            target.reset()
            run_(["manage.py", "migrate", "--noinput", "-v", "0"], target.url)
            run_(["-m", "bench.imports", "setup"], target.url)
        else:
            run_(["manage.py", "migrate", "--noinput", "-v", "0"], target.url)
        cases: dict[str, Any] = {}
        for kind in ("csv", "xlsx"):
            outcome = _measure("lantoa", big[kind], target.url, env_of)
            outcome.update(rows=rows, runs=1, label=f"Lan Tỏa {kind.upper()} {rows:,} rows")
            outcome["rows_per_s"] = rows / outcome["seconds"]
            cases[f"lantoa-{kind}-{rows}"] = outcome
            print(
                f"  {outcome['label']}: {outcome['seconds']:.1f} s, "
                f"{outcome['rows_per_s']:,.0f} rows/s, {outcome['peak_mb']:.0f} MB, "
                f"{outcome['status']} {outcome.get('error') or ''}"
                f"{outcome.get('first_errors') or ''}",
                flush=True,
            )
        count = min(rows, SMALL_ROWS)
        for tool, label, reps in (
            ("lantoa", "Lan Tỏa", args.import_reps),
            ("dje-bulk", "django-import-export bulk", args.dje_reps),
            ("dje", "django-import-export default", args.dje_reps),
        ):
            if reps < 1:
                continue
            runs = [_measure(tool, small["csv"], target.url, env_of) for _ in range(reps)]
            seconds = statistics.median(r["seconds"] for r in runs)
            case = {
                "label": f"{label} CSV {count:,} rows",
                "rows": count,
                "runs": reps,
                "seconds": seconds,
                "rows_per_s": count / seconds,
                "peak_mb": statistics.median(r["peak_mb"] for r in runs),
                "status": runs[-1]["status"],
                "created": runs[-1]["created"],
            }
            cases[f"{tool}-csv-{count}"] = case
            print(
                f"  {case['label']}: median {seconds:.2f} s of {reps}, "
                f"{case['rows_per_s']:,.0f} rows/s, {case['status']}",
                flush=True,
            )
        if target.name == "postgres":
            cases["floor"] = _floor(rows, target.url, env_of)
        results[target.name] = cases
    return results


def _floor(rows: int, url: str, env_of: Any) -> dict[str, Any]:
    """bench/floor.py: writing the people rows alone, as this server allows at best."""
    outcome = _result(["bench.floor", f"--rows={rows}"], url, env_of, "bench.floor")
    for name, seconds in outcome.items():
        print(
            f"  floor, {rows:,} people rows alone ({name}): {seconds:.1f} s, "
            f"{rows / seconds:,.0f} rows/s",
            flush=True,
        )
    return {"rows": rows, **outcome}


def import_lines(results: dict[str, Any], args: argparse.Namespace) -> list[str]:
    if not results:
        return []
    rows = args.import_rows
    count = min(rows, SMALL_ROWS)
    lines = [
        "",
        f"People imports through import_path (parse, validation, writing, audit): {rows:,} rows "
        "one run each; 20,000 rows median of the runs shown",
        "",
        f"{'database':<11}{'measure':<46}{'runs':>5}{'seconds':>9}{'rows/s':>10}{'peak MB':>9}"
        f"  target",
    ]
    for db, cases in results.items():
        lantoa_small = cases.get(f"lantoa-csv-{count}")
        for name, case in cases.items():
            if name == "floor":
                continue
            verdict = ""
            kind = "csv" if "-csv-" in name else "xlsx"
            if db == "postgres" and name.startswith("lantoa-") and case["rows"] == rows:
                speed, memory = TARGETS[kind]
                ok = case["rows_per_s"] >= speed and case["peak_mb"] <= memory
                verdict = (
                    f"≥{speed:,} rows/s, ≤{memory} MB: {'PASS' if ok else 'MISS'}"
                    if case["status"] == "done"
                    else f"FAILED ({case['status']})"
                )
            elif name.startswith("dje") and lantoa_small:
                ratio = lantoa_small["rows_per_s"] / case["rows_per_s"]
                goal = RATIO_BULK if name.startswith("dje-bulk") else RATIO_DEFAULT
                verdict = f"Lan Tỏa ÷ it = {ratio:.1f}× (≥{goal:.0f}×: "
                verdict += ("PASS" if ratio >= goal else "MISS") + ")"
            elif case["status"] != "done":
                verdict = f"FAILED ({case['status']})"
            lines.append(
                f"{db:<11}{case['label']:<46}{case['runs']:>5}{case['seconds']:>9.2f}"
                f"{case['rows_per_s']:>10,.0f}{case['peak_mb']:>9.0f}  {verdict}"
            )
    floor = results.get("postgres", {}).get("floor")
    if floor:
        speed = TARGETS["csv"][0]
        lines += [
            "",
            f"Floor on this PostgreSQL server (bench/floor.py): {floor['rows']:,} people rows "
            "written alone by INSERT … SELECT, no file, checks, membership or audit:",
        ]
        for name, label in (
            ("live", "into orgs_person with its indexes and key checks"),
            ("rebuilt", "into an unindexed copy, then its indexes built and key added"),
        ):
            rate = floor["rows"] / floor[name]
            lines.append(
                f"  {label}: {floor[name]:.1f} s, {rate:,.0f} rows/s "
                f"({rate / speed:.2f}× the CSV target of {speed:,} rows/s)"
            )
    lines += [
        "",
        "peak MB: the measuring process's peak resident memory (ru_maxrss), one process per run.",
        "django-import-export writes the people only (no membership, private data, name keys",
        "in bulk mode, nor audit entries); Lan Tỏa writes all of them.",
    ]
    return lines


if __name__ == "__main__":
    main()
