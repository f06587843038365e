"""ISIC Rev.4 sections and divisions, from core/data/economic_activities.csv."""

from django.db import migrations

from manpower.core import reference


def load(apps, schema_editor):
    reference.load("economic_activities", apps=apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_nationalities_and_places")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
