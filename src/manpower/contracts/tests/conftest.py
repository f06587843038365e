"""Fixtures of the contracts tests: an establishment and its representative, a national worker
with an account, the social insurance simulator, and a contract's terms."""

from __future__ import annotations

import datetime as dt

import pytest

from manpower.accounts.models import Role
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

# 29 Nov 2026, 12:00 in Muscat: the `now` of the project's conftest.
TODAY = dt.date(2026, 11, 29)


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
def national(db):
    return PersonFactory(
        is_national=True,
        nationality=oman(),
        passport_number="",
        name_en="Salim Al Harthy",
        name_ar="سالم الحارثي",
    )


@pytest.fixture
def worker(national):
    return UserFactory(role=Role.INDIVIDUAL, civil_number=national.civil_number, language="en")


@pytest.fixture
def worker_actor(worker, national):
    return Actor.for_user(worker).acting_for("person", national.civil_number)


@pytest.fixture
def terms(national):
    """The keyword arguments of a valid full-time contract with the national."""
    bricklayer(), seeb()
    return {
        "civil_number": national.civil_number,
        "occupation_code": "7112",
        "kind": "UNLIMITED",
        "start_date": TODAY,
        "end_date": None,
        "probation_months": 3,
        "weekly_hours": 45,
        "basic_wage_baisa": 400_000,
        "allowances_baisa": 50_000,
        "governorate_code": muscat().code,
        "wilayat_code": "MA-SEEB",
    }


@pytest.fixture
def register(employer_actor, establishment, terms, now):
    """Register a contract with the terms, changed by keyword."""
    from manpower.contracts import services

    def make(**changes):
        return services.contract_register(
            actor=employer_actor, now=now, establishment=establishment, **{**terms, **changes}
        )

    return make


def agency(server, name: str, **switches) -> None:
    """Flip a simulated agency's switches (down, latency_ms, error_rate) over real HTTP."""
    import json
    import urllib.request

    url = f"http://127.0.0.1:{server.server_port}/_control"
    body = json.dumps({"agency": name, **switches}).encode()
    urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST"), timeout=5)
