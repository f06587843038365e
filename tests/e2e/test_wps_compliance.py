"""The Wage Protection System's compliance in a real browser (Arabic and English, 1366 and 390
px, axe; every page through `check_page`): the representative of a suspended establishment
reads its months, what to fix and its fine; a wage protection officer finds it among the
non-compliant and drills down; a worker reads their own salary history."""

from __future__ import annotations

import datetime as dt

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from manpower.accounts.models import Department, Role
from manpower.core.actor import Actor, Channel
from manpower.licensing.tests.test_applications import employer
from manpower.registry.tests.factories import EmploymentFactory, PersonFactory, UserFactory
from manpower.wages import services
from manpower.wages.tests.conftest import IMMEDIATE, line, sif_text

BANK = Actor(channel=Channel.PARTNER, label="partner:central-bank")


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T06:00:00+00:00")


def october_paid_badly(establishment) -> None:
    """October 2026: one of the two workers paid below the wage; the ladder run to the fine."""
    text = sif_text(
        [line(), line("61234568", name="فاطمة الحارثي", net="300", basic="400")],
        cr=establishment.cr_number,
    )
    received, _new = services.salary_file_receive(
        actor=BANK,
        file_name=f"SIF_{establishment.cr_number}_BMUS_20261103_001.csv",
        chunks=[text.encode()],
        now=at("2026-11-03"),
    )
    services.salary_file_check(actor=BANK, salary_file_id=received.pk, now=at("2026-11-03"))
    for day in ("2026-11-04", "2026-11-18", "2026-12-03"):
        services.wps_daily(actor=Actor.system("wps-daily"), now=at(day))


def test_wps_compliance_employer_officer_and_worker(visitor, settings, tmp_path):
    settings.TASKS = IMMEDIATE
    settings.WAGES_FILE_DIR = tmp_path / "wages"
    establishment, representative = employer(nationals=0, non_nationals=0)
    for civil, wage in (("61234567", 325_000), ("61234568", 400_000)):
        EmploymentFactory(
            establishment=establishment,
            person=PersonFactory(civil_number=civil),
            start_date=dt.date(2026, 9, 1),  # a new hire in September: judged from October
            basic_wage_baisa=wage,
        )
    october_paid_badly(establishment)
    cr = establishment.cr_number
    page = visitor.page

    # The representative: the months, the suspension, what to fix, the fine to pay.
    visitor.sign_in(representative.username)
    visitor.open(f"/wages/{cr}/compliance/")
    assert page.locator("main .alert").count() == 1
    assert "50.00%" in page.content()
    assert page.locator("main a[href^='/payments/invoices/INV-']").count() == 1

    # A wage protection officer: the month's non-compliant establishments, then the drill-down.
    visitor.page.context.clear_cookies()
    officer = UserFactory(
        username="wps-officer", role=Role.OFFICER, department=Department.WAGE_PROTECTION
    )
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    visitor.sign_in("wps-officer", code=lambda: f"{totp(device.bin_key):06d}")
    visitor.open("/wages/officers/compliance/")
    assert page.locator(f"main a[href^='/wages/{cr}/compliance/']").count() == 1
    page.locator(f"main a[href^='/wages/{cr}/compliance/']").first.click()
    page.wait_for_load_state()
    visitor.check()
    assert "50.00%" in page.content()

    # The worker: their own salary history.
    visitor.page.context.clear_cookies()
    UserFactory(username="fatma", role=Role.INDIVIDUAL, civil_number="61234568")
    visitor.sign_in("fatma")
    visitor.open("/wages/my/salary/")
    assert "300.000" in page.content()
