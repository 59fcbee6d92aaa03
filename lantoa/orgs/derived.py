"""Data the database derives from the people table, kept by triggers (docs/decisions.md).

- `Organization.direct_member_count`: current (non-archived) people attached to the
  organization itself. Subtree figures add these up (`queries.subtree_member_counts`).
- `orgs_search_name`: every distinct `Person.search_key`, with a trigram index (pg_trgm on
  PostgreSQL, FTS5 on SQLite): a name search looks here first (`queries.people_matching`).

Triggers keep both inside the writer's own transaction, whoever writes: the services, the
admin, bulk loads, factories. `install` is idempotent; it runs in migration 0003 and after
every `migrate` (post_migrate, see apps.py), which also covers test databases built without
migrations. On SQLite a migration that remakes a table (Django does for many ALTERs) would
either fail on triggers naming `orgs_organization` or drop those on `orgs_person`, so the
triggers are dropped before migrating (pre_migrate) and put back, with a recount, after.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DatabaseError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

SEARCH_NAMES = "orgs_search_name"

_SQLITE_TRIGGERS = {
    "orgs_person_counts_insert": """AFTER INSERT ON orgs_person
        WHEN NEW.organization_id IS NOT NULL AND NOT NEW.archived
        BEGIN
            UPDATE orgs_organization SET direct_member_count = direct_member_count + 1
            WHERE id = NEW.organization_id;
        END""",
    "orgs_person_counts_delete": """AFTER DELETE ON orgs_person
        WHEN OLD.organization_id IS NOT NULL AND NOT OLD.archived
        BEGIN
            UPDATE orgs_organization SET direct_member_count = direct_member_count - 1
            WHERE id = OLD.organization_id;
        END""",
    "orgs_person_counts_update": """AFTER UPDATE OF organization_id, archived ON orgs_person
        WHEN OLD.organization_id IS NOT NEW.organization_id OR OLD.archived IS NOT NEW.archived
        BEGIN
            UPDATE orgs_organization SET direct_member_count = direct_member_count - 1
            WHERE id = OLD.organization_id AND NOT OLD.archived;
            UPDATE orgs_organization SET direct_member_count = direct_member_count + 1
            WHERE id = NEW.organization_id AND NOT NEW.archived;
        END""",
    "orgs_person_search_name_insert": """AFTER INSERT ON orgs_person
        BEGIN
            INSERT OR IGNORE INTO orgs_search_name (search_key) VALUES (NEW.search_key);
        END""",
    "orgs_person_search_name_update": """AFTER UPDATE OF search_key ON orgs_person
        WHEN OLD.search_key IS NOT NEW.search_key
        BEGIN
            INSERT OR IGNORE INTO orgs_search_name (search_key) VALUES (NEW.search_key);
        END""",
}
_SQLITE_TABLES = [
    """CREATE TABLE IF NOT EXISTS orgs_search_name (
        id integer NOT NULL PRIMARY KEY, search_key varchar(255) NOT NULL UNIQUE
    )""",
    # SQLite's LIKE '%…%' cannot use an index: FTS5 trigrams narrow the dictionary first.
    """CREATE VIRTUAL TABLE IF NOT EXISTS orgs_search_name_fts USING fts5(
        search_key, content='orgs_search_name', content_rowid='id', tokenize='trigram'
    )""",
    """CREATE TRIGGER IF NOT EXISTS orgs_search_name_fts_insert AFTER INSERT ON orgs_search_name
    BEGIN
        INSERT INTO orgs_search_name_fts (rowid, search_key) VALUES (NEW.id, NEW.search_key);
    END""",
    """CREATE TRIGGER IF NOT EXISTS orgs_search_name_fts_delete AFTER DELETE ON orgs_search_name
    BEGIN
        INSERT INTO orgs_search_name_fts (orgs_search_name_fts, rowid, search_key)
        VALUES ('delete', OLD.id, OLD.search_key);
    END""",
]

_POSTGRES = [
    """CREATE OR REPLACE FUNCTION orgs_person_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('lantoa.bulk_load', true) = 'on' THEN
            RETURN NULL;
        END IF;
        IF TG_OP <> 'INSERT' AND OLD.organization_id IS NOT NULL AND NOT OLD.archived THEN
            UPDATE orgs_organization SET direct_member_count = direct_member_count - 1
            WHERE id = OLD.organization_id;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.organization_id IS NOT NULL AND NOT NEW.archived THEN
            UPDATE orgs_organization SET direct_member_count = direct_member_count + 1
            WHERE id = NEW.organization_id;
        END IF;
        RETURN NULL;
    END
    $$""",
    "DROP TRIGGER IF EXISTS orgs_person_counts_insert_delete ON orgs_person",
    """CREATE TRIGGER orgs_person_counts_insert_delete AFTER INSERT OR DELETE ON orgs_person
    FOR EACH ROW EXECUTE FUNCTION orgs_person_counts()""",
    "DROP TRIGGER IF EXISTS orgs_person_counts_update ON orgs_person",
    """CREATE TRIGGER orgs_person_counts_update AFTER UPDATE OF organization_id, archived
    ON orgs_person FOR EACH ROW
    WHEN (OLD.organization_id IS DISTINCT FROM NEW.organization_id
          OR OLD.archived IS DISTINCT FROM NEW.archived)
    EXECUTE FUNCTION orgs_person_counts()""",
    "CREATE TABLE IF NOT EXISTS orgs_search_name (search_key varchar(255) NOT NULL PRIMARY KEY)",
    """CREATE OR REPLACE FUNCTION orgs_person_search_name() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('lantoa.bulk_load', true) = 'on' THEN
            RETURN NULL;
        END IF;
        INSERT INTO orgs_search_name (search_key) VALUES (NEW.search_key)
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$""",
    "DROP TRIGGER IF EXISTS orgs_person_search_name_insert ON orgs_person",
    """CREATE TRIGGER orgs_person_search_name_insert AFTER INSERT ON orgs_person
    FOR EACH ROW EXECUTE FUNCTION orgs_person_search_name()""",
    "DROP TRIGGER IF EXISTS orgs_person_search_name_update ON orgs_person",
    """CREATE TRIGGER orgs_person_search_name_update AFTER UPDATE OF search_key ON orgs_person
    FOR EACH ROW WHEN (OLD.search_key IS DISTINCT FROM NEW.search_key)
    EXECUTE FUNCTION orgs_person_search_name()""",
]
# Optional: where pg_trgm cannot be installed, a search scans the dictionary instead.
_POSTGRES_TRIGRAM = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX IF NOT EXISTS orgs_search_name_trgm ON orgs_search_name
    USING gin (search_key gin_trgm_ops)""",
]

