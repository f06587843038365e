"""A national's employment contract in a real browser: the employer's representative registers
it on the portal, the worker finds it from their dashboard and accepts it (social insurance's
simulator up, so it is accepted at once), and both open its certificate. Every page on the way
goes through `check_page`."""

from __future__ import annotations

import pytest
from django.utils import timezone

from manpower.accounts.models import Role
from manpower.contracts.models import Contract
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
    """Click the link a user would, and judge the page it leads to."""
    visitor.page.locator(selector).first.click()
    visitor.page.wait_for_load_state()
    visitor.check()


def certificate_opens(visitor) -> None:
    link = visitor.page.locator("main a[href$='/certificate.pdf']")
    pdf = visitor.page.request.get(visitor.base_url + link.get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")


@pytest.mark.usefixtures("simulator")
def test_an_employer_registers_a_contract_and_the_national_accepts_it(visitor):
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
    cr = establishment.cr_number
    page = visitor.page

    # The representative: dashboard → contracts → the establishment's list → register.
    visitor.sign_in(representative.username)
    follow(visitor, "main a[href='/contracts/']")
    follow(visitor, f"main a[href='/contracts/{cr}/']")
    follow(visitor, f"main a[href='/contracts/{cr}/new']")
    page.fill("input[name=civil_number]", person.civil_number)
    page.fill("input[name=occupation]", "7112")
    page.select_option("select[name=kind]", "UNLIMITED")
    page.fill("input[name=start_date]", timezone.localdate().isoformat())
    page.fill("input[name=probation_months]", "3")
    page.fill("input[name=weekly_hours]", "45")
    page.fill("input[name=basic_wage]", "420.000")
    page.fill("input[name=allowances]", "30.000")
    page.select_option("select[name=governorate]", "MA")
    page.select_option("select[name=wilayat]", "MA-SEEB")
    visitor.submit()
    contract = Contract.objects.get(establishment=establishment, person=person)
    assert page.url.endswith(f"/contracts/{cr}/{contract.number}/")
    assert contract.status == Contract.Status.SUBMITTED
    visitor.check()
    visitor.open(f"/contracts/{cr}/")
    assert contract.number in page.content()

    # The worker, signed in afresh: dashboard → my contracts → the contract → accept.
    page.context.clear_cookies()
    visitor.sign_in(worker.username)
    follow(visitor, "main a[href='/contracts/mine/']")
    follow(visitor, f"main a[href='/contracts/mine/{contract.number}/']")
    page.locator(f"main form[action$='/mine/{contract.number}/accept'] button").click()
    page.wait_for_load_state()
    visitor.check()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACCEPTED
    assert page.locator("main .page-head .badge").inner_text() in ("Accepted", "مقبول")
    certificate_opens(visitor)
    visitor.open("/contracts/mine/")

    # The representative sees it accepted, and its certificate too.
    page.context.clear_cookies()
    visitor.sign_in(representative.username)
    visitor.open(f"/contracts/{cr}/{contract.number}/")
    certificate_opens(visitor)
