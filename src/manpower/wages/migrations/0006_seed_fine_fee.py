"""The Wage Protection System's fine, OMR 50.000 per worker not paid correctly (DOMAIN-RULES.md;
doubled on a repeat by billing twice the quantity), as a row of payments' fee schedule. Staff
change the amount with a new fee row (`fee_set`), never by editing this one."""

from functools import partial
from importlib import import_module

from django.db import migrations

schedule = import_module("manpower.payments.migrations.0002_seed_fee_schedule")

FEES = [
    (
        "WPS_FINE",
        "Wage protection fine, per worker not paid correctly",
        "غرامة حماية الأجور، لكل عامل لم يُدفع أجره على الوجه الصحيح",
        50_000,
    ),
]

seed = partial(schedule.seed, fees=FEES)
unseed = partial(schedule.unseed, fees=FEES)


class Migration(migrations.Migration):
    dependencies = [
        ("wages", "0005_compliance"),
        ("payments", "0005_seed_licence_fee_categories"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
