"""The banks through which wages are paid in Oman: short code, BIC and names."""

from django.db import migrations

BANKS = [
    ("BMUS", "BMUSOMRX", "بنك مسقط", "Bank Muscat"),
    ("NBOM", "NBOMOMRX", "البنك الوطني العماني", "National Bank of Oman"),
    ("BDOF", "BDOFOMRU", "بنك ظفار", "Bank Dhofar"),
    ("SOHB", "BSHROMRU", "بنك صحار الدولي", "Sohar International Bank"),
    ("OABK", "OMABOMRU", "البنك العربي العماني", "Oman Arab Bank"),
    ("HSBC", "BBMEOMRX", "بنك إتش إس بي سي عُمان", "HSBC Bank Oman"),
    ("AHLI", "AUBOOMRU", "البنك الأهلي", "Ahli Bank"),
    ("BNZW", "BNZWOMRX", "بنك نزوى", "Bank Nizwa"),
    ("ALIZ", "IZZBOMRU", "بنك العز الإسلامي", "Alizz Islamic Bank"),
    ("SCBL", "SCBLOMRX", "بنك ستاندرد تشارترد", "Standard Chartered Bank"),
    ("QNBA", "QNBAOMRX", "بنك قطر الوطني", "Qatar National Bank"),
    ("HABB", "HABBOMRX", "بنك حبيب", "Habib Bank"),
    ("SBIN", "SBINOMRX", "بنك الدولة الهندي", "State Bank of India"),
    ("FABO", "NBADOMRX", "بنك أبوظبي الأول", "First Abu Dhabi Bank"),
]


def load(apps, schema_editor):
    Bank = apps.get_model("wages", "Bank")
    for code, bic, name_ar, name_en in BANKS:
        Bank.objects.update_or_create(
            code=code, defaults={"bic": bic, "name_ar": name_ar, "name_en": name_en}
        )


def unload(apps, schema_editor):
    apps.get_model("wages", "Bank").objects.filter(code__in=[b[0] for b in BANKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("wages", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
