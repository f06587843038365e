"""Where a work-abandonment report's salary proof comes from (the Wage Protection System's
files, an uploaded PDF, or waived) and the months the WPS shows paid; the waiver flag becomes
one of the sources."""

from django.db import migrations, models


def sources(apps, schema_editor):
    reports = apps.get_model("labourcare", "AbscondingReport").objects
    reports.filter(salary_proof_waived=True).update(salary_proof_source="WAIVED")


def waivers(apps, schema_editor):
    reports = apps.get_model("labourcare", "AbscondingReport").objects
    reports.filter(salary_proof_source="WAIVED").update(salary_proof_waived=True)


class Migration(migrations.Migration):
    dependencies = [
        ("labourcare", "0004_seed_objection_fine_fee"),
    ]

    operations = [
        migrations.AddField(
            model_name="abscondingreport",
            name="salary_proof_source",
            field=models.CharField(
                choices=[
                    ("WPS", "The Wage Protection System's salary files"),
                    ("UPLOAD", "A PDF the employer attached"),
                    ("WAIVED", "Waived: the worker has been in the country under a month"),
                ],
                default="UPLOAD",
                max_length=6,
                verbose_name="salary proof from",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="abscondingreport",
            name="salary_proof_months",
            field=models.JSONField(default=list, verbose_name="salary months paid in the WPS"),
        ),
        migrations.RunPython(sources, waivers),
        migrations.RemoveConstraint(
            model_name="abscondingreport",
            name="absconding_salary_proof_or_waiver",
        ),
        migrations.RemoveField(
            model_name="abscondingreport",
            name="salary_proof_waived",
        ),
        migrations.AddConstraint(
            model_name="abscondingreport",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("salary_proof_sha256", ""), ("salary_proof_source__in", ["WPS", "WAIVED"])
                    ),
                    models.Q(
                        ("salary_proof_source", "UPLOAD"),
                        models.Q(("salary_proof_sha256", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="absconding_salary_proof_known",
            ),
        ),
    ]
