import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from manpower.accounts.permissions import StaffActionNotPermitted
from manpower.core.actor import Actor
from manpower.core.models import AuditEvent
from manpower.registry import selectors, services
from manpower.registry.models import Employment

from .factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
    bricklayer,
    india,
    oman,
)

pytestmark = pytest.mark.django_db


def start(actor, now, person, establishment):
    return services.employment_start(
        actor=actor,
        person=person,
        establishment=establishment,
        occupation=bricklayer(),
        start_date=dt.date(2026, 1, 1),
        basic_wage_baisa=180_000,
        now=now,
    )


def test_starting_an_employment_writes_the_ledger_and_the_audit(system_actor, now):
    person = PersonFactory()
    establishment = EstablishmentFactory()
    employment = start(system_actor, now, person, establishment)
    assert employment.status == Employment.Status.ACTIVE
    assert employment.person_is_national is False
    event = AuditEvent.objects.get(object_id=str(employment.pk))
    assert event.action == "employment.started"
    assert event.changes["establishment"] == [None, establishment.cr_number]


def test_a_non_national_cannot_hold_two_active_employments(system_actor, now):
    person = PersonFactory()
    start(system_actor, now, person, EstablishmentFactory())
    with pytest.raises(services.AlreadyEmployed) as error:
        start(system_actor, now, person, EstablishmentFactory())
    assert error.value.code == "already_employed"
    assert "already has an active employment" in error.value.text("en")
    assert Employment.objects.filter(person=person).count() == 1
    assert AuditEvent.objects.count() == 1


def test_the_database_itself_refuses_a_second_active_employment():
    first = EmploymentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EmploymentFactory(person=first.person)


def test_a_national_may_hold_two_employments(system_actor, now):
    person = PersonFactory(is_national=True, nationality=oman(), passport_number="")
    start(system_actor, now, person, EstablishmentFactory())
    start(system_actor, now, person, EstablishmentFactory())
    assert person.employments.filter(status="ACTIVE").count() == 2


def test_ending_an_employment_frees_the_worker(system_actor, now):
    employment = EmploymentFactory()
    services.employment_end(
        actor=system_actor, employment=employment, end_date=dt.date(2026, 3, 1), now=now
    )
    employment.refresh_from_db()
    assert (employment.status, employment.end_date) == ("ENDED", dt.date(2026, 3, 1))
    start(system_actor, now, employment.person, EstablishmentFactory())


def test_ending_twice_or_before_the_start_is_refused_and_changes_nothing(system_actor, now):
    employment = EmploymentFactory(start_date=dt.date(2025, 6, 1))
    with pytest.raises(services.InvalidEndDate):
        services.employment_end(
            actor=system_actor, employment=employment, end_date=dt.date(2025, 1, 1), now=now
        )
    services.employment_end(
        actor=system_actor, employment=employment, end_date=dt.date(2026, 1, 1), now=now
    )
    with pytest.raises(services.EmploymentAlreadyEnded):
        services.employment_end(
            actor=system_actor, employment=employment, end_date=dt.date(2026, 2, 1), now=now
        )
    employment.refresh_from_db()
    assert employment.end_date == dt.date(2026, 1, 1)
    assert AuditEvent.objects.count() == 1


def test_a_representation_is_granted_once(system_actor, now):
    user = UserFactory(role="ESTABLISHMENT_REP")
    establishment = EstablishmentFactory()
    services.representation_grant(
        actor=system_actor, user=user, establishment=establishment, now=now
    )
    with pytest.raises(services.RepresentationExists):
        services.representation_grant(
            actor=system_actor, user=user, establishment=establishment, now=now
        )


def test_a_representative_sees_only_its_own_establishments():
    mine = RepresentationFactory()
    other = EstablishmentFactory()
    user = mine.user
    assert list(selectors.establishments_visible_to(user)) == [mine.establishment]
    with pytest.raises(selectors.EstablishmentNotFound) as error:
        selectors.establishment_for_user(user=user, cr_number=other.cr_number)
    assert error.value.status == 404
    assert other.cr_number in error.value.text("en")


def test_staff_see_every_establishment():
    establishments = EstablishmentFactory.create_batch(2)
    officer = UserFactory(role="OFFICER", department="LICENSING")
    assert set(selectors.establishments_visible_to(officer)) == set(establishments)


def test_workforce_counts_active_nationals_and_non_nationals():
    establishment = EstablishmentFactory()
    EmploymentFactory.create_batch(3, establishment=establishment)
    national = PersonFactory(is_national=True, nationality=oman(), passport_number="")
    EmploymentFactory(establishment=establishment, person=national)
    EmploymentFactory(establishment=establishment, status="ENDED", end_date=dt.date(2025, 1, 1))
    workforce = selectors.establishment_workforce(establishment=establishment)
    assert (workforce.active, workforce.nationals, workforce.non_nationals) == (4, 1, 3)
    assert workforce.national_share == 0.25


def test_a_person_update_keeps_the_previous_values_in_the_audit_log(system_actor, now):
    person = PersonFactory(name_en="Ravi Kumar")
    changes = services.person_update(
        actor=system_actor, now=now, person=person, values={"name_en": "Ravi Kumar Singh"}
    )
    person.refresh_from_db()
    assert person.name_en == "Ravi Kumar Singh"
    assert changes == {"name_en": ["Ravi Kumar", "Ravi Kumar Singh"]}
    assert AuditEvent.objects.get(object_id=str(person.pk)).action == "person.modified"


def test_a_person_update_to_another_persons_number_is_refused_and_changes_nothing(
    system_actor, now
):
    taken = PersonFactory()
    person = PersonFactory()
    with pytest.raises(services.IdentifierTaken):
        services.person_update(
            actor=system_actor, now=now, person=person, values={"civil_number": taken.civil_number}
        )
    person.refresh_from_db()
    assert person.civil_number != taken.civil_number
    assert not AuditEvent.objects.exists()


def test_an_arrival_registers_the_person_once(system_actor, now):
    arrive = dict(
        actor=system_actor,
        nationality_code=india().code,
        passport_number="N1234567",
        name_en="Arjun Das",
        birth_date=dt.date(1995, 5, 1),
        gender="M",
        now=now,
    )
    first = services.person_register_arrival(**arrive)
    again = services.person_register_arrival(**arrive)
    assert first == again
    assert (first.is_national, first.civil_number) == (False, None)
    assert AuditEvent.objects.filter(action="person.arrived").count() == 1


def test_a_representative_cannot_grant_themselves_another_establishment(now):
    mine = RepresentationFactory()
    other = EstablishmentFactory()
    with pytest.raises(StaffActionNotPermitted):
        services.representation_grant(
            actor=Actor.for_user(mine.user), user=mine.user, establishment=other, now=now
        )
    assert not mine.user.representations.filter(establishment=other).exists()
    assert not AuditEvent.objects.exists()
