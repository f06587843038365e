"""The catalogue tells the truth: a Sanad centre now files a worker's labour complaint at the
counter (`/labour-care/complaints/sanad/new`), so the complaint service is offered there and the
Sanad operators' dashboard lists it."""

from django.db import migrations


def at_sanad(apps, schema_editor):
    apps.get_model("portal", "Service").objects.filter(code="COMPLAINT").update(channel_sanad=True)


def not_at_sanad(apps, schema_editor):
    apps.get_model("portal", "Service").objects.filter(code="COMPLAINT").update(channel_sanad=False)


class Migration(migrations.Migration):
    dependencies = [
        ("labourcare", "0007_dispute_reference_posting_date"),
        ("portal", "0009_colleges_online"),
    ]
    operations = [migrations.RunPython(at_sanad, not_at_sanad)]
