"""Nationalities (ISO 3166-1) and Oman's 11 governorates and 63 wilayats, from core/data/."""

from django.db import migrations

from manpower.core import reference


def load(apps, schema_editor):
    reference.load("nationalities", "governorates", "wilayats", apps=apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
