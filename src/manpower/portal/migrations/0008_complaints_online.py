"""The catalogue tells the truth: labour complaints and the labour disputes they become (the
labourcare app) are built and start on the complaints page, which leads a worker to their own
complaints, an employer's representative to the establishment's, and an officer to the queues."""

from django.db import migrations

START_URLS = {
    "COMPLAINT": "/labour-care/complaints/",
    "LABOUR_DISPUTE": "/labour-care/complaints/",
}


def online(apps, schema_editor):
    Service = apps.get_model("portal", "Service")
    for code, url in START_URLS.items():
        Service.objects.filter(code=code).update(is_online=True, start_url=url, channel_mobile=True)


def offline(apps, schema_editor):
    apps.get_model("portal", "Service").objects.filter(code__in=START_URLS).update(
        is_online=False, start_url=""
    )


class Migration(migrations.Migration):
    dependencies = [("portal", "0007_work_abandonment_online")]
    operations = [migrations.RunPython(online, offline)]
