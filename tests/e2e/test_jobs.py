"""The job market in a real browser: an employer's representative posts a vacancy, a national
job seeker finds it by an Arabic search written without hamza and applies, the employer
shortlists, offers and hires (which registers the contract), and the seeker sees the contract;
an officer searches the register. Every page on the way goes through `check_page`."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from manpower.accounts.models import Department, Role
from manpower.core.actor import Actor
from manpower.jobs import services
from manpower.jobs.models import Candidacy, Vacancy
from manpower.registry.tests.factories import (
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
    bricklayer,
    oman,
    seeb,
)


def follow(visitor, selector: str) -> None:
    visitor.page.locator(selector).first.click()
    visitor.page.wait_for_load_state()
    visitor.check()


def press(visitor, action: str) -> None:
    visitor.page.locator(f"main form[action$='{action}'] button[type=submit]").first.click()
    visitor.page.wait_for_load_state()
    visitor.check()


def test_a_vacancy_is_posted_found_applied_to_and_filled(visitor):
    bricklayer(), seeb()
    establishment = EstablishmentFactory(name_en="Al Noor Trading", name_ar="النور للتجارة")
    representative = UserFactory(
        role=Role.ESTABLISHMENT_REP, full_name_en="Hamed Al Said", full_name_ar="حامد السعيد"
    )
    RepresentationFactory(user=representative, establishment=establishment)
    person = PersonFactory(
        is_national=True,
        nationality=oman(),
        passport_number="",
        name_en="Salim Al Harthy",
        name_ar="سالم الحارثي",
    )
    worker = UserFactory(
        civil_number=person.civil_number, full_name_en=person.name_en, full_name_ar=person.name_ar
    )
    now = timezone.now()
    services.job_seeker_register_graduate(
        actor=Actor.system("test"),
        now=now,
        civil_number=person.civil_number,
        qualification_level="BACHELOR",
        specialisation_en="Civil engineering",
        specialisation_ar="الهندسة المدنية",
        graduation_year=2025,
        college_code="",
    )
    officer = UserFactory(role=Role.OFFICER, department=Department.EMPLOYMENT)
    other = PersonFactory(
        is_national=True, nationality=oman(), name_en="Aisha Al Balushi", name_ar="عائشة البلوشية"
    )
    services.job_seeker_register_graduate(
        actor=Actor.system("test"),
        now=now,
        civil_number=other.civil_number,
        qualification_level="DIPLOMA",
        specialisation_en="Civil engineering",
        specialisation_ar="الهندسة المدنية",
        graduation_year=2024,
        college_code="",
    )
    cr = establishment.cr_number
    page = visitor.page

    # The representative: jobs → the establishment's vacancies → post one.
    visitor.sign_in(representative.username)
    visitor.open("/jobs/")
    follow(visitor, f"main a[href='/jobs/establishments/{cr}/']")
    follow(visitor, f"main a[href='/jobs/establishments/{cr}/new']")
    page.fill("input[name=title_ar]", "مشرف بناء أول")
    page.fill("input[name=title_en]", "Senior building supervisor")
    page.fill("input[name=occupation]", "7112")
    page.select_option("select[name=qualification]", "BACHELOR")
    page.fill("input[name=experience_years]", "0")
    page.select_option("select[name=governorate]", "MA")
    page.select_option("select[name=wilayat]", "MA-SEEB")
    page.fill("input[name=wage_min]", "500.000")
    page.fill("input[name=wage_max]", "700.000")
    page.fill("input[name=posts]", "1")
    page.fill(
        "input[name=closing_date]", (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    )
    visitor.submit()
    vacancy = Vacancy.objects.get(establishment=establishment)
    assert page.url.endswith(f"/jobs/establishments/{cr}/{vacancy.number}/")
    visitor.check()

    # The seeker finds it without the hamza, opens it and applies.
    page.context.clear_cookies()
    visitor.sign_in(worker.username)
    visitor.open("/jobs/?q=" + "اول")
    assert vacancy.number in page.content()
    follow(visitor, f"main a[href='/jobs/vacancies/{vacancy.number}/']")
    press(visitor, f"/jobs/vacancies/{vacancy.number}/apply")
    candidacy = Candidacy.objects.get(vacancy=vacancy)
    assert page.url.endswith("/jobs/me/applications/")
    visitor.open("/jobs/me/")

    # The employer shortlists, offers and hires.
    page.context.clear_cookies()
    visitor.sign_in(representative.username)
    base = f"/jobs/establishments/{cr}/{vacancy.number}/{candidacy.number}"
    visitor.open(f"/jobs/establishments/{cr}/{vacancy.number}/")
    press(visitor, f"{base}/shortlist")
    page.fill(f"input[id='{candidacy.number}-wage']", "600.000")
    page.fill(
        f"input[id='{candidacy.number}-start_date']",
        (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
    )
    press(visitor, f"{base}/offer")
    press(visitor, f"{base}/hire")
    candidacy.refresh_from_db()
    vacancy.refresh_from_db()
    assert candidacy.status == Candidacy.Status.HIRED and candidacy.contract_number
    assert vacancy.status == Vacancy.Status.FILLED

    # The seeker sees the hire and the contract to accept.
    page.context.clear_cookies()
    visitor.sign_in(worker.username)
    visitor.open("/jobs/me/applications/")
    follow(visitor, f"main a[href='/contracts/mine/{candidacy.contract_number}/']")

    # An officer of the employment department searches the register by a folded spelling.
    page.context.clear_cookies()
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    visitor.sign_in(officer.username, code=lambda: f"{totp(device.bin_key):06d}")
    visitor.open("/jobs/officer/?q=" + "المدنيه")
    assert other.civil_number in page.content()
