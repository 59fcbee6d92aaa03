"""The tree as it was on a day: subtree filters that undo later moves.

Organizations are moved (re-attached to another parent) and merged. A figure for a day
must count what sat under an organization on that day, not what sits there now. Moves
are few, so the tree of a past day is the current tree with the moves made after that
day undone: for every node moved later, the subtree it carries belongs where its
parent was on that day.

A merged organization is not "moved" for this purpose: it rolls up under the
organization it was merged into for every period, while its own name keeps its history.
"""

import datetime

from django.db.models import Q

from lantoa.orgs.models import Organization, OrganizationMove


def _prefix(field: str, path: str) -> Q:
    return Q(**{f"{field}__startswith": path})


class _PastTree:
    """Parent lookups for a past day: moved nodes take their former parent."""

    def __init__(self, day: datetime.date) -> None:
        self.former_parent: dict[int, Organization | None] = {}
        self.moved: list[Organization] = []
        moves = (
            OrganizationMove.objects.filter(moved_on__gt=day)
            .select_related("organization", "old_parent")
            .order_by("moved_on", "id")
        )
        for move in moves:
            if move.organization_id not in self.former_parent:
                self.former_parent[move.organization_id] = move.old_parent
                self.moved.append(move.organization)
        self._by_path: dict[str, Organization] = {}

    def parent(self, node: Organization) -> Organization | None:
        if node.pk in self.former_parent:
            return self.former_parent[node.pk]
        parent_path = node.path[: -Organization.steplen]
        if not parent_path:
            return None
        if parent_path not in self._by_path:
            self._by_path[parent_path] = Organization.objects.get(path=parent_path)
        return self._by_path[parent_path]

    def was_under(self, node: Organization, ancestor: Organization) -> bool:
        seen: set[int] = set()
        current: Organization | None = node
        while current is not None and current.pk not in seen:
            if current.pk == ancestor.pk:
                return True
            seen.add(current.pk)
            current = self.parent(current)
        return False


def subtree_q_on(org: Organization, day: datetime.date, field: str = "path") -> Q:
    """Rows whose organization (at `field`, a path) was in `org`'s subtree on `day`.

    A node belongs if its deepest moved ancestor-or-self was under `org` that day, or,
    when none of its ancestors moved since, if it is under `org` now.
    """
    past = _PastTree(day)
    if not past.moved:
        return _prefix(field, org.path)
    moved_paths = [node.path for node in past.moved]
    query = _prefix(field, org.path)
    for path in moved_paths:
        if path.startswith(org.path):
            query &= ~_prefix(field, path)
    for node in past.moved:
        if past.was_under(node, org):
            term = _prefix(field, node.path)
            for path in moved_paths:
                if path != node.path and path.startswith(node.path):
                    term &= ~_prefix(field, path)
            query |= term
    return query
