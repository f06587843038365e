"""Fixtures of the job-market tests: an establishment and its representative, nationals with
accounts, the qualification levels (also after a transactional test's flush), a vacancy's
terms, and the Manpower Register pointed at a closed port unless a test starts the simulator."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps

from manpower.accounts.models import Department, Role
from manpower.core.actor import Actor
from manpower.licensing.tests.conftest import seeded_agencies, simulator  # noqa: F401
from manpower.registry.tests.factories import (
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
    bricklayer,
    muscat,
    oman,
    seeb,
)

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def register_unreachable(settings):
    """No agency answers unless a test starts the simulators (`simulator` overrides this)."""
    settings.INTEGRATION_SIMULATOR_URL = "http://127.0.0.1:9"
    settings.INTEGRATION_ADAPTER_RETRIES = 0
    settings.INTEGRATION_ADAPTER_TIMEOUT_SECONDS = 0.5


@pytest.fixture(autouse=True)
def seeded_levels(request, seeded_agencies):  # noqa: F811 (ordered after the agencies)
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    importlib.import_module("manpower.jobs.migrations.0002_qualification_levels").seed(
        django_apps, None
    )


@pytest.fixture
def establishment(db):
    bricklayer(), seeb()
    return EstablishmentFactory(name_en="Al Noor Trading", name_ar="النور للتجارة")


@pytest.fixture
def representative(establishment):
    user = UserFactory(role=Role.ESTABLISHMENT_REP, language="en")
    RepresentationFactory(user=user, establishment=establishment)
    return user


@pytest.fixture
def employer(representative, establishment):
    return Actor.for_user(representative).acting_for("establishment", establishment.cr_number)


def make_national(name_en="Salim Al Harthy", name_ar="سالم الحارثي"):
    person = PersonFactory(
        is_national=True, nationality=oman(), passport_number="", name_en=name_en, name_ar=name_ar
    )
    user = UserFactory(role=Role.INDIVIDUAL, civil_number=person.civil_number, language="en")
    return person, user, Actor.for_user(user).acting_for("person", person.civil_number)


@pytest.fixture
def national(db):
    return make_national()


@pytest.fixture
def officer(db):
    user = UserFactory(role=Role.OFFICER, department=Department.EMPLOYMENT, language="en")
    return user, Actor.for_user(user)


@pytest.fixture
def terms():
    """The keyword arguments of a valid vacancy (a bachelor's level, above diploma)."""
    return {
        "title_ar": "مُحاسِب أوّل للشركة",
        "title_en": "Senior accountant",
        "occupation_code": "7112",
        "qualification_code": "BACHELOR",
        "specialisation": "Accounting",
        "experience_years": 2,
        "governorate_code": muscat().code,
        "wilayat_code": "MA-SEEB",
        "wage_min_baisa": 500_000,
        "wage_max_baisa": 800_000,
        "posts": 2,
        "closing_date": TODAY + dt.timedelta(days=30),
    }


@pytest.fixture
def post(employer, establishment, terms, now):
    from manpower.jobs import services

    def make(**changes):
        return services.vacancy_post(
            actor=employer, now=now, establishment=establishment, **{**terms, **changes}
        )

    return make


@pytest.fixture
def seeker_with(now):
    """A registered national with a qualification of `level` and preferences."""
    from manpower.jobs import services

    def make(level="BACHELOR", occupations=("7112",), governorates=("MA",), years=3, **names):
        person, user, actor = make_national(**names)
        seeker = services.job_seeker_register_graduate(
            actor=actor,
            now=now,
            civil_number=person.civil_number,
            qualification_level=level,
            specialisation_en="Accounting",
            specialisation_ar="محاسبة",
            graduation_year=2024,
            college_code="",
        )
        services.job_seeker_profile_update(
            actor=actor,
            now=now,
            seeker=seeker,
            experience_years=years,
            experience="",
            governorate_codes=list(governorates),
            occupation_codes=list(occupations),
        )
        seeker.refresh_from_db()
        return seeker, user, actor

    return make
