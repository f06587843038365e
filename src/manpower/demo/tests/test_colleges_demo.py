"""The colleges' demo: a registrar, students and grades imported, the individual a graduate."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from manpower.accounts.models import User
from manpower.colleges.models import Grade, ImportBatch, Student

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo():
    out = StringIO()
    call_command("load_demo", "--employers=10", "--workers=100", stdout=out)
    return out.getvalue()


def test_the_registrar_has_imported_students_and_the_individual_has_graduated():
    printed = load_demo()
    assert "COLLEGE_REGISTRAR" in printed and "registrar" in printed
    individual = User.objects.get(username="individual")
    assert User.objects.get(username="registrar").college_code == "HCT"
    # The registrar signs in with a code, as staff do: a demo device with the printed secret.
    assert TOTPDevice.objects.get(user__username="registrar", confirmed=True).config_url in printed
    assert Student.objects.filter(college__code="HCT").count() == 24
    assert Grade.objects.count() == 96
    graduate = Student.objects.get(civil_number=individual.civil_number)
    assert graduate.status == "GRADUATED" and graduate.job_seeker_consent_at is None
    load_demo()
    assert ImportBatch.objects.count() == 2 and Student.objects.count() == 24
