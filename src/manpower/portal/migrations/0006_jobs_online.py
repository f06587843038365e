"""The catalogue tells the truth: e-candidacy for private-sector vacancies is built (the jobs
app) and starts at the vacancy search, which leads a job seeker to their profile, an
establishment's representative to its vacancies and officers to their queue."""

from django.db import migrations

START_URLS = {"E_CANDIDACY": "/jobs/"}


def online(apps, schema_editor):
    Service = apps.get_model("portal", "Service")
    for code, url in START_URLS.items():
        Service.objects.filter(code=code).update(
            is_online=True, start_url=url, channel_mobile=True, channel_sanad=True
        )


def offline(apps, schema_editor):
    apps.get_model("portal", "Service").objects.filter(code__in=START_URLS).update(
        is_online=False, start_url=""
    )


class Migration(migrations.Migration):
    dependencies = [("portal", "0005_omanisation_certificate_online")]
    operations = [migrations.RunPython(online, offline)]
