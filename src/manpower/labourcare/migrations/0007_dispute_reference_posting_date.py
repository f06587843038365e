"""A dispute record names its police or court reference (one row per case) and who recorded it;
an officer's posting keeps when it was made (the supervisors' page of postings shows it)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def name_old_records(apps, schema_editor):
    """Rows recorded before the reference was asked for are named by their id, so that the
    one-row-per-reference constraint holds for them."""
    DisputeRecord = apps.get_model("labourcare", "DisputeRecord")
    for dispute in DisputeRecord.objects.filter(reference=""):
        DisputeRecord.objects.filter(pk=dispute.pk).update(reference=f"#{dispute.pk}")


class Migration(migrations.Migration):
    dependencies = [
        ("labourcare", "0006_inspection_suspension_held"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="disputerecord",
            options={
                "ordering": ["-recorded_at", "-id"],
                "verbose_name": "dispute record",
                "verbose_name_plural": "dispute records",
            },
        ),
        migrations.AddField(
            model_name="disputerecord",
            name="reference",
            field=models.CharField(
                default="", max_length=40, verbose_name="police or court reference"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="disputerecord",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recorded by",
            ),
        ),
        migrations.AddField(
            model_name="officerposting",
            name="posted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="posted at"),
        ),
        migrations.RunPython(name_old_records, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="disputerecord",
            constraint=models.UniqueConstraint(
                fields=("employment", "kind", "reference"), name="one_dispute_per_reference"
            ),
        ),
    ]
