"""The fine of an unjustified objection to a work-abandonment report (RO 400-800, MD 270/2018)
is billed as a quantity of this RO 1.000 fee row, so that the officer's amount within the range
goes through payments' ordinary invoice."""

import datetime as dt

from django.db import migrations

FEE = (
    "ABSCONDING_OBJECTION_FINE",
    "Fine for an unjustified objection to a work-abandonment report, per rial",
    "غرامة الاعتراض غير المبرر على بلاغ ترك العمل، لكل ريال",
    1_000,
)
EFFECTIVE_FROM = dt.date(2016, 1, 1)


def seed(apps, schema_editor):
    code, name_en, name_ar, amount = FEE
    apps.get_model("payments", "Fee").objects.get_or_create(
        service_code=code,
        effective_from_date=EFFECTIVE_FROM,
        defaults={"name_en": name_en, "name_ar": name_ar, "amount_baisa": amount},
    )


def unseed(apps, schema_editor):
    used = apps.get_model("payments", "InvoiceLine").objects.values("fee_id")
    apps.get_model("payments", "Fee").objects.filter(
        service_code=FEE[0], effective_from_date=EFFECTIVE_FROM
    ).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("labourcare", "0003_absconding"),
        ("payments", "0005_seed_licence_fee_categories"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
