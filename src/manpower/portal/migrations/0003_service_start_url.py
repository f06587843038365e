"""The catalogue tells the truth: each service that is built gets the address where it starts;
the others are listed as not yet online."""

from django.db import migrations, models

# Service code → where it starts. Labour card services of an establishment start from the
# dashboard (choose the establishment, then its labour cards); visas and arrivals are recorded
# by the Royal Oman Police and shown with the licence.
START_URLS = {
    "LICENCE_COMMERCIAL": "/licences/apply/",
    "LICENCE_PRIVATE": "/licences/apply/",
    "VISA_AGAINST_LICENCE": "/licences/",
    "ARRIVAL_REGISTRATION": "/licences/",
    "CARD_RENEWAL_COMMERCIAL": "/dashboard/",
    "CARD_RENEWAL_PRIVATE": "/labour-cards/household/",
    "WORKER_DATA_MODIFICATION": "/dashboard/",
    "DEPARTURE_FORM": "/dashboard/",
    "TRANSFER_OF_SERVICES": "/dashboard/",
    "E_PAYMENT": "/payments/invoices/",
    "PKI_SIGN_IN": "/accounts/sign-in/certificate/",
}


def correct(apps, schema_editor):
    Service = apps.get_model("portal", "Service")
    Service.objects.exclude(code__in=START_URLS).update(is_online=False, start_url="")
    for code, url in START_URLS.items():
        Service.objects.filter(code=code).update(is_online=True, start_url=url)


def restore(apps, schema_editor):
    apps.get_model("portal", "Service").objects.update(is_online=True)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_seed_services")]
    operations = [
        migrations.AddField(
            model_name="service",
            name="start_url",
            field=models.CharField(blank=True, max_length=200, verbose_name="start address"),
        ),
        migrations.RunPython(correct, restore),
    ]
