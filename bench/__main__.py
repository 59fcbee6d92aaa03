"""`make bench`: generate (once) and time Lan Tỏa at national scale on SQLite and PostgreSQL.

For each database: make sure it exists, read which dataset it holds, regenerate it if it
is missing, different or `--regenerate` is given, apply the migrations, then time the
pages. Prints one table at the end and writes it to bench/out/results.json.
"""

import argparse
import datetime
import json
import os
import sqlite3
import subprocess
import sys
import time
from typing import Any

from bench import (
    BASE_DIR,
    DEFAULT_ORGS,
    DEFAULT_PEOPLE,
    DEFAULT_SEED,
    MARKER_TABLE,
    OUT_DIR,
    POSTGRES_URL,
    SQLITE_PATH,
    SQLITE_URL,
    TARGET_MS,
    dataset_key,
)


class Unreachable(Exception):
    pass


class SqliteTarget:
    name = "sqlite"

    def __init__(self) -> None:
        self.url = SQLITE_URL

    def prepare(self) -> None:
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)

    def marker(self) -> str | None:
        if not SQLITE_PATH.exists():
            return None
        with sqlite3.connect(SQLITE_PATH) as db:
            try:
                row = db.execute(
                    f"SELECT value FROM {MARKER_TABLE} WHERE key = 'dataset'"
                ).fetchone()
            except sqlite3.OperationalError:
                return None
        return json.loads(row[0])["key"] if row else None

    def reset(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            SQLITE_PATH.with_name(SQLITE_PATH.name + suffix).unlink(missing_ok=True)


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
    for target in targets:
        result = bench_one(target, args)
        if result is not None:
            results[target.name] = result

    lines = report(results, args)
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
        "table": lines,
    }
    path = OUT_DIR / "results.json"
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Written to {path.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
