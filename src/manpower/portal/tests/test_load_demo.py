"""`manage.py load_demo`: the demo registry and one account per role, loaded once, usable at once
(sign-in with the printed password and, for staff, a code from the printed TOTP secret)."""

import base64
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from manpower.accounts.models import Role, User
from manpower.core.models import AuditEvent
from manpower.registry.models import Employment, Establishment, Person, Representation
from manpower.registry.tests.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Demo-2026!"


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
    assert User.objects.get(role=Role.OFFICER).department
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
    assert User.objects.count() == len(Role.values)


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