_UNINSTALL = {
    "sqlite": [
        *(f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_TRIGGERS),
        "DROP TABLE IF EXISTS orgs_search_name_fts",
        "DROP TABLE IF EXISTS orgs_search_name",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS orgs_person_counts_insert_delete ON orgs_person",
        "DROP TRIGGER IF EXISTS orgs_person_counts_update ON orgs_person",
        "DROP TRIGGER IF EXISTS orgs_person_search_name_insert ON orgs_person",
        "DROP TRIGGER IF EXISTS orgs_person_search_name_update ON orgs_person",
        "DROP FUNCTION IF EXISTS orgs_person_counts()",
        "DROP FUNCTION IF EXISTS orgs_person_search_name()",
        "DROP TABLE IF EXISTS orgs_search_name",
    ],
}


def _execute(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection: BaseDatabaseWrapper) -> None:
    """Create what is missing: the dictionary, its trigram index and the triggers."""
    if connection.vendor == "sqlite":
        triggers = [
            f"CREATE TRIGGER IF NOT EXISTS {n} {sql}" for n, sql in _SQLITE_TRIGGERS.items()
        ]
        _execute(connection, [*_SQLITE_TABLES, *triggers])
    elif connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            _execute(connection, _POSTGRES)
        try:
            with transaction.atomic(using=connection.alias):
                _execute(connection, _POSTGRES_TRIGRAM)
        except DatabaseError:
            pass
    else:
        raise NotImplementedError(f"No member-count triggers for {connection.vendor}")


