"""A work-abandonment report in a real browser, in Arabic and English at both widths: the
employer's representative files it (the salaries paid through the Wage Protection System are
its proof, nothing uploaded), a labour-care officer approves it, the worker objects from
"Reports about me", the officer upholds the objection; then the
officer opens an inspection of the establishment and assigns it, and the inspector records the
visit from their queue. Every page on the way goes through `check_page`."""

from __future__ import annotations

import datetime as dt
import secrets

from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from manpower.accounts.models import Department, Role
from manpower.core.actor import Actor, Channel
from manpower.labourcards import services as labourcards
from manpower.labourcare.models import Inspection
from manpower.labourcare.selectors import absconding as reports
from manpower.payments.services import fee_set, sanad_payment_record
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
)
from manpower.wages.tests.factories import salary_paid

SANAD = Actor(channel=Channel.SANAD, label="e2e")


def worker_with_card(establishment):
    """A non-national of the establishment with a labour card, issued through the paid flow."""
    at = timezone.now() - dt.timedelta(days=400)
    fee_set(
        actor=SANAD,
        now=at,
        service_code="CARD_ISSUE_COMMERCIAL",
        name_en="Labour card issue",
        name_ar="إصدار بطاقة عمل",
        amount_baisa=201_000,
        effective_from_date=at.date(),
    )
    person = PersonFactory(name_en="Ravi Kumar", name_ar="رافي كومار")
    employment = EmploymentFactory(person=person, establishment=establishment, start_date=at.date())
    request = labourcards.card_issue_request(
        actor=SANAD, now=at, employment=employment, kind="COMMERCIAL"
    )
    sanad_payment_record(
        actor=SANAD,
        now=at,
        invoice_number=request.invoice.number,
        centre_code="S001",
        reference=secrets.token_hex(4),
        amount_baisa=request.invoice.amount_baisa,
    )
    labourcards.card_request_complete(actor=SANAD, now=at, request=request)
    return employment


def staff(username, role, department):
    user = UserFactory(
        username=username, role=role, department=department, full_name_en=username.title()
    )
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return lambda: f"{totp(device.bin_key):06d}"


def click(visitor, selector: str) -> None:
    visitor.page.locator(selector).first.click()
    visitor.page.wait_for_load_state()
    visitor.check()


def test_a_report_is_filed_approved_objected_to_and_revoked(visitor):
    establishment = EstablishmentFactory(name_en="Al Noor Trading", name_ar="النور للتجارة")
    representative = UserFactory(
        role=Role.ESTABLISHMENT_REP, full_name_en="Hamed Al Said", full_name_ar="حامد السعيد"
    )
    RepresentationFactory(user=representative, establishment=establishment)
    employment = worker_with_card(establishment)
    worker = UserFactory(
        civil_number=employment.person.civil_number,
        full_name_en="Ravi Kumar",
        full_name_ar="رافي كومار",
    )
    officer_code = staff("careofficer", Role.OFFICER, Department.LABOUR_CARE)
    inspector_code = staff("inspector", Role.INSPECTOR, Department.INSPECTION)
    cr = establishment.cr_number
    page = visitor.page
    last_day = timezone.localdate() - dt.timedelta(days=10)
    year, month = last_day.year, last_day.month
    for _step in range(3):  # the three salary months before it, paid through the WPS
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        salary_paid(employment, year, month)

    # The representative files the report.
    visitor.sign_in(representative.username)
    visitor.open("/labour-care/absconding/")
    click(visitor, f"main a[href='/labour-care/absconding/{cr}/']")
    click(visitor, f"main a[href='/labour-care/absconding/{cr}/new/']")
    page.select_option("select[name=employment]", str(employment.pk))
    assert page.locator("input[name=salary_proof]").count() == 0  # the WPS is the proof
    page.fill("input[name=last_working_date]", last_day.isoformat())
    page.check("input[name=return_ticket]")
    visitor.submit()
    visitor.check()
    report = reports.reports_of_establishment(establishment=establishment).get()
    assert report.number in page.content()

    # The labour-care officer approves it.
    page.context.clear_cookies()
    visitor.sign_in("careofficer", code=officer_code)
    visitor.open("/labour-care/absconding/officer/")
    click(visitor, f"main a[href='/labour-care/absconding/officer/{report.number}/']")
    page.locator("input[name=decision][value=approve]").check()
    visitor.submit()
    visitor.check()
    report.refresh_from_db()
    assert report.status == "APPROVED"

    # The worker objects.
    page.context.clear_cookies()
    visitor.sign_in(worker.username)
    visitor.open("/labour-care/absconding/mine/")
    click(visitor, f"main a[href='/labour-care/absconding/mine/{report.number}/object/']")
    page.fill("textarea[name=grounds]", "I was in hospital from that day; the record is attached.")
    visitor.submit()
    visitor.check()

    # The officer upholds the objection: the report is revoked.
    page.context.clear_cookies()
    visitor.sign_in("careofficer", code=officer_code)
    visitor.open(f"/labour-care/absconding/officer/{report.number}/")
    page.locator("input[name=objection-decision][value=uphold]").check()
    page.fill("textarea[name=objection-reason]", "The hospital confirmed the stay.")
    page.locator("main section form button[type=submit]").click()
    page.wait_for_load_state()
    visitor.check()
    report.refresh_from_db()
    assert report.status == "REVOKED"

    # The officer opens an inspection and assigns the inspector.
    visitor.open("/labour-care/inspections/")
    page.fill("input[name=cr_number]", cr)
    page.fill("textarea[name=note]", "Workers' petition")
    visitor.submit()
    visitor.check()
    page.select_option("select[name=inspector]", label="Inspector")
    page.fill("input[name=visit_date]", (timezone.localdate() + dt.timedelta(days=2)).isoformat())
    visitor.submit()
    visitor.check()

    # The inspector records the visit from the queue.
    page.context.clear_cookies()
    visitor.sign_in("inspector", code=inspector_code)
    visitor.open("/labour-care/inspections/queue/")
    click(visitor, "main a[href^='/labour-care/inspections/IN-']")
    page.locator("input[name=result][value=COMPLIANT]").check()
    page.fill("textarea[name=findings]", "Wages paid on time; records kept.")
    visitor.submit()
    visitor.check()
    inspection = Inspection.objects.get()
    assert inspection.result == "COMPLIANT"
