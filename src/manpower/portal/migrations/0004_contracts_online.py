"""The catalogue tells the truth: contract registration, resignation and termination are built
(the contracts app) and start on its page, which leads an establishment's representative to the
establishment's contracts and a worker to their own."""

from django.db import migrations

START_URLS = {
    "CONTRACT_REGISTRATION": "/contracts/",
    "RESIGNATION_TERMINATION": "/contracts/",
}


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
    dependencies = [("portal", "0003_service_start_url")]
    operations = [migrations.RunPython(online, offline)]
