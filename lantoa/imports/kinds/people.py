# ruff: noqa: S608 -- SQL built from this module's constants and generated table names;
# every value from the file or the user is a parameter or a staged row.
"""People and their memberships, by personal code (`Person.code`, the natural key).

Built for files of a million rows (bench/README.md, "Imports"): `check()` uses lookups loaded
once (the organizations of the target subtree), `add()` streams each valid row, with its
name keys computed here (cached by name part), into a TEMP staging table (`bulk.Stage`:
COPY on PostgreSQL, executemany on SQLite), and `write()` merges it with set-based SQL:

- `finish()` (after the loop, the engine's hook for late row errors): codes already used
  by a person outside the target subtree, and transfers dated on or before the current
  membership's start, are row errors (found by joining the staged rows, nothing written);
- new codes: INSERT … SELECT of the people, their first membership (from the membership
  start date, else the date of joining, else today) and their private data;
- existing codes: only rows where a column of the file differs (compared in SQL) are
  updated; a different organization is a transfer as `services.transfer_person` does it
  (the open membership ends the day before the new one starts);
- one audit entry per created or updated person, built in SQL: "imports.created" with the
  job, the line, the code and the organization (the other values are the job's stored file
  at that line), "imports.updated" with the changed fields, private values masked;
- the member-count and name-dictionary triggers are off during the merge
  (`derived.bulk_load`); the touched organizations are recounted and the new names added.
Unchanged rows write nothing. The rules are those of `services.create_person`.
"""

import datetime
import re
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.core.text import collation_key, search_key
from lantoa.imports import parsers
from lantoa.imports.base import Column, Counts, ImportContext, Kind, RowError
from lantoa.imports.bulk import RowsRejected, Stage
from lantoa.orgs import derived
from lantoa.orgs.models import Gender, Organization, Person
from lantoa.orgs.rules import Perm, can

EARLIEST_BIRTH = datetime.date(1900, 1, 1)
MAX_REPORTED = 1000  # rows listed when a set-based check refuses many
# Addresses this accepts Django's validator accepts too; others go to the validator (slower).
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
).fullmatch


def _genders() -> dict[str, str]:
    options: dict[str, str] = {"Nam": Gender.MALE, "Nữ": Gender.FEMALE}
    for value, label in Gender.choices:
        options[str(label)] = value
        options[value] = value
    return options


COLUMNS = (
    Column(
        "code",
        _("Personal code"),
        parsers.code(32),
        required=True,
        aliases=("Mã", "Mã đảng viên", "Số thẻ đảng"),
        example="DV000001",
        help=_("Recognizes the person when the file is imported again (e.g. party card number)."),
    ),
    Column("family_name", _("Family name"), parsers.text(50), required=True, example="Nguyễn"),
    Column("middle_name", _("Middle name"), parsers.text(100), example="Văn"),
    Column("given_name", _("Given name"), parsers.text(50), required=True, example="An"),
    Column(
        "gender",
        _("Gender"),
        parsers.choice(_genders),
        choices=lambda: [str(label) for _value, label in Gender.choices],
        example="Nam",
        width=10,
    ),
    Column(
        "birth_date",
        _("Date of birth"),
        parsers.date(),
        example="05/06/1980",
        help=_("dd/mm/yyyy, between 01/01/1900 and today."),
    ),
    Column(
        "party_joined_on",
        _("Date of joining the party"),
        parsers.date(),
        example="03/02/2005",
        help=_("After the date of birth, not in the future."),
    ),
    Column(
        "party_official_on",
        _("Date of full membership"),
        parsers.date(),
        example="03/02/2006",
        help=_("Not before the date of joining."),
    ),
    Column("position", pgettext_lazy("job", "Position"), parsers.text(255), width=24),
    Column(
        "organization",
        _("Organization code"),
        parsers.code(32),
        required=True,
        example="DCD",
        help=_("Code of the party cell or base organization; it must be in the chosen subtree."),
    ),
    Column(
        "start_date",
        _("Membership start date"),
        parsers.date(),
        help=_(
            "New people: empty means the date of joining (or today). A changed organization "
            "is a transfer starting on this date (empty: today)."
        ),
    ),
    Column(
        "citizen_id",
        _("Citizen ID"),
        parsers.digits((12,)),
        help=_("12 digits; private: only with the right to see private data."),
    ),
    Column(
        "phone",
        _("Phone"),
        parsers.digits((10, 11)),
        help=_("Private: only with the right to see private data."),
    ),
    Column(
        "email",
        _("Email"),
        parsers.text(254),
        width=24,
        help=_("Private: only with the right to see private data."),
    ),
)
PRIVATE = ("citizen_id", "phone", "email")
# Person fields compared and updated, in staging order (the organization apart).
FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "party_joined_on",
    "party_official_on",
    "position",
)
DATES = {"birth_date", "party_joined_on", "party_official_on"}
STAGE_COLUMNS = (
    ("line", "integer", "integer"),
    ("code", "text", "text"),
    *((name, "date" if name in DATES else "text", "text") for name in FIELDS),
    ("organization_id", "bigint", "integer"),
    ("start_date", "date", "text"),
    ("citizen_id", "text", "text"),
    ("phone", "text", "text"),
    ("email", "text", "text"),
    ("sort_key", "bytea", "blob"),
    ("search_key", "text", "text"),
)


