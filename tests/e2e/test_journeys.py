"""The main journeys in a real browser; every page on the way goes through `check_page`."""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from manpower.accounts.models import Role
from manpower.core.actor import Actor, Channel
from manpower.labourcards import services as labourcards
from manpower.labourcards.models import CardRequest, LabourCard
from manpower.licensing import services as licensing
from manpower.licensing.models import Licence, LicenceApplication
from manpower.licensing.tests.conftest import domestic_cleaner
from manpower.licensing.tests.test_applications import employer
from manpower.payments.services import sanad_payment_record
from manpower.registry.tests.factories import (
    EmploymentFactory,
    PersonFactory,
    UserFactory,
    bricklayer,
    india,
    oman,
)

GOOD_CARD = "4111 1111 1111 1111"


def pay_online(visitor, invoice_number: str) -> None:
    """From the invoice page through the sandbox bank's card page to the paid invoice."""
    visitor.open(f"/payments/invoices/{invoice_number}/")
    visitor.page.locator("main form button[type=submit]").first.click()
    visitor.page.wait_for_url("**/payments/sandbox/pay/**")
    visitor.check()
    visitor.page.fill("input[name=card_number]", GOOD_CARD)
    visitor.page.locator("main form button[type=submit]").click()
    visitor.page.wait_for_load_state()
    visitor.check()


