"""The technical colleges' student data system is built: its catalogue entry goes online and
starts at /colleges/ (a registrar's college, staff's reports, a student's own records)."""
from django.db import migrations

CODE = "COLLEGE_STUDENT_DATA"
START_URL = "/colleges/"


def online(apps, schema_editor):
    apps.get_model("portal", "Service").objects.filter(code=CODE).update(
        is_online=True, start_url=START_URL
    )


def offline(apps, schema_editor):
    apps.get_model("portal", "Service").objects.filter(code=CODE).update(
        is_online=False, start_url=""
    )


class Migration(migrations.Migration):
    dependencies = [("portal", "0008_complaints_online")]
    operations = [migrations.RunPython(online, offline)]
