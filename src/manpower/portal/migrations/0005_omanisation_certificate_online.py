"""The Omanisation compliance certificate is built: its catalogue entry goes online and starts
on the list of the representative's establishments (licensing's Omanisation pages)."""

from django.db import migrations

CODE = "OMANISATION_CERTIFICATE"
START_URL = "/licences/omanisation/"


def online(apps, schema_editor):
    apps.get_model("portal", "Service").objects.filter(code=CODE).update(
        is_online=True, start_url=START_URL
    )


def offline(apps, schema_editor):
    apps.get_model("portal", "Service").objects.filter(code=CODE).update(
        is_online=False, start_url=""
    )


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_contracts_online")]
    operations = [migrations.RunPython(online, offline)]
