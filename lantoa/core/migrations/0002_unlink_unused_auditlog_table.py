"""Unlink django-auditlog's own entry table, which Lan Tỏa does not use.

We swap auditlog's entry model for `core.AuditEntry`, but auditlog's first migrations
still create `auditlog_logentry` with a foreign key to `auth_user` (upstream issue
jazzband/django-auditlog#804). On PostgreSQL that key makes `TRUNCATE auth_user` fail
(test flushes, `manage.py flush`). The table stays empty; only its foreign keys go, so that
a later auditlog migration still finds the table it expects.
"""

from django.db import migrations

FOREIGN_KEYS = """
SELECT conname FROM pg_constraint
WHERE conrelid = to_regclass('auditlog_logentry') AND contype = 'f'
"""


def drop_foreign_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite flushes with DELETE, which these keys do not block
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FOREIGN_KEYS)
        for (name,) in cursor.fetchall():
            cursor.execute(f'ALTER TABLE auditlog_logentry DROP CONSTRAINT "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(drop_foreign_keys, migrations.RunPython.noop)]