def uninstall(connection: BaseDatabaseWrapper) -> None:
    _execute(connection, _UNINSTALL[connection.vendor])


def refresh(connection: BaseDatabaseWrapper) -> None:
    """Recount direct members and add the missing names, from the records.

    Triggers keep both current; this is for writes made while they were off (a bulk load,
    migrations on SQLite). Names no longer in use stay: they match nobody.
    """
    names = (
        "INSERT OR IGNORE INTO orgs_search_name (search_key)"
        " SELECT DISTINCT search_key FROM orgs_person"
        if connection.vendor == "sqlite"
        else "INSERT INTO orgs_search_name (search_key)"
        " SELECT DISTINCT search_key FROM orgs_person ON CONFLICT DO NOTHING"
    )
    with transaction.atomic(using=connection.alias):
        _execute(
            connection,
            [
                "UPDATE orgs_organization SET direct_member_count = ("
                " SELECT COUNT(*) FROM orgs_person"
                " WHERE orgs_person.organization_id = orgs_organization.id"
                " AND NOT orgs_person.archived)",
                names,
            ],
        )


@contextmanager
def bulk_load(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Inside a transaction: writes to `orgs_person` leave the counts and the name dictionary
    alone (a million rows would each update their organization's counter); the caller then
    calls `recount` for what it touched, before the transaction commits.

    PostgreSQL: the trigger functions return early while `lantoa.bulk_load` is 'on' (SET
    LOCAL: this transaction only, other sessions keep their triggers). SQLite (one writer at
    a time): the triggers are dropped and re-created inside the transaction (DDL is
    transactional there), so a rollback puts them back too.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_load() needs a transaction")
    # Put back on success only: after an error the transaction (or savepoint) is rolled
    # back, which undoes SET LOCAL and, on SQLite, the DROP TRIGGER too.
    if connection.vendor == "postgresql":
        _execute(connection, ["SET LOCAL lantoa.bulk_load = 'on'"])
        yield
        _execute(connection, ["SET LOCAL lantoa.bulk_load = 'off'"])
    else:
        _execute(connection, [f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_TRIGGERS])
        yield
        _execute(
            connection,
            [f"CREATE TRIGGER IF NOT EXISTS {n} {sql}" for n, sql in _SQLITE_TRIGGERS.items()],
        )


def recount(connection: BaseDatabaseWrapper, *, touched: str, names: str) -> None:
    """`refresh` narrowed to a bulk load: recount the organizations whose ids the SQL
    `touched` selects, add the search keys the SQL `names` selects (no parameters)."""
    # Both are SQL of the caller's own (table names it generated), never user input.
    select = f"SELECT DISTINCT search_key FROM ({names}) AS n"  # noqa: S608
    insert = (
        f"INSERT OR IGNORE INTO orgs_search_name (search_key) {select}"
        if connection.vendor == "sqlite"
        else f"INSERT INTO orgs_search_name (search_key) {select} ON CONFLICT DO NOTHING"
    )
    where = f" WHERE id IN ({touched})"
    _execute(
        connection,
        [
            "UPDATE orgs_organization SET direct_member_count = ("  # noqa: S608
            " SELECT COUNT(*) FROM orgs_person"
            " WHERE orgs_person.organization_id = orgs_organization.id"
            " AND NOT orgs_person.archived)" + where,
            insert,
        ],
    )


def _installed(connection: BaseDatabaseWrapper) -> bool:
    """Whether the schema is at migration 0003 or later (the column exists)."""
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "orgs_organization")
    return any(column.name == "direct_member_count" for column in columns)


def before_migrate(using: str, **kwargs: Any) -> None:
    """pre_migrate: on SQLite, take the triggers off the tables a migration may remake."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite":
        _execute(connection, [f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_TRIGGERS])


def after_migrate(using: str, plan: list | None = None, **kwargs: Any) -> None:
    """post_migrate: put everything back; recount on SQLite if migrations ran without it."""
    from django.db import connections

    connection = connections[using]
    tables = connection.introspection.table_names()
    if "orgs_organization" not in tables or not _installed(connection):
        return
    install(connection)
    if connection.vendor == "sqlite" and plan:
        refresh(connection)
