"""ISCO-08 major, sub-major, minor and unit groups, from core/data/occupations.csv."""

from django.db import migrations

from manpower.core import reference


def load(apps, schema_editor):
    reference.load("occupations", apps=apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_economic_activities")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
