"""The commercial licence fee by profession category (DOMAIN-RULES.md): first RO 301, second
RO 251, third RO 201, investor RO 301, non-profit bodies RO 101 per worker; 30% off when the
establishment meets its Omanisation share, double when it does not, investors neither."""

from __future__ import annotations

import pytest

from manpower.accounts.models import Role
from manpower.core.actor import Actor
from manpower.core.models import Occupation
from manpower.licensing import services
from manpower.licensing.models import ApplicationLine, LicenceApplication
from manpower.payments import selectors as payments_selectors
from manpower.payments import services as payments
from manpower.registry.models import Establishment
from manpower.registry.tests.factories import (
    EstablishmentFactory,
    RepresentationFactory,
    UserFactory,
    india,
    reference,
)

pytestmark = pytest.mark.django_db

ENGINEER, TECHNICIAN, BRICKLAYER, INVESTOR = "2142", "3112", "7112", "1120"


def approved(now, *lines: tuple[str, int], fee_percent=70, **establishment_fields):
    """An application of `lines` (occupation, workers) approved by an officer, so billed."""
    establishment = EstablishmentFactory(**establishment_fields)
    user = RepresentationFactory(establishment=establishment).user
    application = LicenceApplication.objects.create(
        number=f"LA-TEST{LicenceApplication.objects.count()}",
        kind="COMMERCIAL",
        establishment=establishment,
        applicant=user,
        status=LicenceApplication.Status.IN_REVIEW,
        omanisation_met=fee_percent == 70,
        fee_percent=fee_percent,
        submitted_at=now,
    )
    for code, workers in lines:
        ApplicationLine.objects.create(
            application=application,
            occupation=reference(Occupation, code, level=4, name_en=code, name_ar=code),
            nationality=india(),
            gender="M",
            requested=workers,
            granted=workers,
        )
    officer = Actor.for_user(UserFactory(role=Role.OFFICER, department="LICENSING"))
    services.application_approve(actor=officer, application=application, reason="ok", now=now)
    application.refresh_from_db()
    return payments_selectors.invoice_for_payer(user=user, number=application.invoice_number)


def billed(invoice) -> list[tuple[int, int]]:
    return [(line.quantity, line.unit_baisa) for line in invoice.lines.all()]


@pytest.mark.parametrize(
    ("occupation", "full_fee"),
    [(ENGINEER, 301_000), (TECHNICIAN, 251_000), (BRICKLAYER, 201_000), (INVESTOR, 301_000)],
)
def test_each_profession_category_is_billed_its_fee_at_full_rate(now, occupation, full_fee):
    invoice = approved(now, (occupation, 2), fee_percent=100)
    assert billed(invoice) == [(2, full_fee)]
    assert invoice.amount_baisa == 2 * full_fee


@pytest.mark.parametrize(("fee_percent", "unit"), [(70, 175_700), (200, 502_000)])
def test_the_omanisation_share_takes_30_percent_off_or_doubles_the_fee(now, fee_percent, unit):
    invoice = approved(now, (TECHNICIAN, 3), fee_percent=fee_percent)
    assert billed(invoice) == [(3, unit)]
    assert invoice.amount_baisa == 3 * unit


@pytest.mark.parametrize("fee_percent", [70, 200])
def test_investor_professions_pay_their_fee_whatever_the_omanisation_share(now, fee_percent):
    invoice = approved(now, (INVESTOR, 1), fee_percent=fee_percent)
    assert billed(invoice) == [(1, 301_000)]
    assert invoice.lines.get().description_en.startswith("Recruitment licence (commercial, inv")


def test_lines_of_two_categories_make_one_invoice_with_a_line_each(now):
    invoice = approved(now, (ENGINEER, 2), (BRICKLAYER, 3), ("1330", 1))  # 1330: ICT manager
    assert billed(invoice) == [(3, 210_700), (3, 140_700)]
    assert invoice.amount_baisa == 3 * 210_700 + 3 * 140_700
    assert invoice.service_code == "LICENCE_COMMERCIAL_70PCT"  # the first line's
    third = invoice.lines.all()[1]
    assert "third category" in third.description_en and "الفئة الثالثة" in third.description_ar


def test_a_non_profit_body_pays_the_non_profit_fee_for_every_worker(now, settings):
    # The registry has no non-profit legal form yet: a deployment names one in the setting.
    settings.LICENSING_NON_PROFIT_LEGAL_FORMS = [Establishment.LegalForm.PARTNERSHIP]
    invoice = approved(
        now, (ENGINEER, 1), (BRICKLAYER, 2), legal_form=Establishment.LegalForm.PARTNERSHIP
    )
    assert billed(invoice) == [(3, 70_700)]
    other = approved(now, (ENGINEER, 1), legal_form=Establishment.LegalForm.LLC)
    assert billed(other) == [(1, 210_700)]


def test_the_categories_and_investor_professions_are_settings(now, settings):
    settings.LICENSING_OCCUPATION_FEE_CATEGORIES = {"71": "FIRST", "default": "SECOND"}
    settings.LICENSING_INVESTOR_OCCUPATIONS = [TECHNICIAN]
    invoice = approved(now, (BRICKLAYER, 1), (ENGINEER, 1), (TECHNICIAN, 1), fee_percent=200)
    assert billed(invoice) == [(1, 602_000), (1, 502_000), (1, 301_000)]


def test_a_fee_changed_by_staff_changes_the_next_bill_only(now, system_actor):
    first = approved(now, (BRICKLAYER, 2))
    payments.fee_set(
        actor=system_actor,
        now=now,
        service_code="LICENCE_COMMERCIAL_THIRD",
        name_en="Recruitment licence (commercial, third category), per worker",
        name_ar="ترخيص استقدام (تجاري، الفئة الثالثة)، لكل عامل",
        amount_baisa=150_000,
        effective_from_date=now.date(),
    )
    second = approved(now, (BRICKLAYER, 2))
    assert billed(second) == [(2, 105_000)]
    first.refresh_from_db()
    assert first.amount_baisa == 2 * 140_700