def read_qr(pdf: bytes, tmp_path) -> str:
    (tmp_path / "doc.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", "doc.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    return subprocess.run(
        ["zbarimg", "--quiet", "--raw", "page.png"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.fixture
def verify_here(settings, live_server):
    """Documents' QR codes point at the live server."""
    settings.DOCUMENTS_VERIFY_BASE_URL = live_server.url


@pytest.mark.usefixtures("simulator", "verify_here")
def test_an_employer_gets_a_licence_from_application_to_pdf_and_its_qr_verifies(visitor, tmp_path):
    establishment, representative = employer(nationals=2, non_nationals=8)
    bricklayer()
    india()
    visitor.sign_in(representative.username)
    visitor.open("/licences/")
    visitor.open("/licences/apply/")
    page = visitor.page
    page.select_option("select[name=kind]", "COMMERCIAL")
    page.select_option("select[name=establishment]", establishment.cr_number)
    page.fill("input[name=line-0-occupation_code]", "7112")
    page.fill("input[name=line-0-nationality]", "IND")
    page.select_option("select[name=line-0-gender]", "M")
    page.fill("input[name=line-0-count]", "2")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/licences/applications/**")
    visitor.check()
    application = LicenceApplication.objects.get(establishment=establishment)
    assert application.status == LicenceApplication.Status.AWAITING_PAYMENT

    pay_online(visitor, application.invoice_number)
    visitor.open(f"/licences/applications/{application.number}/")
    issue = page.locator("form[action$='/payment'] button")
    if issue.count():
        issue.click()
    else:
        page.locator("main a.button[href*='/licences/']").click()
    page.wait_for_load_state()
    licence = Licence.objects.get(application=application)
    assert page.url.endswith(f"/licences/{licence.number}/")
    visitor.check()

    pdf = page.request.get(f"{visitor.base_url}/licences/{licence.number}/licence.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        pytest.skip("reading the QR code needs poppler-utils and zbar-tools")
    address = urlsplit(read_qr(pdf.body(), tmp_path))
    visitor.open(f"{address.path}?{address.query}")
    assert licence.number in page.content()
    assert page.locator("main .badge, main .status").count()


def test_an_officer_decides_an_application_with_a_totp_code(visitor, simulator):
    establishment, representative = employer(nationals=5, non_nationals=5)
    bricklayer()
    india()
    application = licensing.application_submit(
        actor=Actor.for_user(representative),
        applicant=representative,
        kind="COMMERCIAL",
        establishment=establishment,
        lines=[licensing.LineRequest("7112", "IND", "M", 11)],
        now=timezone.now(),
    )
    assert application.status == LicenceApplication.Status.IN_REVIEW
    officer = UserFactory(username="officer", role=Role.OFFICER, department="LICENSING")
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)

    visitor.sign_in("officer", code=lambda: f"{totp(device.bin_key):06d}")
    visitor.open("/licences/queue/")
    visitor.page.locator(f"main a[href$='/queue/{application.number}/']").click()
    visitor.page.wait_for_load_state()
    visitor.check()
    page = visitor.page
    page.locator("input[name=decision][value=approve]").check()
    page.fill("textarea[name=reason]", "The site has room for six.")
    page.locator("main input[name^=granted_]").first.fill("6")
    page.locator("main form.stacked button[type=submit]").click()
    page.wait_for_load_state()
    visitor.check()
    application.refresh_from_db()
    assert application.status == LicenceApplication.Status.AWAITING_PAYMENT
    assert application.lines.get().granted == 6


def test_an_employer_renews_a_card_due_and_pays_for_it(visitor):
    establishment, representative = employer(nationals=2, non_nationals=2)
    actor = Actor.for_user(representative).acting_for("establishment", establishment.cr_number)
    two_years_ago = timezone.now() - dt.timedelta(days=2 * 365 - 10)
    employment = EmploymentFactory(
        establishment=establishment, person=PersonFactory(civil_number="71234567")
    )
    request = labourcards.card_issue_request(
        actor=actor, now=two_years_ago, employment=employment, kind="COMMERCIAL"
    )
    sanad_payment_record(
        actor=Actor(channel=Channel.SANAD, label="e2e"),
        now=two_years_ago,
        invoice_number=request.invoice.number,
        centre_code="S001",
        reference=secrets.token_hex(4),
        amount_baisa=request.invoice.amount_baisa,
    )
    card = labourcards.card_request_complete(actor=actor, now=two_years_ago, request=request).card
    LabourCard.objects.filter(pk=card.pk).update(
        expiry_date=timezone.localdate() + dt.timedelta(days=10)
    )

    visitor.sign_in(representative.username)
    visitor.open(f"/labour-cards/{establishment.cr_number}/?status=due")
    page = visitor.page
    page.locator(f"form[action$='/cards/{card.number}/renew'] button").click()
    page.wait_for_load_state()
    visitor.check()
    renewal = CardRequest.objects.get(kind=CardRequest.Kind.RENEWAL)
    pay_online(visitor, renewal.invoice.number)
    visitor.open(f"/labour-cards/{establishment.cr_number}/")
    complete = page.locator(f"form[action$='/requests/{renewal.pk}/complete'] button")
    if complete.count():
        complete.click()
        page.wait_for_load_state()
    card.refresh_from_db()
    assert card.status == LabourCard.Status.ACTIVE
    assert card.expiry_date > timezone.localdate() + dt.timedelta(days=365)


def test_a_household_gets_a_licence_for_a_domestic_worker(visitor, simulator):
    PersonFactory(is_national=True, nationality=oman(), civil_number="12345678")
    householder = UserFactory(civil_number="12345678", full_name_en="Salim")
    domestic_cleaner()
    india()
    visitor.sign_in(householder.username)
    visitor.open("/licences/apply/")
    page = visitor.page
    page.select_option("select[name=kind]", "PRIVATE")
    page.fill("input[name=line-0-occupation_code]", "9111")
    page.fill("input[name=line-0-nationality]", "IND")
    page.select_option("select[name=line-0-gender]", "F")
    page.fill("input[name=line-0-count]", "1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/licences/applications/**")
    visitor.check()
    application = LicenceApplication.objects.get(applicant=householder)
    pay_online(visitor, application.invoice_number)
    visitor.open(f"/licences/applications/{application.number}/")
    issue = page.locator("form[action$='/payment'] button")
    if issue.count():
        issue.click()
        page.wait_for_load_state()
    visitor.check()
    assert Licence.objects.filter(application=application).exists()
