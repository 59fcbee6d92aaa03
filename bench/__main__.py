"""`make bench`: generate (once) and time Lan Tỏa at national scale on SQLite and PostgreSQL.

For each database: make sure it exists, read which dataset it holds, regenerate it if it
is missing, different or `--regenerate` is given, apply the migrations, then time the
pages. Then, on a second database of the same kind holding the Cà Mau demo (loaded once),
time the term report of the whole demo (`bench.report`). Prints the tables at the end and
writes them to bench/out/results.json.
"""

import argparse
import datetime
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench import (
    BASE_DIR,
    DEFAULT_ORGS,
    DEFAULT_PEOPLE,
    DEFAULT_SEED,
    DEMO_SQLITE_PATH,
    DEMO_SUFFIX,
    IMPORT_ROWS,
    MARKER_TABLE,
    OUT_DIR,
    POSTGRES_URL,
    REPORT_TARGET_MS,
    SQLITE_PATH,
    SQLITE_URL,
    TARGET_MS,
    dataset_key,
    demo_key,
)
from bench.imports import POSTGRES_DB as IMPORT_POSTGRES_DB
from bench.imports import SQLITE_PATH as IMPORT_SQLITE_PATH
from bench.imports import bench_imports, import_lines


class Unreachable(Exception):
    pass


class SqliteTarget:
    name = "sqlite"

    def __init__(self, path: Path = SQLITE_PATH) -> None:
        self.path = path
        self.url = SQLITE_URL if path == SQLITE_PATH else f"sqlite:///{path}"

    def demo(self) -> "SqliteTarget":
        return SqliteTarget(DEMO_SQLITE_PATH)

    def prepare(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def marker(self) -> str | None:
        if not self.path.exists():
            return None
        with sqlite3.connect(self.path) as db:
            try:
                row = db.execute(
                    f"SELECT value FROM {MARKER_TABLE} WHERE key = 'dataset'"
                ).fetchone()
            except sqlite3.OperationalError:
                return None
        return json.loads(row[0])["key"] if row else None

    def reset(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)


class PostgresTarget:
    name = "postgres"

    def __init__(self, url: str) -> None:
        import dj_database_url

        self.url = url
        settings = dj_database_url.parse(url)
        self.dbname = settings["NAME"]
        self.params = {
            "user": settings.get("USER") or None,
            "password": settings.get("PASSWORD") or None,
            "host": settings.get("HOST") or None,
            "port": settings.get("PORT") or None,
            "connect_timeout": 3,
        }

    def demo(self) -> "PostgresTarget":
        parts = urlsplit(self.url)
        return PostgresTarget(urlunsplit(parts._replace(path=f"/{self.dbname}{DEMO_SUFFIX}")))

    def _connect(self, dbname: str) -> Any:
        import psycopg

        params = {k: v for k, v in self.params.items() if v is not None}
        try:
            return psycopg.connect(dbname=dbname, autocommit=True, **params)
        except psycopg.OperationalError as error:
            raise Unreachable(str(error).strip().splitlines()[0]) from error

    def prepare(self) -> None:
        with self._connect("postgres") as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.dbname]
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{self.dbname}"')
                print(f"  created database {self.dbname}", flush=True)

    def marker(self) -> str | None:
        import psycopg

        with self._connect(self.dbname) as conn:
            try:
                row = conn.execute(
                    f"SELECT value FROM {MARKER_TABLE} WHERE key = 'dataset'"
                ).fetchone()
            except psycopg.errors.UndefinedTable:
                return None
        return json.loads(row[0])["key"] if row else None

    def reset(self) -> None:
        with self._connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.dbname}"')


def _env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="lantoa.settings",
        DEBUG="true",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        LOG_LEVEL="ERROR",
    )
    env.pop("LANTOA_TESTING", None)
    return env


def _run(args: list[str], url: str) -> None:
    subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=_env(url), check=True)  # noqa: S603