class PeopleImporter:
    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self.stage: Stage | None = None
        self.merge: Merge | None = None
        self.header = {column.key: str(column.header) for column in COLUMNS}

    # --- validation -------------------------------------------------------------------------

    def begin(self) -> None:
        ctx = self.context
        root = ctx.organization
        user = ctx.user
        self.today = timezone.localdate()
        self.private_allowed: dict[int, bool] = {}
        self.organizations: dict[str, tuple[int, bool, bool]] = {}
        for org in Organization.objects.filter(path__startswith=root.path).only(
            "id", "code", "path", "archived"
        ):
            allowed = can(user, Perm.MANAGE_PEOPLE, org)
            self.organizations[org.code] = (org.pk, org.archived, allowed)
            self.private_allowed[org.pk] = can(user, Perm.VIEW_PRIVATE, org)
        mapping = getattr(ctx.job, "mapping", None) or {}
        self.present = set(mapping) if mapping else {column.key for column in COLUMNS}
        self.messages = {
            "unknown": _t("No organization with code “%(code)s” in %(root)s."),
            "archived": _t("The organization “%(code)s” is archived."),
            "denied": _t("You may not manage the people of “%(code)s”."),
            "private": _t("You may not import private data (citizen ID, phone, email)."),
            "birth": _t("Enter a date of birth between 01/01/1900 and today."),
            "joined_future": _t("The date of joining cannot be in the future."),
            "joined_birth": _t("The date of joining must be after the date of birth."),
            "official": _t("The date of full membership cannot be before the date of joining."),
            "email": _t("Enter a valid email address."),
        }
        self.root_name = root.name
        self.collation: dict[str, bytes] = {}
        self.search: dict[str, str] = {}
        self.stage = Stage("imports_people", STAGE_COLUMNS)
        self.stage.create()

    def check(self, values: dict[str, Any], line: int) -> list[RowError]:
        errors: list[RowError] = []
        header = self.header
        messages = self.messages
        code = values["organization"]
        found = self.organizations.get(code)
        if found is None:
            message = messages["unknown"] % {"code": code, "root": self.root_name}
            errors.append(RowError(line, header["organization"], message))
        elif found[1]:
            errors.append(
                RowError(line, header["organization"], messages["archived"] % {"code": code})
            )
        elif not found[2]:
            errors.append(
                RowError(line, header["organization"], messages["denied"] % {"code": code})
            )
        elif not self.private_allowed[found[0]]:
            for key in PRIVATE:
                if values.get(key):
                    errors.append(RowError(line, header[key], messages["private"]))
        birth = values.get("birth_date")
        joined = values.get("party_joined_on")
        official = values.get("party_official_on")
        today = self.today
        if birth is not None and not (EARLIEST_BIRTH <= birth <= today):
            errors.append(RowError(line, header["birth_date"], messages["birth"]))
        if joined is not None:
            if joined > today:
                errors.append(RowError(line, header["party_joined_on"], messages["joined_future"]))
            elif birth is not None and joined <= birth:
                errors.append(RowError(line, header["party_joined_on"], messages["joined_birth"]))
            if official is not None and official < joined:
                errors.append(RowError(line, header["party_official_on"], messages["official"]))
        email = values.get("email")
        if email and not _PLAIN_EMAIL(email):
            try:
                validate_email(email)
            except ValidationError:
                errors.append(RowError(line, header["email"], messages["email"]))
        return errors

    def add(self, values: dict[str, Any], line: int) -> None:
        family = values["family_name"]
        middle = values["middle_name"]
        given = values["given_name"]
        collation = self.collation
        search = self.search
        keys = []
        sort = b""
        for part in (given, middle, family):
            ck = collation.get(part)
            if ck is None:
                ck = collation[part] = collation_key(part)
                search[part] = search_key(part)
            sort += ck
        for part in (family, middle, given):
            sk = search[part]
            if sk:
                keys.append(sk)
        self.stage.append(
            (
                line,
                values["code"],
                family,
                middle,
                given,
                values["gender"] or "",
                values["birth_date"],
                values["party_joined_on"],
                values["party_official_on"],
                values["position"],
                self.organizations[values["organization"]][0],
                values["start_date"],
                values["citizen_id"],
                values["phone"],
                values["email"],
                sort,
                " ".join(keys),
            )
        )

    # --- the merge --------------------------------------------------------------------------

    def finish(self) -> list[RowError]:
        """After the loop (autocommit): the checks that join the staged rows with the people
        already there; their temporary tables are reused by `write()`."""
        assert self.stage is not None
        self.stage.flush()
        self.merge = Merge(self)
        return self.merge.check()

    def write(self) -> Counts:
        if self.merge is None:
            errors = self.finish()
            if errors:
                raise RowsRejected(errors)
        return self.merge.run()

    def close(self) -> None:
        try:
            if self.merge is not None:
                self.merge.cleanup()
        finally:
            self.merge = None
            if self.stage is not None:
                try:
                    self.stage.drop()
                finally:
                    self.stage = None
            self.collation = {}
            self.search = {}


