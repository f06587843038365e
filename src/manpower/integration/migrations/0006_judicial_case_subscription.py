"""The courts subscribe to the labour cases the ministry refers (labourcare's
`labour_case.referred`): delivered to the partner simulators' court registry until an operator
gives the courts' own address and secret in the admin."""

import secrets

from django.db import migrations

URL = "http://127.0.0.1:8765/judicial/cases"
EVENT_TYPES = ["labour_case.referred"]


def subscribe(apps, schema_editor):
    Agency = apps.get_model("integration", "Agency")
    Subscription = apps.get_model("integration", "Subscription")
    courts = Agency.objects.filter(code="courts").first()
    if courts and not Subscription.objects.filter(agency=courts, event_types=EVENT_TYPES).exists():
        Subscription.objects.create(
            agency=courts, event_types=EVENT_TYPES, url=URL, secret=secrets.token_urlsafe(32)
        )


def unsubscribe(apps, schema_editor):
    apps.get_model("integration", "Subscription").objects.filter(
        agency__code="courts", url=URL
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("integration", "0005_file_exchange_wps_archive")]
    operations = [migrations.RunPython(subscribe, unsubscribe)]
