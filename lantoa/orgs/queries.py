"""Read-side queries over the tree and its people; every figure is computed from records."""

import datetime

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from lantoa.core.text import search_key
from lantoa.orgs import derived
from lantoa.orgs.history import subtree_q_on
from lantoa.orgs.models import Membership, Organization, Person

_AFTER_EVERYTHING = chr(0x10FFFF)  # sorts after any character that can follow a prefix


def members_on(org: Organization, day: datetime.date) -> int:
    """Members of the organization's subtree on a day, from the membership history.

    Before a merge this counts under the old name; after it, the merged organization sits
    under the surviving one, so its past members also roll up there.
    """
    return (
        Membership.objects.filter(subtree_q_on(org, day, "organization__path"), start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .values("person_id")
        .distinct()
        .count()
    )


def subtree_q(path: str, field: str = "path") -> Q:
    """Rows whose tree path (at `field`) lies in the subtree at `path`: `startswith`.

    On SQLite a LIKE cannot use the index on the path (LIKE ignores case, the index does
    not), so the same rows are also described as a range the planner can seek: without it,
    a subtree of 17,000 people among a million took seconds (bench/README.md).
    """
    query = Q(**{f"{field}__startswith": path})
    if path and connection.vendor == "sqlite":
        query &= Q(**{f"{field}__gte": path, f"{field}__lt": path + _AFTER_EVERYTHING})
    return query


def in_subtree_q(path: str, field: str = "organization") -> Q:
    """Rows whose organization (the foreign key at `field`) lies in the subtree at `path`.

    The same rows as `{field}__path__startswith`, as `IN (ids of the subtree)`: the planner
    no longer joins every candidate row to its organization to test the path.
    """
    ids = Organization.objects.filter(subtree_q(path)).order_by().values("pk")
    return Q(**{f"{field}__in": ids})


def children_with_counts(parent: Organization | None, scope: Q) -> list[Organization]:
    """Children of a node (roots of the user's scope if None) with current member counts.

    One query for the nodes and one for the counts, whatever the depth below them.
    """
    if parent is None:
        nodes = list(Organization.objects.filter(scope).order_by("path"))
        roots = [
            n for n in nodes if not any(n.path.startswith(o.path) and n is not o for o in nodes)
        ]
        nodes = roots
    else:
        nodes = list(
            Organization.objects.filter(subtree_q(parent.path), depth=parent.depth + 1).order_by(
                "archived", "path"
            )
        )
    return _with_counts(nodes)


def roots_with_counts(paths: list[str]) -> list[Organization]:
    """The organizations at the given paths, with member counts; "" stands for every root.

    The top of a user's scope, read from their grants: `children_with_counts(None, scope)`
    finds the same nodes but loads the whole scope to do so (60,000 rows for an admin).
    """
    query = Q(path__in=[path for path in paths if path])
    if "" in paths:
        query |= Q(depth=1)
    return _with_counts(list(Organization.objects.filter(query).order_by("path")))


def _with_counts(nodes: list[Organization]) -> list[Organization]:
    counts = subtree_member_counts(nodes)
    for node in nodes:
        node.member_count = counts.get(node.path, 0)
    return nodes


def subtree_member_counts(nodes: list[Organization]) -> dict[str, int]:
    """Current (non-archived) people in each node's subtree, keyed by node path.

    Adds up the organizations' direct counts (kept by triggers, `derived.py`) instead of
    counting people: for each node, one range of the index `org_path_members` (path, depth,
    count, id), read without touching the table. One query for any number of nodes.
    """
    if not nodes:
        return {}
    paths = [node.path for node in nodes]
    marks = ", ".join(["%s"] * len(paths))
    # The path range is compared byte by byte: `~>=~` is PostgreSQL's operator for that
    # (the one its LIKE 'prefix%' uses), SQLite compares text that way by default.
    ge, lt = ("~>=~", "~<~") if connection.vendor == "postgresql" else (">=", "<")
    # Only operators and placeholders are formatted in; the paths are parameters.
    sql = (
        "SELECT c.path, (SELECT SUM(d.direct_member_count) FROM orgs_organization d"  # noqa: S608
        f" WHERE d.path {ge} c.path AND d.path {lt} (c.path || %s))"
        f" FROM orgs_organization c WHERE c.path IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_AFTER_EVERYTHING, *paths])
        counts = dict(cursor.fetchall())
    return {path: counts.get(path) or 0 for path in paths}


# Above this many matching names, the search filters people by a subquery instead of a list.
_MAX_LISTED_NAMES = 1000


def people_matching(people: QuerySet[Person], text: str) -> QuerySet[Person]:
    """`people.matching(text)`: names containing the text, ignoring case and diacritics.

    `search_key LIKE '%…%'` reads every person. Instead the distinct keys that contain the
    text are found in `orgs_search_name` (kept by triggers, `derived.py`) through a
    trigram index, once, and people are then fetched by exact key through an index.
    """
    key = search_key(text)
    if not key:
        return people
    sql, params = _names_containing(key)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT %s", [*params, _MAX_LISTED_NAMES + 1])
        names = [row[0] for row in cursor.fetchall()]
    if 0 < len(names) <= _MAX_LISTED_NAMES:
        return people.filter(search_key__in=names)
    # Many names, or none (an empty list would skip the queries: the page would run fewer).
    return people.filter(search_key__in=RawSQL(sql, params))  # noqa: S611 - constant SQL


def _names_containing(key: str) -> tuple[str, list[str]]:
    """SQL for the dictionary's keys containing `key`: Django's own `contains` test, narrowed
    first by the trigram index (on SQLite, whose LIKE cannot use one, through FTS5)."""
    contains = connection.operators["contains"]
    like = f"%{connection.ops.prep_for_like_query(key)}%"
    sql = f"SELECT search_key FROM orgs_search_name WHERE search_key {contains}"  # noqa: S608
    if connection.vendor == "sqlite" and len(key) >= 3:  # FTS5 trigrams need 3 characters
        phrase = '"' + key.replace('"', '""') + '"'
        fts = "SELECT rowid FROM orgs_search_name_fts WHERE orgs_search_name_fts MATCH %s"
        return f"{sql} AND id IN ({fts})", [like, phrase]
    return sql, [like]


class LateRows:
    """A sorted queryset for the paginator that never sorts whole rows in the database.

    Plain `ORDER BY … LIMIT 50` built every candidate row with its joins before sorting
    (SQLite), or walked the name index through a hundred thousand people for a rare name
    (PostgreSQL). Here only the page's rows are read, by id, after:

    - at most `SMALL` matches (`few=True` says to expect that: a name search): one query
      reads the sort values and ids of all of them; the count and the order come from it;
    - more: the count, then the page's ids, from index-only queries.
    """

    SMALL = 2000
    # Types that Python orders as both databases do (bytes compare as BLOB and bytea do).
    _PYTHON_ORDERED = {"BinaryField", "AutoField", "BigAutoField", "IntegerField"}

    def __init__(self, queryset: QuerySet, *, few: bool = False) -> None:
        self.queryset = queryset
        self.ordered = queryset.ordered
        self.few = few
        self._count: int | None = None
        self._ids: list | None = None

    def count(self) -> int:
        if self._count is None:
            self._prepare()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if self._count is None:
            self._prepare()
        if self._ids is not None:
            ids = self._ids[index]
        else:
            ids = list(self.queryset.values_list("pk", flat=True)[index])
        # The ids passed the filters already: the rows are read by primary key alone.
        rows = self.queryset.model._base_manager.using(self.queryset.db).filter(pk__in=ids)
        rows.query.select_related = self.queryset.query.select_related
        by_pk = {row.pk: row for row in rows} if ids else {}
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def _prepare(self) -> None:
        fields = self._python_ordered_fields()
        if fields and not self.few:
            self._count = self.queryset.count()
            if self._count > self.SMALL:
                return
        if fields:
            # Without ORDER BY or a LIMIT below the expected size, the planner does not
            # pick a plan that only pays off when it can stop early.
            limit = self.SMALL + 1 if self.few else self._count
            rows = list(self.queryset.order_by().values_list(*fields, "pk")[:limit])
            if len(rows) <= self.SMALL:
                rows.sort(key=lambda row: tuple(_orderable(value) for value in row[:-1]))
                self._ids = [row[-1] for row in rows]
                self._count = len(rows)
                return
        self._count = self.queryset.count()

    def _python_ordered_fields(self) -> list[str]:
        fields = list(self.queryset.query.order_by)
        opts = self.queryset.model._meta
        for name in fields:
            if not isinstance(name, str) or name.startswith("-") or "__" in name:
                return []
            field = opts.pk if name == "pk" else opts.get_field(name)
            if field.null or field.get_internal_type() not in self._PYTHON_ORDERED:
                return []
        return fields


def _orderable(value: object) -> object:
    return bytes(value) if isinstance(value, memoryview) else value


def refresh_derived_data() -> None:
    """Recount direct members and complete the name dictionary (`derived.refresh`)."""
    derived.refresh(connection)


def ancestors(org: Organization) -> QuerySet[Organization]:
    """The chain from the root down to the organization's parent, in one query."""
    steplen = Organization.steplen
    paths = [org.path[:i] for i in range(steplen, len(org.path), steplen)]
    return Organization.objects.filter(path__in=paths).order_by("depth")
