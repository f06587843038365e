"""A national worker's contract through the public interfaces only: the employer registers it
on the portal, the worker accepts it on the portal while social insurance is down (the
simulator, real HTTP), social insurance answers through its partner API, the certificate is
verified through the QR code printed on it, the employer terminates the service and the worker
objects, which the officers' page shows. Factories make only what exists before: the
establishment, its representative, the worker's registry record and account, an officer."""

from __future__ import annotations

import shutil
import subprocess
import urllib.parse

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from manpower.accounts.models import Department, Role
from manpower.contracts.tests.conftest import TODAY, agency
from manpower.integration import services as integration
from manpower.integration.models import Agency
from manpower.licensing.tests.conftest import seeded_agencies, simulator  # noqa: F401
from manpower.registry.tests.factories import (
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
    bricklayer,
    oman,
    seeb,
)

PASSWORD = "correct-horse-battery-9"
BASE = "/api/partners/v1/social-insurance"

pytestmark = pytest.mark.django_db(transaction=True)  # the simulator reads committed data


def sign_in(user) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:sign-in"), {"identifier": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def qr_address(pdf: bytes, tmp_path) -> str:
    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", "c.pdf", "page"], cwd=tmp_path, check=True
    )
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "page.png"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout.strip()


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")), reason="needs poppler and zbar"
)
def test_contract_from_registration_to_objection(simulator, system_actor, now, tmp_path, settings):  # noqa: F811
    settings.CONTRACTS_START_DATE_MAX_DAYS_PAST = 100_000  # the portal's clock is the real one
    bricklayer(), seeb()
    establishment = EstablishmentFactory(name_en="Al Noor Trading", name_ar="النور للتجارة")
    representative = UserFactory(role=Role.ESTABLISHMENT_REP, language="en")
    RepresentationFactory(user=representative, establishment=establishment)
    person = PersonFactory(
        is_national=True, nationality=oman(), passport_number="", name_en="Salim Al Harthy"
    )
    worker = UserFactory(civil_number=person.civil_number, language="en")
    officer = UserFactory(role=Role.OFFICER, department=Department.EMPLOYMENT, language="en")
    cr = establishment.cr_number

    employer = sign_in(representative)
    assert employer.get(reverse("contracts:index")).status_code == 200
    registered = employer.post(
        reverse("contracts:new", args=[cr]),
        {
            "civil_number": person.civil_number,
            "occupation": "7112",
            "kind": "UNLIMITED",
            "start_date": TODAY.isoformat(),
            "probation_months": "3",
            "weekly_hours": "45",
            "basic_wage": "420.000",
            "allowances": "30.000",
            "governorate": "MA",
            "wilayat": "MA-SEEB",
        },
        follow=True,
    )
    page = registered.content.decode()
    assert "Waiting for the worker" in page
    number = registered.resolver_match.kwargs["number"]

    # The worker sees it, and accepts while social insurance is down: the contract waits.
    agency(simulator, "social-insurance", down=True)
    me = sign_in(worker)
    assert number in me.get(reverse("contracts:mine")).content.decode()
    me.post(reverse("contracts:accept", args=[number]))
    detail = me.get(reverse("contracts:mine-detail", args=[number])).content.decode()
    assert "Waiting for social insurance" in detail
    staff = Client()
    staff.force_login(officer)  # staff sign in with a second factor; not this journey's subject
    assert number in staff.get(reverse("contracts:waiting")).content.decode()

    # Social insurance, back, answers on its partner API (twice: the same answer).
    agency(simulator, "social-insurance", down=False)
    _credential, key = integration.partner_key_create(
        actor=system_actor,
        agency=Agency.objects.get(code="social-insurance"),
        scopes=["social-insurance"],
        now=now,
    )
    for _ in range(2):
        answer = Client().post(
            f"{BASE}/contracts/{number}/insurance-registration",
            data={"registered": True},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        assert answer.status_code == 200 and answer.json()["status"] == "ACCEPTED"
    assert "Accepted" in me.get(reverse("contracts:mine-detail", args=[number])).content.decode()

    # The certificate's QR code leads to the public page, which says it is genuine.
    pdf = me.get(reverse("contracts:mine-certificate", args=[number]))
    assert pdf["Content-Type"] == "application/pdf"
    address = urllib.parse.urlsplit(qr_address(pdf.content, tmp_path))
    verified = Client(headers={"accept-language": "en"}).get(f"{address.path}?{address.query}")
    verified = verified.content.decode()
    assert "Genuine" in verified and "Not genuine" not in verified and number in verified

    # The employer terminates the service; the worker objects; officers see the objection.
    workers = employer.get(reverse("contracts:list", args=[cr])).content.decode()
    assert "Terminate the service" in workers
    employment_id = int(workers.split("/workers/")[1].split("/")[0])
    employer.post(
        reverse("contracts:terminate", args=[cr, employment_id]),
        {"ground": "ECONOMIC_REASONS", "last_day": timezone.localdate().isoformat(), "reason": ""},
    )
    mine = me.get(reverse("contracts:mine")).content.decode()
    assert "Object to the termination" in mine
    end_id = int(mine.split("/mine/ends/")[1].split("/")[0])
    me.post(
        reverse("contracts:object", args=[end_id]),
        {"objection": "My work was never faulted."},
    )
    assert (
        "My work was never faulted." in staff.get(reverse("contracts:objections")).content.decode()
    )
    notices = me.get(reverse("notifications:list")).content.decode()
    assert "Your employer ended your service" in notices
