"""Time the pages through Django's test client, as a logged-in superuser, on one database.

Run by `python -m bench` as `python -m bench.measure --out FILE` with DATABASE_URL set.
Every case is requested in turn, round after round, so that a slow spell of the machine
touches all of them alike; the baseline (GET /healthz through the same client) is one of
the cases, and every median is also given as a ratio to the baseline's median.
"""

import argparse
import json
import math
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import django

from bench import MARKER_TABLE, TARGET_MS


@dataclass
class Case:
    name: str
    label: str
    url: str
    expect: str = ""  # a regex the page must match, so that a fast error page cannot pass
    times: list[float] = field(default_factory=list)
    queries: list[dict[str, str]] = field(default_factory=list)
    reps: int = 0

    def summary(self, baseline: float | None) -> dict[str, Any]:
        ordered = sorted(self.times)
        median = statistics.median(ordered)
        p90 = ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]
        return {
            "label": self.label,
            "url": self.url,
            "runs": len(ordered),
            "median_ms": round(median, 2),
            "p90_ms": round(p90, 2),
            "min_ms": round(ordered[0], 2),
            "ratio": round(median / baseline, 1) if baseline else 1.0,
            "queries": len(self.queries),
            "sql_ms": round(sum(float(q["time"]) for q in self.queries) * 1000, 2),
        }


def dataset() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {MARKER_TABLE} WHERE key = %s", ["dataset"])
        return json.loads(cursor.fetchone()[0])


def bench_user() -> Any:
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def explain(sql: str) -> str:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    try:
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            rows = cursor.fetchall()
    except Exception as error:  # the logged SQL is for reading; it may not run as is
        return f"      (no plan: {error})"
    if connection.vendor == "sqlite":
        return "\n".join(f"      {row[-1]}" for row in rows)
    return "\n".join(f"      {row[0]}" for row in rows)


def run(reps: int, warmup: int, slow_s: float, show_sql: bool) -> dict[str, Any]:
    from django.db import connection, reset_queries
    from django.test import Client

    info = dataset()
    client = Client()
    client.force_login(bench_user())
    person_row = r'<td><a href="/people/\d+/">'
    cases = [
        Case("baseline", "baseline GET /healthz", "/healthz", '"status": "ok"'),
        Case(
            "people_subtree",
            f"people in a subtree ({info['subtree_people']:,})",
            f"/people/?org={info['subtree_org_id']}",
            person_row,
        ),
        Case(
            "people_search",
            f'people search "{info["search_text"]}"',
            "/people/?q=" + info["search_text"].replace(" ", "+"),
            person_row,
        ),
        Case("tree", "tree page", "/orgs/", 'id="org-tree"'),
        Case("children", "tree: open the root", f"/orgs/{info['root_id']}/children/", "<details"),
    ]

    def request(case: Case) -> float:
        reset_queries()
        start = time.perf_counter()
        response = client.get(case.url)
        elapsed = (time.perf_counter() - start) * 1000
        body = response.content.decode()
        if response.status_code != 200 or not re.search(case.expect, body):
            raise SystemExit(f"{case.url} answered {response.status_code} without {case.expect!r}")
        case.queries = list(connection.queries)
        return elapsed

    for case in cases:
        first = request(case)
        case.reps = reps
        if first > slow_s * 1000:
            case.reps = 3
            print(f"    {case.label}: {first:,.0f} ms on first request, 3 runs only", flush=True)
        else:
            for _ in range(warmup - 1):
                request(case)
    for rep in range(reps):
        for case in cases:
            if rep < case.reps:
                case.times.append(request(case))

    baseline = statistics.median(cases[0].times)
    results = {case.name: case.summary(baseline) for case in cases}
    for case in cases:
        r = results[case.name]
        print(
            f"    {case.label:<38} median {r['median_ms']:8.1f} ms  p90 {r['p90_ms']:8.1f} ms  "
            f"×{r['ratio']:<7} {r['queries']} queries ({r['sql_ms']:.1f} ms SQL)",
            flush=True,
        )
        if show_sql and case.name != "baseline":
            slowest = max(case.queries, key=lambda q: float(q["time"]))
            for q in case.queries:
                print(f"      {float(q['time']) * 1000:7.1f} ms  {q['sql'][:160]}")
            if float(slowest["time"]) * 1000 > TARGET_MS / 10:
                print(f"      plan of the slowest ({float(slowest['time']) * 1000:.1f} ms):")
                print(explain(slowest["sql"]))
    return {
        "vendor": connection.vendor,
        "server": _server_version(),
        "dataset": info,
        "cases": results,
    }


def _server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--slow", type=float, default=3.0, help="seconds; slower cases run 3 times")
    parser.add_argument("--sql", action="store_true", help="print the queries and a plan")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
    django.setup()
    result = run(args.reps, max(1, args.warmup), args.slow, args.sql)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main(sys.argv[1:])
