"""`{% load imports %}`: whether to show the "Import" menu entry."""

from django import template

from lantoa.imports.forms import importable_kinds

register = template.Library()


@register.filter
def may_import(user) -> bool:
    """The user may import at least one kind of data somewhere (no query: grants are cached)."""
    return bool(getattr(user, "is_authenticated", False) and importable_kinds(user))


@register.filter
def may_import_kind(user, kind: str) -> bool:
    """The user may import this kind of data (by name) somewhere."""
    return bool(getattr(user, "is_authenticated", False)) and any(
        found.name == kind for found in importable_kinds(user)
    )
