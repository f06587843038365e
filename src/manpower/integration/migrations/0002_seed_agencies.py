"""The agencies the ministry exchanges data with (DESIGN.md: 26+ integrated agencies)."""

from django.db import migrations

AGENCIES = [
    ("rop", "شرطة عمان السلطانية", "Royal Oman Police"),
    ("commerce", "وزارة التجارة والصناعة", "Ministry of Commerce and Industry"),
    ("chamber", "غرفة تجارة وصناعة عمان", "Oman Chamber of Commerce and Industry"),
    ("social-insurance", "الهيئة العامة للتأمينات الاجتماعية", "Public Authority for Social Insurance"),
    ("manpower-register", "هيئة سجل القوى العاملة", "Public Authority for Manpower Register"),
    ("central-bank", "البنك المركزي العماني", "Central Bank of Oman"),
    ("prosecution", "الادعاء العام", "Public Prosecution"),
    ("courts", "مجلس الشؤون الإدارية للقضاء", "Administrative Affairs Council for the Judiciary (courts)"),
    ("municipality", "بلدية مسقط", "Muscat Municipality"),
    ("ncsi", "المركز الوطني للإحصاء والمعلومات", "National Centre for Statistics and Information"),
    ("health", "وزارة الصحة", "Ministry of Health"),
    ("civil-status", "المديرية العامة للأحوال المدنية", "Directorate General of Civil Status"),
]


def seed(apps, schema_editor):
    Agency = apps.get_model("integration", "Agency")
    for code, name_ar, name_en in AGENCIES:
        Agency.objects.update_or_create(code=code, defaults={"name_ar": name_ar, "name_en": name_en})


def unseed(apps, schema_editor):
    apps.get_model("integration", "Agency").objects.filter(
        code__in=[code for code, _, _ in AGENCIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("integration", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