class Merge:
    """The set-based SQL of one `write()`; vendor differences in small helpers."""

    def __init__(self, importer: PeopleImporter) -> None:
        self.importer = importer
        self.ctx = importer.context
        self.stage = importer.stage.name
        self.pg = connection.vendor == "postgresql"
        self.present = importer.present
        self.private = [key for key in PRIVATE if key in self.present]
        self.now = timezone.now()
        self.today = importer.today
        self.temps: list[str] = []
        self.count_matched = 0
        suffix = self.stage.rsplit("_", 1)[1]
        self.matched = f"imports_people_m_{suffix}"
        self.changed = f"imports_people_c_{suffix}"
        self.new = f"imports_people_n_{suffix}"

    # vendor helpers
    def differ(self, a: str, b: str) -> str:
        return f"{a} IS DISTINCT FROM {b}" if self.pg else f"{a} IS NOT {b}"

    def obj(self, *pairs: str) -> str:
        return ("jsonb_build_object(" if self.pg else "json_object(") + ", ".join(pairs) + ")"

    def arr(self, a: str, b: str) -> str:
        return f"jsonb_build_array({a}, {b})" if self.pg else f"json_array({a}, {b})"

    def strip(self, expr: str) -> str:
        return f"jsonb_strip_nulls({expr})" if self.pg else f"json_patch('{{}}', {expr})"

    def text(self, column: str) -> str:
        name = column.rsplit(".", 1)[-1].removeprefix("old_")
        if name in DATES or name == "start_date":
            return (
                f"to_char({column}, 'DD/MM/YYYY')"
                if self.pg
                else f"strftime('%%d/%%m/%%Y', {column})"
            )
        return f"CAST({column} AS text)"

    def day_before(self, expr: str) -> str:
        return f"({expr} - 1)" if self.pg else f"date({expr}, '-1 day')"

    def full_name(self, alias: str) -> str:
        return (
            f"{alias}.family_name || CASE WHEN {alias}.middle_name <> '' "
            f"THEN ' ' || {alias}.middle_name ELSE '' END || ' ' || {alias}.given_name"
        )

    def execute(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def one(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def all(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def temp(self, name: str, select: str, params: list[Any] | tuple[Any, ...] = ()) -> None:
        self.execute(f"CREATE TEMP TABLE {name} AS {select}", params)
        self.temps.append(name)

    # the steps
    def cleanup(self) -> None:
        if connection.connection is None:
            return
        for name in self.temps:
            self.execute(f"DROP TABLE IF EXISTS {name}")
        self.temps = []

    def check(self) -> list[RowError]:
        """Codes used outside the subtree; transfers dated too early. Builds the tables of
        matched and changed rows."""
        s = self.stage
        if self.pg:
            self.execute(f"ANALYZE {s}")
        root = self.ctx.organization
        self.temp(
            self.matched,
            f"SELECT s.line, p.id AS person_id, p.organization_id AS old_org, o.path AS old_path"
            f" FROM {s} s JOIN orgs_person p ON p.code = s.code"
            f" LEFT JOIN orgs_organization o ON o.id = p.organization_id",
        )
        self.count_matched = self.one(f"SELECT COUNT(*) FROM {self.matched}")
        if not self.count_matched:
            return []
        self.execute(f"CREATE INDEX {self.matched}_line ON {self.matched} (line)")
        outside = self.all(
            f"SELECT line FROM {self.matched} WHERE old_path IS NULL"
            f" OR substr(old_path, 1, %s) <> %s ORDER BY line LIMIT {MAX_REPORTED}",
            [len(root.path), root.path],
        )
        if outside:
            message = _t("This code is already used by a person outside %(root)s.") % {
                "root": root.name
            }
            header = self.importer.header["code"]
            return [RowError(line, header, message) for (line,) in outside]
        return self._changes()

    def run(self) -> Counts:
        total = self.importer.stage.count
        matched = self.count_matched
        with derived.bulk_load(connection):
            created = total - matched
            if created:
                self._create(exclude=bool(matched))
            updated = self._update() if matched else 0
            self._recount()
        return Counts(created=created, updated=updated, unchanged=matched - updated)

    def _changes(self) -> list[RowError]:
        """Matched rows where a column of the file differs: old values kept for the audit."""
        s, m = self.stage, self.matched
        conditions = [
            self.differ(f"s.{name}", f"p.{name}") for name in FIELDS if name in self.present
        ]
        conditions.append(self.differ("s.organization_id", "m.old_org"))
        for key in self.private:
            conditions.append(self.differ(f"s.{key}", f"COALESCE(pp.{key}, '')"))
        old = ", ".join(f"p.{name} AS old_{name}" for name in FIELDS)
        old_private = ", ".join(f"COALESCE(pp.{key}, '') AS old_{key}" for key in PRIVATE)
        self.temp(
            self.changed,
            f"SELECT s.*, m.person_id, m.old_org, {old}, {old_private},"
            f" pp.person_id IS NOT NULL AS has_private"
            f" FROM {m} m JOIN {s} s ON s.line = m.line"
            f" JOIN orgs_person p ON p.id = m.person_id"
            f" LEFT JOIN orgs_personprivate pp ON pp.person_id = m.person_id"
            f" WHERE {' OR '.join(conditions)}",
        )
        moved = self.differ("c.organization_id", "c.old_org")
        too_early = self.all(
            f"SELECT c.line FROM {self.changed} c JOIN orgs_membership ms"
            f" ON ms.person_id = c.person_id AND ms.organization_id = c.old_org"
            f" AND ms.end_date IS NULL"
            f" WHERE {moved} AND COALESCE(c.start_date, %s) <= ms.start_date"
            f" ORDER BY c.line LIMIT {MAX_REPORTED}",
            [self.today],
        )
        message = _t("The transfer date must be after the current membership began.")
        header = self.importer.header["start_date"]
        return [RowError(line, header, message) for (line,) in too_early]

    def _audit(self, source: str, *, created: bool, params: list[Any]) -> None:
        """One audit entry per row of `source` (aliases: x = staged values, p = person,
        o = organization), built in SQL."""
        user = self.ctx.user
        actor = user.pk if getattr(user, "is_authenticated", False) else None
        email = getattr(user, "email", None) or None
        content_type = ContentType.objects.get_for_model(Person).pk
        pairs = [
            "'import_job'",
            self.arr("NULL", "CAST(%s AS text)"),
            "'line'",
            self.arr("NULL", "CAST(x.line AS text)"),
        ]
        job = str(self.ctx.job.pk)
        masked = self.arr("'***'", "'***'")
        if created:
            # The personal code and the organization only: the other values are the job's
            # stored file at this line (docs/decisions.md, "Audit of imported people"); an
            # entry with every value cost twice as much to write.
            pairs += ["'code'", self.arr("NULL", "x.code"), "'organization'"]
            pairs.append(self.arr("NULL", "o.code"))
        else:
            for name in FIELDS:
                if name in self.present:
                    pairs += [
                        f"'{name}'",
                        f"CASE WHEN {self.differ(f'x.{name}', f'x.old_{name}')}"
                        f" THEN {self.arr(self.text(f'x.old_{name}'), self.text(f'x.{name}'))} END",
                    ]
            pairs += [
                "'organization'",
                f"CASE WHEN {self.differ('x.organization_id', 'x.old_org')}"
                f" THEN {self.arr('oo.code', 'o.code')} END",
            ]
            for key in self.private:
                pairs += [
                    f"'{key}'",
                    f"CASE WHEN {self.differ(f'x.{key}', f'x.old_{key}')} THEN {masked} END",
                ]
        changes = self.obj(*pairs) if created else self.strip(self.obj(*pairs))
        self.execute(
            "INSERT INTO core_auditentry (content_type_id, object_pk, object_id, object_repr,"
            " action, changes_text, changes, actor_id, actor_email, timestamp,"
            " organization_path, verb)"
            f" SELECT %s, CAST(p.id AS text), p.id, {self.full_name('x')}, %s, '', {changes},"
            f" %s, %s, %s, o.path, %s FROM {source}",
            [
                content_type,
                0 if created else 1,
                job,
                actor,
                email,
                self.now,
                "imports.created" if created else "imports.updated",
                *params,
            ],
        )

    def _create(self, *, exclude: bool) -> None:
        s = self.stage
        names = ", ".join(FIELDS)
        where = (
            f" WHERE NOT EXISTS (SELECT 1 FROM {self.matched} m WHERE m.line = s.line)"
            if exclude
            else ""
        )
        self.execute(
            f"INSERT INTO orgs_person (code, {names}, organization_id, archived, sort_key,"
            " search_key, created_at, updated_at)"
            f" SELECT s.code, {', '.join(f's.{n}' for n in FIELDS)}, s.organization_id, %s,"
            f" s.sort_key, s.search_key, %s, %s FROM {s} s{where} ORDER BY s.line",
            [False, self.now, self.now],
        )
        self.temp(
            self.new,
            f"SELECT s.line, p.id AS person_id FROM {s} s JOIN orgs_person p ON p.code = s.code"
            + where,
        )
        n = self.new
        self.execute(
            "INSERT INTO orgs_membership (person_id, organization_id, start_date, note)"
            f" SELECT n.person_id, s.organization_id,"
            f" COALESCE(s.start_date, s.party_joined_on, %s), ''"
            f" FROM {n} n JOIN {s} s ON s.line = n.line",
            [self.today],
        )
        if self.private:
            any_private = " OR ".join(f"s.{key} <> ''" for key in self.private)
            self.execute(
                "INSERT INTO orgs_personprivate (person_id, citizen_id, phone, email)"
                f" SELECT n.person_id, s.citizen_id, s.phone, s.email"
                f" FROM {n} n JOIN {s} s ON s.line = n.line WHERE {any_private}",
            )
        self._audit(
            f"{n} n JOIN {s} x ON x.line = n.line JOIN orgs_person p ON p.id = n.person_id"
            " JOIN orgs_organization o ON o.id = x.organization_id",
            created=True,
            params=[],
        )

    def _update(self) -> int:
        c = self.changed
        updated = self.one(f"SELECT COUNT(*) FROM {c}")
        if not updated:
            return 0
        # The audit first: it reads the old values kept in the changes table.
        self._audit(
            f"{c} x JOIN orgs_person p ON p.id = x.person_id"
            " JOIN orgs_organization o ON o.id = x.organization_id"
            " LEFT JOIN orgs_organization oo ON oo.id = x.old_org",
            created=False,
            params=[],
        )
        fields = [name for name in FIELDS if name in self.present]
        sets = [f"{name} = {c}.{name}" for name in fields]
        if "middle_name" in self.present:
            sets += [f"sort_key = {c}.sort_key", f"search_key = {c}.search_key"]
        sets += [f"organization_id = {c}.organization_id", "updated_at = %s"]
        self.execute(
            f"UPDATE orgs_person SET {', '.join(sets)} FROM {c}"
            f" WHERE orgs_person.id = {c}.person_id",
            [self.now],
        )
        if "middle_name" not in self.present:
            self._refresh_keys()
        moved = self.differ(f"{c}.organization_id", f"{c}.old_org")
        start = f"COALESCE({c}.start_date, %s)"
        self.execute(
            f"UPDATE orgs_membership SET end_date = {self.day_before(start)} FROM {c}"
            f" WHERE orgs_membership.person_id = {c}.person_id"
            f" AND orgs_membership.organization_id = {c}.old_org"
            f" AND orgs_membership.end_date IS NULL AND {moved}",
            [self.today],
        )
        self.execute(
            "INSERT INTO orgs_membership (person_id, organization_id, start_date, note)"
            f" SELECT person_id, organization_id, COALESCE(start_date, %s), '' FROM {c}"
            f" WHERE {self.differ('organization_id', 'old_org')}",
            [self.today],
        )
        if self.private:
            differs = " OR ".join(self.differ(f"{c}.{k}", f"{c}.old_{k}") for k in self.private)
            sets = ", ".join(f"{k} = {c}.{k}" for k in self.private)
            self.execute(
                f"UPDATE orgs_personprivate SET {sets} FROM {c}"
                f" WHERE orgs_personprivate.person_id = {c}.person_id AND ({differs})"
            )
            values = ", ".join(k if k in self.private else "''" for k in PRIVATE)
            self.execute(
                "INSERT INTO orgs_personprivate (person_id, citizen_id, phone, email)"
                f" SELECT person_id, {values} FROM {c} c"
                f" WHERE NOT c.has_private AND ({differs.replace(c + '.', 'c.')})"
            )
        return updated

    def _refresh_keys(self) -> None:
        """Without a middle-name column the name keys cannot come from the file's parts."""
        ids = [row[0] for row in self.all(f"SELECT person_id FROM {self.changed}")]
        people = list(Person.objects.filter(pk__in=ids))
        for person in people:
            person.refresh_keys()
        Person.objects.bulk_update(people, ["sort_key", "search_key"], batch_size=1000)

    def _recount(self) -> None:
        touched = f"SELECT organization_id FROM {self.stage}"
        if self.changed in self.temps:
            touched += f" UNION SELECT old_org FROM {self.changed}"
        derived.recount(connection, touched=touched, names=f"SELECT search_key FROM {self.stage}")


KIND = Kind(
    name="people",
    label=_("People and memberships"),
    columns=COLUMNS,
    key=("code",),
    importer=PeopleImporter,
    permission=Perm.MANAGE_PEOPLE.value,
    description=_(
        "Party members by personal code: new codes are added with their membership, "
        "existing ones updated; a changed organization code is a transfer."
    ),
)
