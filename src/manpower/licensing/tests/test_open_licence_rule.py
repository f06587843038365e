"""The open-licence rule has one definition: the police's reservation statement (SQL) and the
Python check agree on every licence status, validity and establishment status; and the
reservation and its cancellation are published to the outbox with the change."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.apps import apps
from django.utils import timezone

from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.licensing import events, services
from manpower.licensing.models import Licence
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
