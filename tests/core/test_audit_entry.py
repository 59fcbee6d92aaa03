"""The audit entry's own columns (docs/decisions.md, "Audit entries: indexes and keys")."""

import pytest
from django.db import connection

from lantoa.core import audit
from lantoa.core.models import AuditEntry
from tests.factories import PersonFactory, UserFactory, make_org

pytestmark = pytest.mark.django_db


def test_a_deleted_user_leaves_their_entries_without_an_actor():
    user = UserFactory()
    person = PersonFactory()
    entry = audit.record(person, "orgs.person.viewed", actor=user)

    user.delete()

    entry.refresh_from_db()
    assert entry.actor_id is None
    assert entry.object_pk == str(person.pk)


def test_the_subtree_filter_finds_entries_by_path_prefix():
    root = make_org(code="R")
    child = make_org(parent=root, code="R1")
    other = make_org(code="X")
    for org in (root, child, other):
        audit.record(PersonFactory(organization=org), "orgs.person.viewed")

    found = AuditEntry.objects.filter(
        verb="orgs.person.viewed", organization_path__startswith=root.path
    )

    assert sorted(found.values_list("organization_path", flat=True)) == sorted(
        [root.path, child.path]
    )


def test_keys_are_compared_byte_for_byte():
    """PostgreSQL: the "C" collation on the two key columns; SQLite compares bytes anyway
    (BINARY, its default, so no COLLATE clause)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT column_name, collation_name FROM information_schema.columns"
                " WHERE table_name = 'core_auditentry'"
                " AND column_name IN ('organization_path', 'object_pk') ORDER BY column_name"
            )
            assert cursor.fetchall() == [("object_pk", "C"), ("organization_path", "C")]
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'core_auditentry'")
            assert "COLLATE" not in cursor.fetchone()[0].upper()
