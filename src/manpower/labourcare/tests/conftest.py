"""Fixtures of the complaint tests: a worker with an account and an employment, the employer
and its representative, labour-care officers posted to the workplace's governorate (one a
supervisor), the categories of migration 0002, and evidence files."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps

from manpower.accounts.models import Department, Role
from manpower.core.actor import Actor
from manpower.labourcare import services
from manpower.labourcare.models import OfficerPosting
from manpower.licensing.tests.conftest import seeded_agencies, simulator  # noqa: F401
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
    muscat,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64  # a Windows program


@pytest.fixture(autouse=True)
def categories(request, settings, tmp_path):
    """The categories of migration 0002 (also after a transactional test emptied the tables),
    and each test's own evidence folder."""
    settings.COMPLAINT_EVIDENCE_DIR = str(tmp_path / "evidence")
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    importlib.import_module("manpower.labourcare.migrations.0002_complaint_categories").load(
        django_apps, None
    )


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
def person(db):
    return PersonFactory(name_en="Ravi Kumar", name_ar="رافي كومار")


@pytest.fixture
def employment(person, establishment):
    return EmploymentFactory(person=person, establishment=establishment)


@pytest.fixture
def worker(person, employment):
    return UserFactory(role=Role.INDIVIDUAL, civil_number=person.civil_number, language="en")


@pytest.fixture
def worker_actor(worker, person):
    return Actor.for_user(worker).acting_for("person", person.civil_number)


def _officer(username: str, *, supervisor: bool = False, governorate=None):
    user = UserFactory(
        username=username, role=Role.OFFICER, department=Department.LABOUR_CARE, language="en"
    )
    OfficerPosting.objects.create(
        user=user, governorate=governorate or muscat(), is_supervisor=supervisor
    )
    return user


@pytest.fixture
def officer(db):
    return _officer("care-officer")


@pytest.fixture
def supervisor(db):
    return _officer("care-supervisor", supervisor=True)


@pytest.fixture
def officer_actor(officer):
    return Actor.for_user(officer)


@pytest.fixture
def make_officer():
    return _officer


@pytest.fixture
def file_complaint(worker_actor, establishment, person, now):
    """A worker's complaint about unpaid wages (arguments changed by keyword)."""

    def make(**changes):
        arguments = {
            "actor": worker_actor,
            "now": now,
            "filed_by": "WORKER",
            "establishment": establishment,
            "person": person,
            "category_code": "WAGES_UNPAID",
            "description": "My wages of September and October were not paid.",
            "claimed_amount_baisa": 300_000,
            "arose_date": dt.date(2026, 10, 1),
        }
        return services.complaint_file(**{**arguments, **changes})

    return make


@pytest.fixture
def reviewed(file_complaint, officer_actor, now):
    """A complaint the officer has taken up."""
    complaint = file_complaint()
    return services.complaint_assign(actor=officer_actor, now=now, complaint=complaint)
