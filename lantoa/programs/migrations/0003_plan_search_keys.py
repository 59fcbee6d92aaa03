"""Fill the search key of plans created before it existed."""

from django.db import migrations

from lantoa.core.text import search_key


def fill(apps, schema_editor):
    Plan = apps.get_model("programs", "Plan")
    for plan in Plan.objects.filter(search_key=""):
        plan.search_key = search_key(f"{plan.symbol} {plan.title}")
        plan.save(update_fields=["search_key"])


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_direction_and_registration")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
