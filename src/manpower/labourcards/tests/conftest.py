"""Fixtures of the labour cards tests: the fee schedule, an employer with a non-national worker,
and paying an invoice the way the Sanad counter does."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest

from manpower.accounts.models import Role
from manpower.core.actor import Actor, Channel
from manpower.licensing.tests.factories import make_licence
from manpower.payments.services import fee_set, sanad_payment_record
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
)

FEES = {
    "CARD_ISSUE_COMMERCIAL": 201_000,
    "CARD_ISSUE_PRIVATE": 101_000,
    "CARD_RENEWAL_COMMERCIAL": 301_000,
    "CARD_RENEWAL_PRIVATE": 141_000,
    "CARD_LATE_RENEWAL": 10_000,
    "DEPARTURE_FORM": 5_000,
    "TRANSFER_OF_SERVICES": 151_000,
}


@pytest.fixture
def fees(db, system_actor):
    for code, amount in FEES.items():
        fee_set(
            actor=system_actor,
            now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
            service_code=code,
            name_en=code.replace("_", " ").title(),
            name_ar="رسم " + code,
            amount_baisa=amount,
            effective_from_date=dt.date(2020, 1, 1),
        )


@pytest.fixture
def establishment(db):
    return EstablishmentFactory(name_en="Al Noor Trading", name_ar="النور للتجارة")


@pytest.fixture
def representative(establishment):
    user = UserFactory(role=Role.ESTABLISHMENT_REP)
    RepresentationFactory(user=user, establishment=establishment)
    return user


@pytest.fixture
def employer_actor(representative, establishment):
    return Actor.for_user(representative).acting_for("establishment", establishment.cr_number)


@pytest.fixture
def arrived(establishment):
    """A worker who has just arrived: passport only, no resident card number yet."""
    person = PersonFactory(civil_number=None, passport_number="K1234567")
    return EmploymentFactory(person=person, establishment=establishment)


@pytest.fixture
def pay(now):
    """Pay an invoice in full at a Sanad counter."""

    def pay(invoice, at=None):
        return sanad_payment_record(
            actor=Actor(channel=Channel.SANAD, label="sanad-test"),
            now=at or now,
            invoice_number=invoice.number,
            centre_code="S001",
            reference=secrets.token_hex(4),
            amount_baisa=invoice.amount_baisa,
        )

    return pay


@pytest.fixture
def issue(fees, employer_actor, pay, now):
    """Issue a card for an employment through the paid flow."""
    from manpower.labourcards import services

    def issue(employment, kind="COMMERCIAL", resident_card_number="", at=None):
        at = at or now
        request = services.card_issue_request(
            actor=employer_actor,
            now=at,
            employment=employment,
            kind=kind,
            resident_card_number=resident_card_number,
        )
        pay(request.invoice, at=at)
        return services.card_request_complete(actor=employer_actor, now=at, request=request).card

    return issue


@pytest.fixture
def card(issue, arrived):
    return issue(arrived, resident_card_number="71234567")


@pytest.fixture
def new_employer(db):
    """The employer a worker is transferred to: one licence with one vacancy for a bricklayer."""
    employer = EstablishmentFactory(name_en="New Horizons LLC", name_ar="آفاق جديدة")
    make_licence(establishment=employer, issued=1, number="WP-LIC000001")
    return employer
