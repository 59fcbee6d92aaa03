"""Read-side queries over the tree and its people; every figure is computed from records."""

import datetime

from django.db.models import Count, Q, QuerySet

from lantoa.orgs.history import subtree_q_on
from lantoa.orgs.models import Membership, Organization, Person


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
            Organization.objects.filter(
                path__startswith=parent.path, depth=parent.depth + 1
            ).order_by("archived", "path")
        )
    counts = subtree_member_counts(nodes)
    for node in nodes:
        node.member_count = counts.get(node.path, 0)
    return nodes


def subtree_member_counts(nodes: list[Organization]) -> dict[str, int]:
    """Current (non-archived) people in each node's subtree, keyed by node path."""
    if not nodes:
        return {}
    aggregates = {
        node.path: Count("id", filter=Q(organization__path__startswith=node.path)) for node in nodes
    }
    scope = Q()
    for node in nodes:
        scope |= Q(organization__path__startswith=node.path)
    row = Person.objects.filter(scope, archived=False).aggregate(
        **{f"n{i}": agg for i, agg in enumerate(aggregates.values())}
    )
    return {path: row[f"n{i}"] for i, path in enumerate(aggregates)}


def ancestors(org: Organization) -> QuerySet[Organization]:
    """The chain from the root down to the organization's parent, in one query."""
    steplen = Organization.steplen
    paths = [org.path[:i] for i in range(steplen, len(org.path), steplen)]
    return Organization.objects.filter(path__in=paths).order_by("depth")
