"""The commercial licence fees of the other profession categories (DOMAIN-RULES.md): second
OMR 251.000, third OMR 201.000, investor OMR 301.000, non-profit bodies OMR 101.000 per worker
(the first category is LICENCE_COMMERCIAL, OMR 301.000, seeded by 0002). Staff change an
amount with a new fee row (`fee_set`), never by editing these. A second run adds nothing.
"""

from functools import partial
from importlib import import_module

from django.db import migrations

# 0002's seeding, from the same date (2016-01-01), with these rows.
schedule = import_module("manpower.payments.migrations.0002_seed_fee_schedule")

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


seed = partial(schedule.seed, fees=FEES)
unseed = partial(schedule.unseed, fees=FEES)


class Migration(migrations.Migration):
    dependencies = [("payments", "0004_payment_session_names")]
    operations = [migrations.RunPython(seed, unseed)]
