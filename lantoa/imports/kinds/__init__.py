"""Every kind of data the import engine knows, by name (the URL and `ImportJob.kind`)."""

from lantoa.imports.base import Kind
from lantoa.imports.kinds import (
    activities,
    commitments,
    nominations,
    organizations,
    people,
    ratings,
)

__all__ = ["KINDS", "get_kind"]

KINDS: dict[str, Kind] = {
    module.KIND.name: module.KIND
    for module in (organizations, people, commitments, ratings, activities, nominations)
}


def get_kind(name: str) -> Kind:
    """The kind called `name`; KeyError when there is none."""
    return KINDS[name]
