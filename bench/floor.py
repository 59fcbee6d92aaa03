"""The floor of a people import on this PostgreSQL server: the time to write N people rows
and nothing else (no file, no parsing, no checks, no membership, no audit entry).

Run by `python -m bench --only imports` (PostgreSQL only), in its own process:
`python -m bench.floor --rows N` with DATABASE_URL set to the import database (`setup`
done: the 1,000 cells). The rows are made by the server (generate_series), shaped like
the benchmark file's (code, names, gender, dates, organization, 32-byte sort key, search
key); every measure is rolled back, so the database is left as it was.

- "live": one INSERT … SELECT into orgs_person as it is (its indexes, its deferred
  foreign keys checked by SET CONSTRAINTS ALL IMMEDIATE, the member-count and name
  triggers off as during an import): what any import writing people must pay;
- "rebuilt": the same rows into a copy of the table without indexes, then each index of
  orgs_person built on it and its foreign key added, as a bulk load would do with the
  indexes dropped (which locks the people out of every page until the commit).
"""

import argparse
import json
import re
import time
from typing import Any

STAGE = "bench_floor_people"
COPY = "bench_floor_person_copy"
COLUMNS = (
    "code, family_name, middle_name, given_name, gender, birth_date, party_joined_on,"
    " party_official_on, position, organization_id, archived, sort_key, search_key,"
    " created_at, updated_at"
)


def _stage(cursor: Any, rows: int) -> None:
    cursor.execute(
        f"CREATE TEMP TABLE {STAGE} AS"
        " WITH cells AS (SELECT array_agg(id ORDER BY code) AS ids FROM orgs_organization"
        " WHERE code LIKE 'C%%')"
        " SELECT g AS line, 'F' || lpad(g::text, 9, '0') AS code,"
        " (ARRAY['Nguyễn','Trần','Lê','Phạm','Huỳnh','Võ'])[g %% 6 + 1] AS family_name,"
        " (ARRAY['Văn','Thị','Minh','Ngọc','Hữu'])[g %% 5 + 1] AS middle_name,"
        " 'Tên' || (g %% 300) AS given_name,"
        " CASE WHEN g %% 2 = 0 THEN 'male' ELSE 'female' END AS gender,"
        " date '1960-01-01' + (g %% 15000) AS birth_date,"
        " date '1985-01-01' + (g %% 12000) AS joined_on,"
        " date '1986-01-01' + (g %% 12000) AS official_on,"
        " cells.ids[g %% array_length(cells.ids, 1) + 1] AS organization_id,"
        " decode(md5((g %% 5000)::text) || md5((g %% 300)::text), 'hex') AS sort_key,"
        " 'nguyen van ten' || (g %% 300) AS search_key"
        " FROM generate_series(1, %s) g, cells",
        [rows],
    )
    cursor.execute(f"ANALYZE {STAGE}")


def _insert(cursor: Any, table: str) -> None:
    cursor.execute(
        f"INSERT INTO {table} ({COLUMNS})"
        " SELECT code, family_name, middle_name, given_name, gender, birth_date, joined_on,"
        " official_on, '', organization_id, false, sort_key, search_key, now(), now()"
        f" FROM {STAGE} ORDER BY line"
    )


def _timed(step: Any) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def measure(rows: int) -> dict[str, float]:
    from django.db import connection, transaction

    connection.make_debug_cursor = connection.make_cursor
    with connection.cursor() as cursor:
        _stage(cursor, rows)
    results: dict[str, float] = {}

    def live() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lantoa.bulk_load = 'on'")
            _insert(cursor, "orgs_person")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the commit's key checks, now
            transaction.set_rollback(True)

    def rebuilt() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE {COPY} (LIKE orgs_person INCLUDING DEFAULTS INCLUDING IDENTITY)"
            )
            _insert(cursor, COPY)
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'orgs_person'")
            for number, (definition,) in enumerate(cursor.fetchall()):
                cursor.execute(
                    re.sub(
                        r"INDEX \S+ ON public\.orgs_person ",
                        f"INDEX {COPY}_{number} ON public.{COPY} ",
                        definition,
                    )
                )
            cursor.execute(
                f"ALTER TABLE {COPY} ADD FOREIGN KEY (organization_id)"
                " REFERENCES orgs_organization (id)"
            )
            transaction.set_rollback(True)

    results["live"] = _timed(live)
    results["rebuilt"] = _timed(rebuilt)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    import django

    django.setup()
    outcome = measure(args.rows)
    print("RESULT " + json.dumps(outcome), flush=True)


if __name__ == "__main__":
    main()
