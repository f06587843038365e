"""A domestic worker arriving on a private licence's visa starts an employment with the
household that holds the licence."""

from __future__ import annotations

import pytest

from manpower.core.actor import Actor
from manpower.licensing import services
from manpower.registry.models import Employment, Person
from manpower.registry.tests.factories import EmploymentFactory

from .conftest import pay
from .test_applications import household_user, line, submit_private
from .test_police_api import arrival, assert_problem, call, reservation

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_licence(now):
    application = submit_private(household_user(), now, line("9111", 2, gender="F"))
    pay(application, now)
    return services.application_payment_confirm(
        actor=Actor.system(), application=application, now=now
    )


def domestic(**changes):
    return {"occupation_code": "9111", "gender": "F", **changes}


def test_a_household_workers_arrival_starts_the_employment_with_the_household(
    client, police_key, private_licence
):
    visa = reservation(licence=private_licence.number, **domestic())
    assert call(client, "post", "/visa-reservations", police_key, visa).status_code == 201

    arrived = call(client, "post", "/arrivals", police_key, arrival(gender="F"))

    assert arrived.status_code == 201, arrived.content
    worker = Person.objects.get(passport_number="N1234567")
    employment = Employment.objects.get(person=worker)
    assert employment.household == private_licence.household
    assert employment.establishment is None
    assert employment.status == Employment.Status.ACTIVE
    assert (employment.occupation_id, str(employment.start_date)) == ("9111", "2026-11-28")
    assert private_licence.vacancies.get().used == 1


def test_a_worker_employed_elsewhere_cannot_arrive_for_a_household(
    client, police_key, private_licence
):
    EmploymentFactory(person__passport_number="N1234567", person__gender="F")
    visa = reservation(licence=private_licence.number, **domestic())
    call(client, "post", "/visa-reservations", police_key, visa)

    refused = call(client, "post", "/arrivals", police_key, arrival(gender="F"))

    assert_problem(refused, 409, "already_employed")
    assert not Employment.objects.filter(household__isnull=False).exists()
    assert private_licence.vacancies.get().used == 0
