"""Staging tables for imports of a million rows: rows streamed into a TEMP table in batches
(PostgreSQL: COPY FROM STDIN; SQLite: executemany), then merged by set-based SQL.

The staging table lives in the database session of the connection, so the validation loop
(autocommit) and `write()` (inside the engine's atomic block) see the same table; `drop()`
removes it. Its name is unique per job.

`RowsRejected` carries row errors found only once the rows are in the database (a code used
by a person outside the target subtree...): raised inside `write()`, the engine's atomic
block rolls everything back and the job lists the rows.
"""

import uuid
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from lantoa.imports.base import RowError

BATCH = 20_000


class RowsRejected(Exception):
    """Rows refused by a check that needs the staged rows (e.g. a join on existing data)."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(f"{len(errors)} rows rejected")
        self.errors = list(errors)


class Stage:
    """A TEMP table `name` with `columns` [(name, postgres type, sqlite type)]; the first
    column is the sheet line (unique, the row's identity in the merge)."""

    def __init__(
        self,
        prefix: str,
        columns: Sequence[tuple[str, str, str]],
        *,
        conn: BaseDatabaseWrapper = connection,
        batch: int = BATCH,
    ) -> None:
        self.conn = conn
        self.vendor = conn.vendor
        self.name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        self.columns = list(columns)
        self.batch = batch
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0
        self.created = False

    def create(self) -> None:
        pg = self.vendor == "postgresql"
        parts = []
        for index, (column, pg_type, sqlite_type) in enumerate(self.columns):
            kind = pg_type if pg else sqlite_type
            if index == 0:
                kind += " PRIMARY KEY" if not pg else " NOT NULL"
            parts.append(f"{column} {kind}")
        with self.conn.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE {self.name} ({', '.join(parts)})")
        self.created = True

    def append(self, row: tuple[Any, ...]) -> None:
        rows = self.rows
        rows.append(row)
        if len(rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        names = ", ".join(column for column, _pg, _lite in self.columns)
        if self.vendor == "postgresql":
            sql = f"COPY {self.name} ({names}) FROM STDIN"
            with self.conn.cursor() as cursor, cursor.copy(sql) as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
        else:
            marks = ", ".join(["%s"] * len(self.columns))
            # One transaction per batch (not one per row); a savepoint inside a caller's block.
            with transaction.atomic(using=self.conn.alias), self.conn.cursor() as cursor:
                sql = f"INSERT INTO {self.name} ({names}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, rows)
        self.count += len(rows)

    def drop(self) -> None:
        self.rows = []
        if not self.created:
            return
        self.created = False
        if self.conn.connection is None:
            return  # the session ended; its TEMP tables went with it
        with self.conn.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")
