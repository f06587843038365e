"""The commercial licence fees of the other profession categories (DOMAIN-RULES.md): second
OMR 251.000, third OMR 201.000, investor OMR 301.000, non-profit bodies OMR 101.000 per worker
(the first category is LICENCE_COMMERCIAL, OMR 301.000, seeded by 0002). Staff change an
amount with a new fee row (`fee_set`), never by editing these. A second run adds nothing.
"""

import datetime as dt

from django.db import migrations

EFFECTIVE_FROM = dt.date(2016, 1, 1)

# service code, English name, Arabic name, amount in baisa
FEES = [
    (
        "LICENCE_COMMERCIAL_SECOND",
        "Recruitment licence (commercial, second category), per worker",
        "ترخيص استقدام (تجاري، الفئة الثانية)، لكل عامل",
        251_000,
    ),
    (
        "LICENCE_COMMERCIAL_THIRD",
        "Recruitment licence (commercial, third category), per worker",
        "ترخيص استقدام (تجاري، الفئة الثالثة)، لكل عامل",
        201_000,
    ),
    (
        "LICENCE_COMMERCIAL_INVESTOR",
        "Recruitment licence (commercial, investor), per worker",
        "ترخيص استقدام (تجاري، مهن المستثمرين)، لكل عامل",
        301_000,
    ),
    (
        "LICENCE_COMMERCIAL_NON_PROFIT",
        "Recruitment licence (non-profit body), per worker",
        "ترخيص استقدام (جهة غير ربحية)، لكل عامل",
        101_000,
    ),
]


def seed(apps, schema_editor):
    Fee = apps.get_model("payments", "Fee")
    for code, name_en, name_ar, amount in FEES:
        Fee.objects.get_or_create(
            service_code=code,
            effective_from_date=EFFECTIVE_FROM,
            defaults={"name_en": name_en, "name_ar": name_ar, "amount_baisa": amount},
        )


def unseed(apps, schema_editor):
    """Only rows no invoice used can go; the others stay (InvoiceLine protects them)."""
    used = apps.get_model("payments", "InvoiceLine").objects.values("fee_id")
    apps.get_model("payments", "Fee").objects.filter(
        service_code__in=[row[0] for row in FEES], effective_from_date=EFFECTIVE_FROM
    ).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("payments", "0004_payment_session_names")]
    operations = [migrations.RunPython(seed, unseed)]
