"""The reference table of qualification levels, from below secondary to doctorate."""

from django.db import migrations

LEVELS = [
    ("BELOW_SECONDARY", 1, "أقل من الدبلوم العام", "Below secondary"),
    ("SECONDARY", 2, "دبلوم التعليم العام (ثانوي)", "Secondary (general education diploma)"),
    ("DIPLOMA", 3, "دبلوم", "Diploma"),
    ("BACHELOR", 4, "بكالوريوس", "Bachelor"),
    ("MASTER", 5, "ماجستير", "Master"),
    ("DOCTORATE", 6, "دكتوراه", "Doctorate"),
]


def seed(apps, schema_editor):
    Level = apps.get_model("jobs", "QualificationLevel")
    for code, rank, name_ar, name_en in LEVELS:
        Level.objects.update_or_create(
            code=code, defaults={"rank": rank, "name_ar": name_ar, "name_en": name_en}
        )


def unseed(apps, schema_editor):
    apps.get_model("jobs", "QualificationLevel").objects.filter(
        code__in=[code for code, *_ in LEVELS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
