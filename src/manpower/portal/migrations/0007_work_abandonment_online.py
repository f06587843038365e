"""Work-abandonment reports are built: the catalogue entry goes online and starts on labour
care's page for them."""

from django.db import migrations

CODE = "WORK_ABANDONMENT_REPORT"
START_URL = "/labour-care/absconding/"


def online(apps, schema_editor):
    apps.get_model("portal", "Service").objects.filter(code=CODE).update(
        is_online=True, start_url=START_URL
    )


def offline(apps, schema_editor):
    apps.get_model("portal", "Service").objects.filter(code=CODE).update(
        is_online=False, start_url=""
    )


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_jobs_online")]
    operations = [migrations.RunPython(online, offline)]
