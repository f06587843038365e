"""`manage.py load_demo`: the demo registry and one account per role, loaded once, usable at once
(sign-in with the printed password and, for staff, a code from the printed TOTP secret)."""

import base64
import re
import shutil
import subprocess
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from manpower.accounts.models import Role, User
from manpower.contracts.models import Contract
from manpower.core.models import AuditEvent
from manpower.demo.management.commands.load_demo import ACCOUNTS
from manpower.payments.models import Invoice
from manpower.registry.models import Employment, Establishment, Person, Representation
from manpower.registry.tests.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Demo-2026!"
INVOICE = re.compile(r"INV-[0-9A-F]{10}")


@pytest.fixture(autouse=True)
def debug(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests
    return settings


def load_demo(*args):
    out = StringIO()
    call_command("load_demo", "--employers=30", "--workers=400", *args, stdout=out)
    return out.getvalue()


def state():
    return {
        "rows": [
            model.objects.count()
            for model in (Establishment, Person, Employment, Representation, User, TOTPDevice)
        ],
        "audit": AuditEvent.objects.count(),
        "users": list(User.objects.order_by("username").values_list()),
        "devices": list(TOTPDevice.objects.order_by("id").values_list("user", "key")),
    }


def test_it_refuses_to_run_with_debug_off(debug):
    debug.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        load_demo()
    assert not User.objects.exists()
    assert not Establishment.objects.exists()


def test_the_default_dataset_is_300_employers_and_5000_workers():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert Establishment.objects.count() == 300
    assert Person.objects.count() == 5000


def test_it_loads_the_registry_and_one_account_per_role():
    output = load_demo()

    assert Establishment.objects.count() == 30
    assert Person.objects.count() == 400
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    for role in Role.values:
        assert re.search(rf"{role}\s+\S+\s+{re.escape(PASSWORD)}", output)
    admin = User.objects.get(role=Role.ADMINISTRATOR)
    assert admin.is_staff and admin.is_superuser
    assert all(User.objects.filter(role=Role.OFFICER).values_list("department", flat=True))
    for user in User.objects.filter(role__in=[Role.OFFICER, Role.INSPECTOR, Role.ADMINISTRATOR]):
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        assert base64.b32encode(device.bin_key).decode() in output
        assert device.config_url in output


def test_the_representative_acts_for_two_seeded_establishments_and_the_individual_is_a_national():
    load_demo()

    employer = User.objects.get(role=Role.ESTABLISHMENT_REP)
    represented = Establishment.objects.filter(representatives__user=employer)
    assert represented.count() == 2
    largest = max(Establishment.objects.all(), key=lambda e: e.employments.count())
    assert largest in represented
    individual = User.objects.get(role=Role.INDIVIDUAL)
    person = Person.objects.get(civil_number=individual.civil_number)
    assert person.is_national
    assert person.employments.filter(status="ACTIVE").exists()


def test_the_individual_finds_the_employers_contract_from_the_dashboard_and_accepts_it(client):
    output = load_demo()
    contract = Contract.objects.get()
    assert contract.status == Contract.Status.SUBMITTED
    assert f"Contract {contract.number}" in output
    employer = User.objects.get(role=Role.ESTABLISHMENT_REP)
    assert contract.establishment.representatives.filter(user=employer).exists()
    individual = User.objects.get(role=Role.INDIVIDUAL)
    assert contract.person.civil_number == individual.civil_number

    client.post(reverse("accounts:sign-in"), {"identifier": "individual", "password": PASSWORD})
    assert reverse("contracts:mine") in client.get(reverse("portal:dashboard")).content.decode()
    assert contract.number in client.get(reverse("contracts:mine")).content.decode()
    client.post(reverse("contracts:accept", args=[contract.number]))
    contract.refresh_from_db()
    assert contract.status != Contract.Status.SUBMITTED  # accepted, or waiting for insurance
    load_demo()
    assert Contract.objects.get() == contract  # kept: no second contract to accept


def test_a_second_run_changes_nothing():
    load_demo()
    before = state()

    output = load_demo()

    assert state() == before
    assert "already holds data" in output


def test_an_existing_registry_is_kept_and_the_accounts_still_come():
    existing = EstablishmentFactory()
    load_demo()

    assert list(Establishment.objects.all()) == [existing]
    assert Representation.objects.get().establishment == existing
    assert User.objects.count() == len(ACCOUNTS) + 1  # and the college registrar


def test_the_representative_signs_in_with_the_demo_password_and_sees_the_workers(client):
    load_demo()
    cr = Establishment.objects.filter(representatives__user__username="employer").first().cr_number

    response = client.post(
        reverse("accounts:sign-in"), {"identifier": "employer", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("portal:workers", kwargs={"cr": cr})).status_code == 200


def test_staff_sign_in_with_a_code_from_the_printed_secret(client):
    output = load_demo()
    secret = re.search(r"otpauth://totp/Manpower%3Aofficer\?secret=([A-Z2-7]+)", output).group(1)
    code = f"{TOTP(base64.b32decode(secret)).token():06d}"

    client.post(reverse("accounts:sign-in"), {"identifier": "officer", "password": PASSWORD})
    response = client.post(reverse("accounts:sign-in-code"), {"code": code})

    assert response.status_code == 302
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_totp_code_prints_the_current_code_of_a_demo_staff_account():
    load_demo()
    device = TOTPDevice.objects.get(user__username="inspector")

    output = load_demo("--totp-code", "inspector").strip()

    assert output == f"{TOTP(device.bin_key).token():06d}"
    with pytest.raises(CommandError, match="not a demo staff account"):
        load_demo("--totp-code", "employer")


def test_the_employer_has_a_labour_card_renewal_and_a_departure_form_to_pay():
    output = load_demo()

    cr = Establishment.objects.filter(representatives__user__username="employer").first().cr_number
    unpaid = Invoice.objects.filter(payer_cr_number=cr, status=Invoice.Status.UNPAID)
    assert sorted(unpaid.values_list("service_code", "amount_baisa")) == [
        ("CARD_RENEWAL_COMMERCIAL", 301_000),
        ("DEPARTURE_FORM", 5_000),
    ]
    for number in unpaid.values_list("number", flat=True):
        assert number in output
    assert "4111 1111 1111 1111" in output


def test_a_second_run_adds_an_invoice_only_for_a_service_left_with_none_to_pay():
    load_demo()
    renewal = Invoice.objects.get(service_code="CARD_RENEWAL_COMMERCIAL")
    Invoice.objects.filter(pk=renewal.pk).update(status=Invoice.Status.CANCELLED)

    load_demo()

    assert Invoice.objects.filter(service_code="DEPARTURE_FORM").count() == 1
    renewals = Invoice.objects.filter(service_code="CARD_RENEWAL_COMMERCIAL")
    assert renewals.count() == 2
    assert renewals.filter(status=Invoice.Status.UNPAID).exclude(pk=renewal.pk).exists()


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="needs poppler-utils and zbar-tools",
)
def test_the_employer_pays_in_the_sandbox_and_the_receipt_qr_opens_a_genuine_verification(
    client, tmp_path
):
    """The issue's journey, all through HTTP: sign in, My invoices, pay with the test card,
    download the receipt, scan its QR code from the rendered page, open the address."""
    load_demo()
    english = {"accept-language": "en"}
    signed_in = client.post(
        reverse("accounts:sign-in"), {"identifier": "employer", "password": PASSWORD}
    )
    assert signed_in.status_code == 302

    home = client.get(reverse("portal:dashboard"), headers=english).content.decode()
    assert f'href="{reverse("payments:invoices")}"' in home
    listing = client.get(reverse("payments:invoices"), headers=english)
    assert listing.status_code == 200
    number = Invoice.objects.get(service_code="DEPARTURE_FORM").number
    assert number in INVOICE.findall(listing.content.decode())

    invoice_page = client.get(reverse("payments:invoice", kwargs={"number": number}))
    assert invoice_page.status_code == 200
    to_gateway = client.post(reverse("payments:pay", kwargs={"number": number}))
    assert to_gateway.status_code == 302
    assert client.get(to_gateway.url).status_code == 200
    back = client.post(to_gateway.url, {"card_number": "4111 1111 1111 1111"})
    assert back.status_code == 302
    result = client.get(back.url, headers=english).content.decode()
    receipt_url = reverse("payments:receipt", kwargs={"number": number})
    assert receipt_url in result  # the "paid" answer links the receipt

    receipt = client.get(receipt_url)
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    (tmp_path / "receipt.pdf").write_bytes(receipt.content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-singlefile", "receipt.pdf", "receipt"],
        cwd=tmp_path,
        check=True,
    )
    scanned = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "receipt.png"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    address = urlsplit(scanned)
    client.logout()  # anyone holding the paper can check it
    verification = client.get(f"{address.path}?{address.query}", headers=english)
    assert verification.status_code == 200
    page = verification.content.decode()
    assert "Genuine" in page and "Not genuine" not in page
    assert number in page and "OMR 5.000" in page
    assert Invoice.objects.get(number=number).status == Invoice.Status.PAID
