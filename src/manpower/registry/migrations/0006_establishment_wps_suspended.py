from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_establishment_workforce"),
    ]

    operations = [
        migrations.AddField(
            model_name="establishment",
            name="wps_suspended",
            field=models.BooleanField(
                db_default=False,
                default=False,
                verbose_name="suspended by the Wage Protection System",
            ),
        ),
    ]
