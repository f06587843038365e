"""A household (the holder of a private licence) as an employer: exactly one employer per
employment, in the service and in the database, and one active employment per non-national
whoever the employer is."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from manpower.core.models import AuditEvent
from manpower.registry import selectors, services
from manpower.registry.models import Employment

from .factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    UserFactory,
    bricklayer,
    oman,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def household():
    return PersonFactory(is_national=True, nationality=oman(), civil_number="71234567")


def start(actor, now, person, **employer):
    return services.employment_start(
        actor=actor,
        person=person,
        occupation=bricklayer(),
        start_date=dt.date(2026, 1, 1),
        basic_wage_baisa=120_000,
        now=now,
        **employer,
    )


def test_a_household_employs_a_domestic_worker(system_actor, now, household):
    employment = start(system_actor, now, PersonFactory(), household=household)

    employment.refresh_from_db()
    assert employment.household == household and employment.establishment is None
    assert employment.employer == household
    assert list(household.household_employments.all()) == [employment]
    event = AuditEvent.objects.get(action="employment.started")
    assert event.changes["household"] == [None, household.pk]
    assert "establishment" not in event.changes


@pytest.mark.parametrize("both", [True, False])
def test_an_employment_has_exactly_one_employer(system_actor, now, household, both):
    employer = {"household": household, "establishment": EstablishmentFactory()} if both else {}

    with pytest.raises(services.OneEmployerRequired) as error:
        start(system_actor, now, PersonFactory(), **employer)

    assert error.value.code == "one_employer_required"
    assert error.value.text("ar") != error.value.text("en")
    assert not Employment.objects.exists() and not AuditEvent.objects.exists()


def test_the_database_refuses_both_employers_or_none(household):
    both = pytest.raises(IntegrityError, match="employment_has_one_employer")
    with both, transaction.atomic():
        EmploymentFactory(household=household)
    neither = pytest.raises(IntegrityError, match="employment_has_one_employer")
    with neither, transaction.atomic():
        EmploymentFactory(establishment=None)
    assert not Employment.objects.exists()


def test_a_worker_of_an_establishment_cannot_also_work_for_a_household(
    system_actor, now, household
):
    worker = EmploymentFactory().person

    with pytest.raises(services.AlreadyEmployed):
        start(system_actor, now, worker, household=household)

    assert worker.employments.count() == 1


def test_a_household_worker_cannot_also_work_for_an_establishment_until_the_end(
    system_actor, now, household
):
    worker = PersonFactory()
    at_home = start(system_actor, now, worker, household=household)

    with pytest.raises(services.AlreadyEmployed):
        start(system_actor, now, worker, establishment=EstablishmentFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        EmploymentFactory(person=worker)
    services.employment_end(
        actor=system_actor, employment=at_home, end_date=dt.date(2026, 6, 1), now=now
    )
    start(system_actor, now, worker, establishment=EstablishmentFactory())

    assert worker.employments.filter(status="ACTIVE").get().establishment is not None


def test_an_individual_sees_the_workers_of_their_own_household_only(system_actor, now, household):
    mine = start(system_actor, now, PersonFactory(), household=household)
    other = PersonFactory(is_national=True, nationality=oman(), civil_number="71234568")
    start(system_actor, now, PersonFactory(), household=other)
    EmploymentFactory()
    user = UserFactory(civil_number="71234567")

    found = selectors.household_for_user(user=user)

    assert found == household
    assert list(selectors.household_workers(household=found)) == [mine]
    assert selectors.household_account(household=household) == user
    assert selectors.household_for_user(user=UserFactory(civil_number="")) is None
