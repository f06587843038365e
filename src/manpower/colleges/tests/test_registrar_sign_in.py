"""A registrar loads students' personal records: they sign in with an authenticator code as
ministry staff do, and the college's pages stay shut until they have."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from manpower.accounts.models import Role
from manpower.colleges.models import ImportBatch
from manpower.registry.tests.factories import UserFactory

from .conftest import students_file

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"
SIGN_IN = reverse("accounts:sign-in")
CODE = reverse("accounts:sign-in-code")
ENROL = reverse("accounts:totp-enrol")
COLLEGE = reverse("colleges:college", args=["HCT"])


@pytest.fixture
def registrar(college):
    user = UserFactory(
        username="registrar", role=Role.COLLEGE_REGISTRAR, college_code=college.code, language="en"
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def password_step(client):
    return client.post(SIGN_IN, {"identifier": "registrar", "password": PASSWORD})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def code_of(device) -> str:
    return f"{totp(device.bin_key):06d}"


def test_a_registrar_without_an_authenticator_is_sent_to_enrol(client, registrar):
    assert password_step(client).url == ENROL
    assert not signed_in(client)
    page = client.get(ENROL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ministry staff and college registrars sign in with a password and a code" in page
    device = TOTPDevice.objects.get(user=registrar, confirmed=False)
    assert client.post(ENROL, {"code": code_of(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed and signed_in(client)
    assert client.get(COLLEGE).status_code == 200


def test_a_registrar_with_an_authenticator_must_enter_its_code(client, registrar):
    device = TOTPDevice.objects.create(user=registrar, name="phone", confirmed=True)
    assert password_step(client).url == CODE
    assert not signed_in(client)
    client.post(CODE, {"code": code_of(device)})
    assert signed_in(client)
    page = client.get(COLLEGE)
    assert page.status_code == 200 and page.wsgi_request.user.is_verified()


def test_the_import_page_is_refused_after_the_password_alone(client, registrar, programme, intake):
    TOTPDevice.objects.create(user=registrar, name="phone", confirmed=True)
    password_step(client)
    assert client.get(COLLEGE).url.startswith(SIGN_IN)
    upload = client.post(COLLEGE, {"kind": "STUDENTS", "file": _file()}, HTTP_ACCEPT_LANGUAGE="en")
    assert upload.status_code == 302 and upload.url.startswith(SIGN_IN)
    assert not ImportBatch.objects.exists()


def _file():
    content = students_file("96123456,سالم العامري,Salim Al Amri,IT-DIP,2023-FALL")
    return SimpleUploadedFile("students.csv", content, content_type="text/csv")