def bench_one(target: Any, args: argparse.Namespace) -> dict[str, Any] | None:
    print(f"\n== {target.name} ({target.url})", flush=True)
    try:
        target.prepare()
        wanted = dataset_key(args.seed, args.orgs, args.people)
        held = target.marker()
    except Unreachable as error:
        print(f"  {target.name} unreachable ({error}): skipped", flush=True)
        return None
    if args.regenerate or held != wanted:
        reason = "--regenerate" if args.regenerate else f"holds {held or 'nothing'}"
        print(f"  generating {wanted} ({reason})", flush=True)
        target.reset()
        start = time.perf_counter()
        _run(["manage.py", "migrate", "--noinput", "-v", "0"], target.url)
        print(f"  migrated in {time.perf_counter() - start:.1f} s", flush=True)
        _run(
            [
                "-m",
                "bench.generate",
                f"--seed={args.seed}",
                f"--orgs={args.orgs}",
                f"--people={args.people}",
            ],
            target.url,
        )
    else:
        print(f"  reusing {held}", flush=True)
        start = time.perf_counter()
        _run(["manage.py", "migrate", "--noinput", "-v", "0"], target.url)
        print(f"  migrations checked in {time.perf_counter() - start:.1f} s", flush=True)
    out = OUT_DIR / f"results-{target.name}.json"
    measure = ["-m", "bench.measure", f"--out={out}", f"--reps={args.reps}"]
    measure += [f"--warmup={args.warmup}"] + (["--sql"] if args.sql else [])
    print(f"  timing: {args.warmup} warm-up and {args.reps} runs per page", flush=True)
    _run(measure, target.url)
    return json.loads(out.read_text(encoding="utf-8"))


def bench_report(
    target: Any, args: argparse.Namespace, baseline_ms: float | None
) -> dict[str, Any] | None:
    """The term report of the Cà Mau demo, on the demo database beside the target."""
    demo = target.demo()
    print(f"\n== {target.name}: term report of the demo ({demo.url})", flush=True)
    try:
        demo.prepare()
        wanted = demo_key()
        held = demo.marker()
    except Unreachable as error:
        print(f"  {target.name} unreachable ({error}): skipped", flush=True)
        return None
    start = time.perf_counter()
    if args.regenerate or held != wanted:
        reason = "--regenerate" if args.regenerate else f"holds {held or 'nothing'}"
        print(f"  loading the demo {wanted} ({reason})", flush=True)
        demo.reset()
        _run(["manage.py", "migrate", "--noinput", "-v", "0"], demo.url)
        _run(["-m", "bench.report", f"--load={wanted}"], demo.url)
    else:
        print(f"  reusing {held}", flush=True)
        _run(["manage.py", "migrate", "--noinput", "-v", "0"], demo.url)
    print(f"  ready in {time.perf_counter() - start:.1f} s", flush=True)
    out = OUT_DIR / f"report-{target.name}.json"
    measure = ["-m", "bench.report", f"--out={out}", f"--reps={args.report_reps}"]
    if baseline_ms:
        measure.append(f"--baseline-ms={baseline_ms}")
    print(f"  timing: 1 warm-up and {args.report_reps} runs", flush=True)
    _run(measure, demo.url)
    return json.loads(out.read_text(encoding="utf-8"))


