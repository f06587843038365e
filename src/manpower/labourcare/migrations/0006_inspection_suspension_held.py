"""Whether an inspection's sanction holds the establishment's suspension (so lifts it when its
time is over): a sanction running when this was added is taken to have suspended it."""

from django.db import migrations, models


def running(apps, schema_editor):
    apps.get_model("labourcare", "Inspection").objects.filter(
        services_stopped_until__isnull=False, services_restored_at__isnull=True
    ).update(suspension_held=True)


class Migration(migrations.Migration):
    dependencies = [
        ("labourcare", "0005_absconding_salary_proof_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="inspection",
            name="suspension_held",
            field=models.BooleanField(default=False, verbose_name="holds the suspension"),
        ),
        migrations.RunPython(running, migrations.RunPython.noop),
    ]
