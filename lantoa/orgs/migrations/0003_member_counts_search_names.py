"""Fast tree counts and name search at national scale (docs/decisions.md, bench/README.md).

- `Organization.direct_member_count` and the `orgs_search_name` dictionary, both kept by
  database triggers (`lantoa.orgs.derived`, which also re-creates them after every migrate);
- indexes that let the people list count a subtree, and find a page, from the index alone.
"""

from django.db import migrations, models


def forward(apps, schema_editor) -> None:
    from lantoa.orgs import derived

    derived.install(schema_editor.connection)
    derived.refresh(schema_editor.connection)


def backward(apps, schema_editor) -> None:
    from lantoa.orgs import derived

    derived.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_organizationmove"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="person", name="person_org_sort"),
        migrations.RemoveIndex(model_name="person", name="person_search"),
        migrations.RemoveIndex(model_name="person", name="person_sort"),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["sort_key", "id", "organization", "archived"], name="person_sort_covering"
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="direct_member_count",
            field=models.IntegerField(default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                fields=["path", "depth", "direct_member_count", "id"],
                name="org_path_members",
                opclasses=["varchar_pattern_ops", "int4_ops", "int4_ops", "int8_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["organization", "archived", "sort_key"], name="person_org_archived_sort"
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["search_key", "archived"], name="person_search_archived"),
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                fields=["depth", "path"],
                name="org_depth_path",
                opclasses=["int4_ops", "varchar_pattern_ops"],
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
