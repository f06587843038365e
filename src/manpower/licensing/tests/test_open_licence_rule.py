"""The open-licence rule has one definition: the police's reservation statement (SQL) and the
Python check agree on every licence status, validity and establishment status; and the
reservation and its cancellation are published to the outbox with the change."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.core.models import AuditEvent
from manpower.integration.tests.factories import outbox_rows, subscriptions_to
from manpower.licensing import events, services
from manpower.licensing.models import Licence, LicenceVacancy, VisaReservation
from manpower.licensing.services import visas
from manpower.licensing.services.visas import _open_licence
from manpower.registry.models import Establishment
from manpower.registry.tests.factories import EstablishmentFactory

from .factories import make_licence

pytestmark = pytest.mark.django_db
OutboxEvent = apps.get_model("integration", "OutboxEvent")

VALIDITY = {"ended yesterday": -1, "ends today": 0, "ends tomorrow": 1}


def reserve(licence, visa_number, now):
    return services.visa_reserve(
        actor=Actor.system("police"),
        visa_number=visa_number,
        licence_number=licence.number,
        occupation_code="7112",
        nationality="IND",
        gender="M",
        now=now,
    )


def test_the_reservation_statement_and_the_python_check_agree_on_every_state(now):
    today = timezone.localdate(now)
    combinations = list(
        itertools.product(
            Licence.Status.values,
            VALIDITY.items(),
            Establishment.Status.values,
            (False, True),  # suspended by the Wage Protection System
        )
    )
    answers = []
    for n, (status, (validity, days), establishment_status, wps) in enumerate(combinations):
        licence = make_licence(
            establishment=EstablishmentFactory(status=establishment_status, wps_suspended=wps),
            status=status,
            valid_until=today + dt.timedelta(days=days),
            number=f"WP-RULE{n:05d}",
        )
        try:
            _open_licence(licence.number, now)
            python_open = True
        except DomainError:
            python_open = False
        try:
            reserve(licence, f"V-RULE{n:05d}", now)
            sql_open = True
        except DomainError:
            sql_open = False
        answers.append((status, validity, establishment_status, wps, python_open, sql_open))

    assert len(answers) == 3 * 3 * 3 * 2
    assert [a for a in answers if a[4] != a[5]] == []
    # Open exactly when active, valid today or later, and the establishment active and not
    # suspended by the Wage Protection System.
    assert {a[:4] for a in answers if a[5]} == {
        ("ACTIVE", "ends today", "ACTIVE", False),
        ("ACTIVE", "ends tomorrow", "ACTIVE", False),
    }


def test_a_reservation_and_its_cancellation_are_in_the_outbox(now):
    licence = make_licence(issued=1)

    reserve(licence, "V-OUT0001", now)
    reserve(licence, "V-OUT0001", now)  # a repeat publishes nothing
    services.visa_cancel(actor=Actor.system("police"), visa_number="V-OUT0001", now=now)

    published = OutboxEvent.objects.filter(subject="visa:V-OUT0001").order_by("id")
    assert [(e.event_type, e.payload["status"]) for e in published] == [
        ("visa.reserved", "RESERVED"),
        ("visa.cancelled", "CANCELLED"),
    ]
    for event in published:
        assert sorted(event.payload) == sorted(events.PAYLOADS[event.event_type])  # jsonb sorts
        assert event.payload["licence_number"] == licence.number


def test_a_refused_reservation_publishes_nothing(now):
    licence = make_licence(issued=0)

    with pytest.raises(services.NoVacancy):
        reserve(licence, "V-NONE0001", now)

    assert not OutboxEvent.objects.filter(subject="visa:V-NONE0001").exists()


def test_a_reservation_publishes_what_visa_reserved_publishes(now):
    """On PostgreSQL the reservation's statement writes the event and its deliveries itself:
    they are the rows `events.visa_reserved` writes; a repeat and a refusal write none."""
    expected_deliveries = subscriptions_to("visa.reserved")
    licence = make_licence(issued=1)

    reserve(licence, "V-SAME0001", now)
    reserve(licence, "V-SAME0001", now)  # a repeat
    with pytest.raises(services.NoVacancy):
        reserve(licence, "V-SAME0002", now)  # no vacancy left
    written = outbox_rows("visa:V-SAME0001")
    assert outbox_rows("visa:V-SAME0002") == []
    apps.get_model("integration", "OutboxEvent").objects.all().delete()
    events.visa_reserved(visa_number="V-SAME0001", licence_number=licence.number, now=now)

    assert written == outbox_rows("visa:V-SAME0001")
    assert len(written) == 1 and len(written[0][3]) == expected_deliveries


def wait_for_a_lock_wait(seconds: float = 10) -> None:
    """Until another session of this database waits for a lock."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("no session waited for a lock")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_repeat_sent_before_the_first_call_commits_takes_nothing(now, monkeypatch):
    """The repeat's statement begins while the first call's reservation is not committed: it
    waits for the vacancy, takes it, and its INSERT then finds the visa number stored. The
    vacancy is given back and no second audit or outbox event is written."""
    licence = make_licence(issued=2)
    given_back, give_back = [], visas._give_back

    def spied_give_back(vacancy_id: int) -> None:
        given_back.append(vacancy_id)
        give_back(vacancy_id)

    monkeypatch.setattr(visas, "_give_back", spied_give_back)
    reserved, release, answers = threading.Event(), threading.Event(), []

    def first() -> None:
        try:
            with transaction.atomic():
                answers.append(reserve(licence, "V-RACE0001", now))
                reserved.set()
                release.wait(10)
        finally:
            connection.close()

    def repeat() -> None:
        try:
            answers.append(reserve(licence, "V-RACE0001", now))
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=repeat)]
    threads[0].start()
    assert reserved.wait(10)
    threads[1].start()
    wait_for_a_lock_wait()
    release.set()
    for thread in threads:
        thread.join()

    assert [answer.created for answer in answers] == [True, False]
    assert given_back == [LicenceVacancy.objects.get(licence=licence).pk]
    counts = LicenceVacancy.objects.get(licence=licence)
    assert (counts.reserved, counts.used) == (1, 0)
    assert VisaReservation.objects.count() == 1
    assert AuditEvent.objects.filter(action="visa.reserved").count() == 1
    assert len(outbox_rows("visa:V-RACE0001")) == 1
    assert audit.chain_problems() == []
