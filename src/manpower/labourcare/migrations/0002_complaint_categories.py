"""The reference list of complaint categories (AR/EN, grouped), kept as a CSV in the app
(`data/complaint_categories.csv`) so that the ministry's list is read and changed as a table."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "complaint_categories.csv"


def rows():
    with open(CSV, encoding="utf-8", newline="") as text:
        yield from csv.DictReader(text)


def load(apps, schema_editor):
    Category = apps.get_model("labourcare", "ComplaintCategory")
    for row in rows():
        Category.objects.update_or_create(
            code=row["code"],
            defaults={
                "group": row["group"],
                "for_worker": row["for_worker"] == "1",
                "for_employer": row["for_employer"] == "1",
                "name_en": row["name_en"],
                "name_ar": row["name_ar"],
            },
        )


def unload(apps, schema_editor):
    apps.get_model("labourcare", "ComplaintCategory").objects.filter(
        code__in=[row["code"] for row in rows()]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("labourcare", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
