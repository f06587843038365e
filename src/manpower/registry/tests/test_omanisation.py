"""The establishments' Omanisation figures follow the employment ledger: recomputed at every
start and end of an employment through the registry's services, and in bulk."""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from manpower.registry import selectors, services
from manpower.registry.models import Employment, EstablishmentWorkforce
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    bricklayer,
    oman,
)

pytestmark = pytest.mark.django_db


def figures(establishment):
    found = selectors.establishment_omanisation(establishment=establishment)
    return found.nationals, found.workforce, found.share_permyriad


def start(establishment, person, system_actor, now, **where):
    return services.employment_start(
        actor=system_actor,
        person=person,
        occupation=bricklayer(),
        start_date=dt.date(2026, 1, 1),
        basic_wage_baisa=400_000,
        now=now,
        establishment=establishment,
        **where,
    )


def test_starting_and_ending_employments_recomputes_the_share(system_actor, now):
    establishment = EstablishmentFactory()
    assert figures(establishment) == (0, 0, 0)

    national = start(
        establishment, PersonFactory(is_national=True, nationality=oman()), system_actor, now
    )
    assert figures(establishment) == (1, 1, 10000)
    start(establishment, PersonFactory(), system_actor, now)
    third = start(establishment, PersonFactory(), system_actor, now)
    assert figures(establishment) == (1, 3, 3333)  # a third, rounded down

    services.employment_end(
        actor=system_actor, employment=third, end_date=dt.date(2026, 6, 30), now=now
    )
    assert figures(establishment) == (1, 2, 5000)
    services.employment_end(
        actor=system_actor, employment=national, end_date=dt.date(2026, 6, 30), now=now
    )
    assert figures(establishment) == (0, 1, 0)


def test_a_refused_start_leaves_the_figures_as_they_were(system_actor, now):
    worker = PersonFactory()
    first, other = EstablishmentFactory(), EstablishmentFactory()
    start(first, worker, system_actor, now)

    with pytest.raises(services.AlreadyEmployed):
        start(other, worker, system_actor, now)

    assert figures(first) == (0, 1, 0)
    assert figures(other) == (0, 0, 0)


def test_a_household_employment_counts_for_no_establishment(system_actor, now):
    household = PersonFactory(is_national=True, nationality=oman())
    services.employment_start(
        actor=system_actor,
        person=PersonFactory(),
        occupation=bricklayer(),
        start_date=dt.date(2026, 1, 1),
        basic_wage_baisa=100_000,
        now=now,
        household=household,
    )
    assert not EstablishmentWorkforce.objects.exists()


def test_the_bulk_recompute_equals_the_count_of_each_establishment(system_actor, now):
    many = EstablishmentFactory()
    for _ in range(3):
        EmploymentFactory(establishment=many, person__is_national=True, person__nationality=oman())
    EmploymentFactory.create_batch(4, establishment=many)
    only_ended = EstablishmentFactory()
    EmploymentFactory(establishment=only_ended, status="ENDED", end_date=dt.date(2025, 1, 1))
    empty = EstablishmentFactory()
    establishments = [many, only_ended, empty]
    # Figures gone wrong (a hand-made change, a bulk load that wrote none).
    EstablishmentWorkforce.objects.filter(establishment=many).update(nationals=7, workforce=7)
    EstablishmentWorkforce.objects.filter(establishment=only_ended).delete()

    changed = services.omanisation_recompute_all()

    assert changed == 3  # `many`, and the zero rows of the two without workers
    for establishment in establishments:
        live = selectors.establishment_workforce(establishment=establishment)
        stored = selectors.establishment_omanisation(establishment=establishment)
        assert (stored.nationals, stored.workforce) == (live.nationals, live.active)
        assert stored.share_permyriad == int(live.national_share * 10000)
    assert figures(many) == (3, 7, 4285)
    assert figures(empty) == (0, 0, 0)
    assert services.omanisation_recompute_all() == 0  # nothing left to change
    # One establishment at a time gives the same figures.
    EstablishmentWorkforce.objects.all().delete()
    for establishment in establishments:
        services.omanisation_recompute(establishment_ids=[establishment.pk])
    assert figures(many) == (3, 7, 4285)
    assert EstablishmentWorkforce.objects.count() == 3


def test_the_recompute_command_reports_how_many_changed(capsys):
    establishment = EstablishmentFactory()
    EmploymentFactory(establishment=establishment)
    EstablishmentWorkforce.objects.update(workforce=5)

    call_command("omanisation_recompute")

    assert "1" in capsys.readouterr().out
    assert figures(establishment) == (0, 1, 0)
    assert Employment.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_employments_started_concurrently_are_all_counted(system_actor, now):
    """Each start counts the ledger after taking the establishment's lock, so none is lost."""
    establishment = EstablishmentFactory()
    workers = [PersonFactory() for _ in range(4)] + [
        PersonFactory(is_national=True, nationality=oman()) for _ in range(2)
    ]
    bricklayer()
    barrier = threading.Barrier(len(workers))
    errors = []

    def run(person):
        try:
            barrier.wait()
            start(establishment, person, system_actor, now)
        except Exception as error:  # noqa: BLE001 - the test asserts on what was raised
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(person,)) for person in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert figures(establishment) == (2, 6, 3333)
