"""The fee schedule for the catalogue's paid services, so that a fresh installation can bill them.

Commercial licences, labour card issues and renewals carry the catalogue's amount (category one,
OMR 301.000, DOMAIN-RULES.md), late renewal OMR 10.000 a month (billed as a quantity of months).
The other services say "as in the ministry's fee schedule" and no public source gives their
amount: those rows are demonstration values, to be replaced by staff with a new fee row (never
by editing this one). Frozen data, as a migration must be; a second
run adds nothing.
"""

import datetime as dt

from django.db import migrations

EFFECTIVE_FROM = dt.date(2016, 1, 1)

# service code, English name, Arabic name, amount in baisa
FEES = [
    (
        "LICENCE_COMMERCIAL",
        "Recruitment licence (commercial), per worker",
        "ترخيص استقدام (تجاري)، لكل عامل",
        301_000,
    ),
    (
        "CARD_RENEWAL_COMMERCIAL",
        "Labour card renewal (commercial)",
        "تجديد بطاقة العمل (تجاري)",
        301_000,
    ),
    (
        "LICENCE_PRIVATE",
        "Recruitment licence (private), per worker",
        "ترخيص استقدام (خاص)، لكل عامل",
        141_000,
    ),
    (
        "CARD_RENEWAL_PRIVATE",
        "Labour card renewal (private)",
        "تجديد بطاقة العمل (خاص)",
        141_000,
    ),
    (
        "CARD_ISSUE_COMMERCIAL",
        "Labour card issue (commercial)",
        "إصدار بطاقة العمل (تجاري)",
        301_000,
    ),
    (
        "CARD_ISSUE_PRIVATE",
        "Labour card issue (private)",
        "إصدار بطاقة العمل (خاص)",
        141_000,
    ),
    (
        "CARD_LATE_RENEWAL",
        "Late labour card renewal, per month",
        "التأخر في تجديد بطاقة العمل، عن كل شهر",
        10_000,
    ),
    ("DEPARTURE_FORM", "Departure form", "استمارة المغادرة", 5_000),
    (
        "TRANSFER_OF_SERVICES",
        "Transfer of a worker's services",
        "نقل خدمات عامل",
        201_000,
    ),
]


def seed(apps, schema_editor, fees=FEES):
    """Also seeds later migrations' fee rows (`fees`), from the same date."""
    Fee = apps.get_model("payments", "Fee")
    for code, name_en, name_ar, amount in fees:
        Fee.objects.get_or_create(
            service_code=code,
            effective_from_date=EFFECTIVE_FROM,
            defaults={"name_en": name_en, "name_ar": name_ar, "amount_baisa": amount},
        )


def unseed(apps, schema_editor, fees=FEES):
    """Only rows no invoice used can go; the others stay (InvoiceLine protects them)."""
    used = apps.get_model("payments", "InvoiceLine").objects.values("fee_id")
    apps.get_model("payments", "Fee").objects.filter(
        service_code__in=[row[0] for row in fees], effective_from_date=EFFECTIVE_FROM
    ).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
