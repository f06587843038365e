"""Fixtures of the work-abandonment and inspection tests: an establishment with a non-national
worker holding a labour card, its representative, the worker's account, a labour-care officer
and an inspector."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest

from manpower.accounts.models import Department, Role
from manpower.core.actor import Actor, Channel
from manpower.labourcards.models import LabourCard
from manpower.payments.services import fee_set
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
LAST_DAY = dt.date(2026, 11, 15)  # two weeks before the tests' `now` (29 Nov 2026)


def make_worker(establishment, *, start_date=dt.date(2024, 1, 1), worker_status="WORKING"):
    """A non-national employed by `establishment`, with an active labour card."""
    employment = EmploymentFactory(
        person=PersonFactory(), establishment=establishment, start_date=start_date
    )
    LabourCard.objects.create(
        number="LC" + secrets.token_hex(4).upper(),
        employment=employment,
        kind=LabourCard.Kind.COMMERCIAL,
        worker_status=worker_status,
        issued_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        expiry_date=dt.date(2027, 1, 1),
    )
    return employment


@pytest.fixture
def fine_fee(db, system_actor):
    fee_set(
        actor=system_actor,
        now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        service_code="ABSCONDING_OBJECTION_FINE",
        name_en="Objection fine, per rial",
        name_ar="غرامة الاعتراض، لكل ريال",
        amount_baisa=1000,
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
def employment(establishment):
    return make_worker(establishment)


@pytest.fixture
def worker_user(employment):
    return UserFactory(role=Role.INDIVIDUAL, civil_number=employment.person.civil_number)


@pytest.fixture
def worker_actor(worker_user):
    return Actor.for_user(worker_user)


@pytest.fixture
def officer(db):
    return UserFactory(role=Role.OFFICER, department=Department.LABOUR_CARE)


@pytest.fixture
def officer_actor(officer):
    return Actor.for_user(officer, channel=Channel.STAFF)


@pytest.fixture
def inspector(db):
    return UserFactory(role=Role.INSPECTOR, department=Department.INSPECTION)


@pytest.fixture
def inspector_actor(inspector):
    return Actor.for_user(inspector, channel=Channel.STAFF)


@pytest.fixture
def proof_dir(settings, tmp_path):
    settings.ABSCONDING_FILE_DIR = str(tmp_path / "proofs")
    return tmp_path / "proofs"