def report(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> list[str]:
    lines = [
        f"Lan Tỏa bench: {args.orgs:,} organizations, {args.people:,} people, seed {args.seed}; "
        f"median of {args.reps} runs after {args.warmup} warm-up; target < {TARGET_MS:.0f} ms",
        "",
        f"{'database':<11}{'page':<40}{'median ms':>10}{'p90 ms':>9}{'× baseline':>12}"
        f"{'queries':>9}  target",
    ]
    slow = []
    for db, result in results.items():
        for name, case in result["cases"].items():
            verdict = ""
            if name != "baseline":
                verdict = "ok" if case["median_ms"] < TARGET_MS else "OVER"
                if verdict == "OVER":
                    slow.append(f"{db} {case['label']}")
            lines.append(
                f"{db:<11}{case['label']:<40}{case['median_ms']:>10.1f}{case['p90_ms']:>9.1f}"
                f"{case['ratio']:>12.1f}{case['queries']:>9}  {verdict}"
            )
    lines.append("")
    if slow:
        lines.append(f"Over {TARGET_MS:.0f} ms: " + "; ".join(slow))
    elif results:
        lines.append(f"Every page is under {TARGET_MS:.0f} ms (median).")
    return lines


def report_lines(reports: dict[str, dict[str, Any]], args: argparse.Namespace) -> list[str]:
    """The table of the term report's measures (× the pages' baseline of the same run)."""
    if not reports:
        return []
    first = next(iter(reports.values()))["report"]
    lines = [
        "",
        f"Term report of the Cà Mau demo: {first['organization']}, {first['term']} "
        f"({first['period']}); median of {args.report_reps} runs after a warm-up; "
        f"target < {REPORT_TARGET_MS / 1000:.0f} s",
        "",
        f"{'database':<11}{'measure':<40}{'median ms':>10}{'p90 ms':>9}{'× baseline':>12}"
        f"{'peak MB':>9}{'queries':>9}  target",
    ]
    for db, result in reports.items():
        for name, case in result["cases"].items():
            ratio = f"{case['ratio']:.1f}" if case.get("ratio") else "—"
            if name == "generation":
                peak = f"{case['peak_mb']:.1f}"
                verdict = "ok" if case["median_ms"] < REPORT_TARGET_MS else "OVER"
                queries = str(case["queries"])
            else:
                peak = f"{case['converter_peak_mb']:.0f}*"
                verdict, queries = "", ""
            lines.append(
                f"{db:<11}{case['label']:<40}{case['median_ms']:>10.1f}{case['p90_ms']:>9.1f}"
                f"{ratio:>12}{peak:>9}{queries:>9}  {verdict}"
            )
    lines += [
        "",
        "peak MB: Python's peak (tracemalloc) while generating; * LibreOffice's own peak",
        "resident memory (a separate process). × baseline: the pages' GET /healthz median.",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--orgs", type=int, default=DEFAULT_ORGS)
    parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--regenerate", action="store_true", help="generate even if present")
    parser.add_argument("--reps", type=int, default=15, help="timed runs per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs per page")
    parser.add_argument("--sql", action="store_true", help="print each page's queries and plan")
    parser.add_argument(
        "--report-reps", type=int, default=5, help="timed runs of the demo's term report (0: skip)"
    )
    parser.add_argument(
        "--only",
        choices=["all", "pages", "imports"],
        default="all",
        help="pages (and the term report) or imports only (bench/imports.py)",
    )
    parser.add_argument(
        "--import-rows", type=int, default=IMPORT_ROWS, help="rows of the big import files"
    )
    parser.add_argument("--import-reps", type=int, default=3, help="runs of the 20,000-row imports")
    parser.add_argument(
        "--dje-reps",
        type=int,
        default=3,
        help="runs of django-import-export (each mode) on 20,000 rows; 0 skips it",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", POSTGRES_URL),
        help="PostgreSQL database to use (created if missing; env BENCH_POSTGRES_URL)",
    )
    args = parser.parse_args(argv)
    if args.orgs < 1 or args.people < 0:
        parser.error("--orgs must be at least 1 and --people at least 0")

    targets: list[Any] = []
    if args.db in ("sqlite", "both"):
        targets.append(SqliteTarget())
    if args.db in ("postgres", "both"):
        targets.append(PostgresTarget(args.postgres_url))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, Any]] = {}
    reports: dict[str, dict[str, Any]] = {}
    imported: dict[str, Any] = {}
    for target in targets if args.only != "imports" else []:
        result = bench_one(target, args)
        if result is not None:
            results[target.name] = result
        if args.report_reps > 0:
            baseline = result["cases"]["baseline"]["median_ms"] if result else None
            measured = bench_report(target, args, baseline)
            if measured is not None:
                reports[target.name] = measured

    if args.only in ("all", "imports"):
        import_targets: list[Any] = []
        if args.db in ("sqlite", "both"):
            import_targets.append(SqliteTarget(IMPORT_SQLITE_PATH))
        if args.db in ("postgres", "both"):
            parts = urlsplit(args.postgres_url)
            import_targets.append(
                PostgresTarget(urlunsplit(parts._replace(path=f"/{IMPORT_POSTGRES_DB}")))
            )
        imported = bench_imports(import_targets, args, _env, _run)

    lines = report(results, args) if results else []
    lines += report_lines(reports, args) + import_lines(imported, args)
    print("\n" + "\n".join(lines))
    summary = {
        "run_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "seed": args.seed,
        "organizations": args.orgs,
        "people": args.people,
        "reps": args.reps,
        "warmup": args.warmup,
        "target_ms": TARGET_MS,
        "databases": results,
        "reports": reports,
        "report_target_ms": REPORT_TARGET_MS,
        "imports": imported,
        "table": lines,
    }
    path = OUT_DIR / "results.json"
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Written to {path.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
