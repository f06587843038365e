"""Fixtures of the work-abandonment and inspection tests: an establishment with a non-national
worker holding a labour card, its representative, the worker's account, a labour-care officer
and an inspector."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest

from manpower.accounts.models import Department, Role
from manpower.core.actor import Actor, Channel
from manpower.labourcards import services as labourcards
from manpower.payments.services import fee_set, sanad_payment_record
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
)
from manpower.wages.tests.factories import salary_paid

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
LAST_DAY = dt.date(2026, 11, 15)  # two weeks before the tests' `now` (29 Nov 2026)
# The three complete salary months before LAST_DAY, whose wages were due by `now`.
PROOF_MONTHS = ((2026, 8), (2026, 9), (2026, 10))


FEES = {
    "CARD_ISSUE_COMMERCIAL": 201_000,
    "TRANSFER_OF_SERVICES": 151_000,
    "ABSCONDING_OBJECTION_FINE": 1_000,
}
SANAD = Actor(channel=Channel.SANAD, label="sanad-test")


def pay(invoice, now):
    """Pay an invoice in full at a Sanad counter."""
    sanad_payment_record(
        actor=SANAD,
        now=now,
        invoice_number=invoice.number,
        centre_code="S001",
        reference=secrets.token_hex(4),
        amount_baisa=invoice.amount_baisa,
    )


def make_worker(establishment, *, start_date=dt.date(2024, 1, 1), worker_status=""):
    """A non-national employed by `establishment`, with a labour card issued through the
    labour cards' paid flow."""
    employment = EmploymentFactory(
        person=PersonFactory(), establishment=establishment, start_date=start_date
    )
    at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    request = labourcards.card_issue_request(
        actor=SANAD, now=at, employment=employment, kind="COMMERCIAL"
    )
    pay(request.invoice, at)
    card = labourcards.card_request_complete(actor=SANAD, now=at, request=request).card
    if worker_status:
        labourcards.worker_data_modify(actor=SANAD, now=at, card=card, worker_status=worker_status)
    return employment


def wps_paid(employment, *months, **kwargs):
    """The worker's salary paid through the Wage Protection System for `months` (by default
    the three before LAST_DAY); `kwargs` as `salary_paid`'s."""
    for year, month in months or PROOF_MONTHS:
        salary_paid(employment, year, month, **kwargs)


@pytest.fixture(autouse=True)
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
def published(monkeypatch):
    """The events labour care publishes, as (event type, payload)."""
    from manpower.labourcare import events

    seen = []
    real = events.publish_event

    def publish(**kwargs):
        seen.append((kwargs["event_type"], kwargs["payload"]))
        return real(**kwargs)

    monkeypatch.setattr(events, "publish_event", publish)
    return seen


@pytest.fixture
def establishment(db):
    return EstablishmentFactory(name_en="Al Noor Trading", name_ar="النور للتجارة")


@pytest.fixture
def representative(establishment):
    user = UserFactory(role=Role.ESTABLISHMENT_REP, language="en")
    RepresentationFactory(user=user, establishment=establishment)
    return user


@pytest.fixture
def employer_actor(representative, establishment):
    return Actor.for_user(representative).acting_for("establishment", establishment.cr_number)


@pytest.fixture
def employment(establishment):
    return make_worker(establishment)


@pytest.fixture
def worker_user(employment):
    return UserFactory(
        role=Role.INDIVIDUAL, civil_number=employment.person.civil_number, language="en"
    )


@pytest.fixture
def worker_actor(worker_user):
    return Actor.for_user(worker_user)


@pytest.fixture
def officer(db):
    return UserFactory(role=Role.OFFICER, department=Department.LABOUR_CARE, language="en")


@pytest.fixture
def officer_actor(officer):
    return Actor.for_user(officer, channel=Channel.STAFF)


@pytest.fixture
def inspector(db):
    return UserFactory(role=Role.INSPECTOR, department=Department.INSPECTION, language="en")


@pytest.fixture
def inspector_actor(inspector):
    return Actor.for_user(inspector, channel=Channel.STAFF)


@pytest.fixture
def proof_dir(settings, tmp_path):
    """The PDF proof accepted for the months missing from the Wage Protection System (the
    worker here has none there), kept in the test's own folder."""
    settings.ABSCONDING_PDF_PROOF_ACCEPTED = True
    settings.ABSCONDING_FILE_DIR = str(tmp_path / "proofs")
    return tmp_path / "proofs"
