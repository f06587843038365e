"""A labour complaint in a real browser: the worker files it from the complaints page with a
payslip, a labour-care officer of the governorate takes it up, sets a meeting with both parties
and refers it to court; the court's judgment (on the partner API, here its service) shows on the
worker's page, and the employer's representative sees the complaint too. Every page on the way
goes through `check_page` (Arabic and English, 1366 and 390 px, axe, no overflow). On the way,
the officer, a supervisor, posts a second officer to the governorate and ends the posting."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from manpower.accounts.models import Department, Role
from manpower.core.actor import Actor
from manpower.labourcare import services
from manpower.labourcare.models import Complaint, OfficerPosting
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
    muscat,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def follow(visitor, selector: str) -> None:
    visitor.page.locator(selector).first.click()
    visitor.page.wait_for_load_state()
    visitor.check()


def test_a_wage_complaint_goes_to_a_meeting_then_to_court_and_its_judgment_is_seen(visitor):
    establishment = EstablishmentFactory(name_en="Al Noor Trading", name_ar="النور للتجارة")
    representative = UserFactory(
        role=Role.ESTABLISHMENT_REP, full_name_en="Hamed Al Said", full_name_ar="حامد السعيد"
    )
    RepresentationFactory(user=representative, establishment=establishment)
    person = PersonFactory(name_en="Ravi Kumar", name_ar="رافي كومار")
    EmploymentFactory(person=person, establishment=establishment)
    worker = UserFactory(
        civil_number=person.civil_number, full_name_en=person.name_en, full_name_ar=person.name_ar
    )
    officer = UserFactory(
        username="care-officer",
        role=Role.OFFICER,
        department=Department.LABOUR_CARE,
        full_name_en="Aisha Al Balushi",
        full_name_ar="عائشة البلوشية",
    )
    OfficerPosting.objects.create(user=officer, governorate=muscat(), is_supervisor=True)
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    page = visitor.page

    # The worker: complaints page → file a complaint with a payslip.
    visitor.sign_in(worker.username)
    visitor.open("/labour-care/complaints/")
    follow(visitor, "main a[href='/labour-care/complaints/new']")
    page.select_option("select[name=employer]", establishment.cr_number)
    page.select_option("select[name=category]", "WAGES_UNPAID")
    page.fill("textarea[name=description]", "لم تصرف أجور شهري سبتمبر وأكتوبر.")
    page.fill("input[name=claimed_amount]", "300.000")
    page.fill("input[name=arose_date]", (timezone.localdate() - dt.timedelta(days=40)).isoformat())
    page.set_input_files(
        "input[name=evidence]",
        files=[{"name": "payslip.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    visitor.submit()
    complaint = Complaint.objects.get()
    assert page.url.endswith(f"/labour-care/complaints/{complaint.number}/")
    assert "payslip.pdf" in page.content()
    visitor.check()

    # The officer: the queue → the complaint → take it up → a meeting → refer to court.
    page.context.clear_cookies()
    visitor.sign_in("care-officer", code=lambda: f"{totp(device.bin_key):06d}")
    visitor.open("/labour-care/complaints/officer/")
    follow(visitor, f"main a[href='/labour-care/complaints/{complaint.number}/']")
    page.locator("main form[action$='/assign'] button[type=submit]").click()
    page.wait_for_load_state()
    visitor.check()
    meeting_at = timezone.localtime() + dt.timedelta(days=4)
    page.fill("input[name=meeting_at]", meeting_at.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=place]", "مكتب الرعاية العمالية، مسقط")
    page.locator("main form[action$='/meeting'] button[type=submit]").click()
    page.wait_for_load_state()
    visitor.check()
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.MEETING_SCHEDULED
    page.fill("textarea[name=reason]", "لم يحضر صاحب العمل الاجتماع.")
    page.locator("main button[formaction$='/refer']").click()
    page.wait_for_load_state()
    visitor.check()
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.REFERRED_TO_COURT
    visitor.open("/labour-care/complaints/overdue/")

    # The supervisor: the postings page → post a second officer to Muscat → end the posting.
    UserFactory(
        username="care-officer-2",
        role=Role.OFFICER,
        department=Department.LABOUR_CARE,
        full_name_en="Salim Al Harthy",
        full_name_ar="سالم الحارثي",
    )
    visitor.open("/labour-care/complaints/")
    follow(visitor, "main a[href='/labour-care/complaints/postings/']")
    page.fill("input[name=username]", "care-officer-2")
    page.select_option("select[name=governorate]", "MA")
    visitor.submit()
    visitor.check()
    assert OfficerPosting.objects.filter(
        user__username="care-officer-2", governorate_id="MA"
    ).exists()
    page.locator("main button[aria-label$='care-officer-2']").click()
    page.wait_for_load_state()
    visitor.check()
    assert not OfficerPosting.objects.filter(user__username="care-officer-2").exists()

    # The court hears the case and judges for the worker (the partner API's service).
    court = Actor.system("court")
    case = complaint.case
    services.case_hearing_record(
        actor=court,
        now=timezone.now(),
        case=case,
        reference="H-1",
        hearing_at=timezone.now() + dt.timedelta(days=7),
        court_name="المحكمة الابتدائية بمسقط",
    )
    services.case_judgment_record(
        actor=court,
        now=timezone.now(),
        case=case,
        judgment_date=timezone.localdate(),
        judgment_for="WORKER",
        orders_transfer=True,
        dues_baisa=300_000,
        summary="يدفع صاحب العمل الأجور المستحقة.",
    )

    # The worker and the employer see the case and its judgment.
    page.context.clear_cookies()
    visitor.sign_in(worker.username)
    visitor.open(f"/labour-care/complaints/{complaint.number}/")
    assert "يدفع صاحب العمل الأجور المستحقة." in page.content()
    page.context.clear_cookies()
    visitor.sign_in(representative.username)
    visitor.open(f"/labour-care/complaints/establishments/{establishment.cr_number}/")
    follow(visitor, f"main a[href='/labour-care/complaints/{complaint.number}/']")
