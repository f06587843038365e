"""The seven technical colleges (reference data): the Higher College of Technology in Muscat
and the colleges of technology of Al Musanna, Nizwa, Ibri, Ibra, Shinas and Salalah."""

from django.db import migrations

COLLEGES = (
    ("HCT", "الكلية التقنية العليا", "Higher College of Technology"),
    ("MCT", "الكلية التقنية بالمصنعة", "Al Musanna College of Technology"),
    ("NCT", "الكلية التقنية بنزوى", "Nizwa College of Technology"),
    ("IBRICT", "الكلية التقنية بعبري", "Ibri College of Technology"),
    ("IBRACT", "الكلية التقنية بإبراء", "Ibra College of Technology"),
    ("SHCT", "الكلية التقنية بشناص", "Shinas College of Technology"),
    ("SCT", "الكلية التقنية بصلالة", "Salalah College of Technology"),
)


def seed(apps, schema_editor):
    College = apps.get_model("colleges", "College")
    for code, name_ar, name_en in COLLEGES:
        College.objects.update_or_create(code=code, defaults={"name_ar": name_ar, "name_en": name_en})


def unseed(apps, schema_editor):
    apps.get_model("colleges", "College").objects.filter(
        code__in=[code for code, *_names in COLLEGES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("colleges", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
