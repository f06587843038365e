"""The police's partner endpoints: visa reservations, cancellations and arrivals."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.test import Client

from manpower.core import audit
from manpower.core.actor import Actor, Channel
from manpower.core.models import AuditChainHead, AuditEvent
from manpower.licensing import services
from manpower.licensing.models import Licence, LicenceVacancy, VisaReservation
from manpower.registry.models import Employment, Establishment, Person
from manpower.registry.tests.factories import EmploymentFactory, india

from .factories import make_licence

pytestmark = pytest.mark.django_db

BASE = "/api/partners/v1/police"


def call(client, method, path, key, body=None):
    return getattr(client, method)(
        BASE + path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def reservation(visa="V0000001", licence="WP-TEST00001", **changes):
    return {
        "licence_number": licence,
        "occupation_code": "7112",
        "nationality": "IND",
        "gender": "M",
        "visa_number": visa,
        **changes,
    }


def arrival(visa="V0000001", **changes):
    return {
        "visa_number": visa,
        "passport_number": "N1234567",
        "nationality": "IND",
        "full_name_en": "Ravi Kumar",
        "date_of_birth": "1995-04-02",
        "gender": "M",
        "arrival_date": "2026-11-28",
        "border_post": "Muscat International Airport",
        **changes,
    }


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code
    assert body["detail_ar"] and body["detail_en"] and body["detail_ar"] != body["detail_en"]
    return body


def vacancy(licence):
    return LicenceVacancy.objects.get(licence=licence)


def test_a_reservation_takes_a_vacancy_and_a_repeat_gets_the_same_answer(client, police_key):
    from manpower.integration import selectors  # noqa: F401  (the message log is read below)

    licence = make_licence(issued=2)

    first = call(client, "post", "/visa-reservations", police_key, reservation())
    again = call(client, "post", "/visa-reservations", police_key, reservation())

    expected = {"visa_number": "V0000001", "licence_number": licence.number, "status": "reserved"}
    assert (first.status_code, first.json()) == (201, expected)
    assert (again.status_code, again.json()) == (200, expected)
    counts = vacancy(licence)
    assert (counts.issued, counts.reserved, counts.used) == (2, 1, 0)
    assert AuditEvent.objects.filter(action="visa.reserved").count() == 1


def test_the_reservation_event_is_chained_with_the_others(monkeypatch, system_actor, now):
    """On PostgreSQL the reservation's statement computes the event's hash itself: the chain
    must verify with events written by `audit.record` before and after, whatever the text."""
    monkeypatch.setattr(audit._thread, "chain", 5)
    licence = make_licence(issued=2)
    police = Actor(
        channel=Channel.PARTNER,
        label='شرطة عمان السلطانية "ROP" \\ 1',
        on_behalf_of=("agency", "rop"),
        request_id="req-\u00e9-1",
    )
    audit.record(actor=system_actor, action="licence.checked", obj=licence, at=now)
    answer = services.visa_reserve(actor=police, now=now, **reservation())
    audit.record(actor=system_actor, action="licence.checked", obj=licence, at=now)

    event = AuditEvent.objects.get(action="visa.reserved")
    first, last = AuditEvent.objects.filter(action="licence.checked").order_by("seq")
    assert (event.chain, event.seq, event.prev_hash) == (5, 2, first.hash)
    assert (event.object_type, event.object_id) == (
        "licensing.visareservation",
        str(answer.reservation.pk),
    )
    assert event.changes == {"licence": licence.number, "vacancy": vacancy(licence).pk}
    assert (event.actor_label, event.request_id, event.occurred_at) == (
        police.label,
        police.request_id,
        now,
    )
    assert event.hash == audit.event_hash(event)
    assert last.prev_hash == event.hash
    assert audit.chain_problems() == []


def test_a_reservation_creates_missing_chain_heads(client, police_key):
    make_licence()
    AuditEvent.objects.all().delete()  # a new audit log, as after a test's flush
    AuditChainHead.objects.all().delete()

    response = call(client, "post", "/visa-reservations", police_key, reservation())

    assert response.status_code == 201, response.content
    assert AuditEvent.objects.filter(action="visa.reserved").count() == 1
    assert AuditChainHead.objects.count() == audit.chain_count()
    assert audit.chain_problems() == []


def test_every_police_call_is_in_the_message_log(client, police_key):
    from django.apps import apps

    MessageLog = apps.get_model("integration", "MessageLog")
    make_licence()
    call(client, "post", "/visa-reservations", police_key, reservation())
    call(client, "post", "/visa-reservations", police_key, reservation(licence="WP-NOPE"))
    call(client, "delete", "/visa-reservations/V0000001", police_key)

    logged = list(MessageLog.objects.order_by("id").values_list("method", "status_code"))
    assert logged == [("POST", 201), ("POST", 409), ("DELETE", 200)]


def test_another_body_for_a_known_visa_number_is_a_conflict(client, police_key):
    make_licence()
    call(client, "post", "/visa-reservations", police_key, reservation())

    response = call(client, "post", "/visa-reservations", police_key, reservation(gender="F"))

    assert_problem(response, 409, "visa_number_conflict")


@pytest.mark.parametrize(
    "setup, body, code",
    [
        (lambda: make_licence(issued=0), reservation(), "no_vacancy"),
        (lambda: make_licence(), reservation(occupation_code="9111"), "no_vacancy"),
        (lambda: make_licence(), reservation(licence="WP-UNKNOWN"), "licence_not_found"),
        (
            lambda: make_licence(valid_until=__import__("datetime").date(2026, 6, 30)),
            reservation(),
            "licence_expired",
        ),
        (lambda: make_licence(status=Licence.Status.CANCELLED), reservation(), "licence_cancelled"),
        (
            lambda: make_licence(
                establishment=__import__(
                    "manpower.registry.tests.factories", fromlist=["x"]
                ).EstablishmentFactory(status=Establishment.Status.SUSPENDED)
            ),
            reservation(),
            "establishment_blocked",
        ),
        (
            lambda: make_licence(
                establishment=__import__(
                    "manpower.registry.tests.factories", fromlist=["x"]
                ).EstablishmentFactory(wps_suspended=True)
            ),
            reservation(),
            "wps_non_compliant",
        ),
    ],
    ids=["full", "other occupation", "unknown", "expired", "cancelled", "suspended", "wps"],
)
def test_no_open_vacancy_is_a_409_with_the_reason(client, police_key, setup, body, code):
    setup()
    assert_problem(call(client, "post", "/visa-reservations", police_key, body), 409, code)
    assert not VisaReservation.objects.exists()


def test_the_last_vacancy_goes_once(client, police_key):
    licence = make_licence(issued=1)
    assert call(client, "post", "/visa-reservations", police_key, reservation()).status_code == 201

    second = call(client, "post", "/visa-reservations", police_key, reservation(visa="V0000002"))

    assert_problem(second, 409, "no_vacancy")
    assert vacancy(licence).reserved == 1


def test_a_key_without_the_police_scope_is_refused(client, system_actor, now):
    from manpower.integration import services as integration

    _c, key = integration.partner_key_create(
        actor=system_actor, agency=integration.agency_by_code("rop"), scopes=["registry"], now=now
    )
    make_licence()
    assert_problem(
        call(client, "post", "/visa-reservations", key, reservation()), 403, "scope_missing"
    )
    response = Client().post(
        BASE + "/visa-reservations", data="{}", content_type="application/json"
    )
    assert_problem(response, 401, "invalid_credential")


def test_a_body_with_missing_fields_is_a_422_problem(client, police_key):
    body = reservation()
    del body["visa_number"]
    assert_problem(
        call(client, "post", "/visa-reservations", police_key, body), 422, "validation_failed"
    )


def test_cancelling_frees_the_vacancy_and_a_repeat_gets_the_same_answer(client, police_key):
    licence = make_licence(issued=1)
    call(client, "post", "/visa-reservations", police_key, reservation())

    first = call(client, "delete", "/visa-reservations/V0000001", police_key)
    again = call(client, "delete", "/visa-reservations/V0000001", police_key)

    expected = {"visa_number": "V0000001", "licence_number": licence.number, "status": "cancelled"}
    assert (first.status_code, first.json()) == (200, expected)
    assert (again.status_code, again.json()) == (200, expected)
    assert vacancy(licence).reserved == 0
    # The freed vacancy can be reserved again; the cancelled visa number cannot.
    assert (
        call(client, "post", "/visa-reservations", police_key, reservation("V2")).status_code == 201
    )
    assert_problem(
        call(client, "post", "/visa-reservations", police_key, reservation()), 409, "visa_cancelled"
    )


def test_an_unknown_visa_cannot_be_cancelled(client, police_key):
    assert_problem(
        call(client, "delete", "/visa-reservations/NOPE", police_key), 404, "visa_not_found"
    )


def test_arrival_registers_the_worker_and_starts_the_employment(client, police_key):
    licence = make_licence(issued=2)
    call(client, "post", "/visa-reservations", police_key, reservation())

    first = call(client, "post", "/arrivals", police_key, arrival(basic_wage_baisa=180_000))
    again = call(client, "post", "/arrivals", police_key, arrival(basic_wage_baisa=180_000))

    person = Person.objects.get(passport_number="N1234567")
    expected = {"visa_number": "V0000001", "worker_id": person.pk, "status": "arrived"}
    assert (first.status_code, first.json()) == (201, expected)
    assert (again.status_code, again.json()) == (200, expected)
    assert person.civil_number is None and not person.is_national
    assert person.nationality_id == "IND" and person.name_en == "Ravi Kumar"
    employment = Employment.objects.get(person=person)
    assert employment.establishment == licence.establishment
    assert employment.occupation_id == "7112"
    assert employment.status == Employment.Status.ACTIVE
    assert employment.basic_wage_baisa == 180_000
    assert str(employment.start_date) == "2026-11-28"
    counts = vacancy(licence)
    assert (counts.reserved, counts.used) == (0, 1)
    visa = VisaReservation.objects.get()
    assert visa.status == VisaReservation.Status.ARRIVED
    assert visa.border_post == "Muscat International Airport"


def test_arrival_without_a_wage_takes_the_default_wage(client, police_key, settings):
    settings.LICENSING_ARRIVAL_DEFAULT_WAGE_BAISA = 123_000
    make_licence()
    call(client, "post", "/visa-reservations", police_key, reservation())

    assert call(client, "post", "/arrivals", police_key, arrival()).status_code == 201

    assert Employment.objects.get().basic_wage_baisa == 123_000


def test_an_arrived_visa_cannot_be_cancelled_or_arrive_with_other_details(client, police_key):
    make_licence()
    call(client, "post", "/visa-reservations", police_key, reservation())
    call(client, "post", "/arrivals", police_key, arrival())

    assert_problem(
        call(client, "delete", "/visa-reservations/V0000001", police_key), 409, "already_arrived"
    )
    assert_problem(
        call(client, "post", "/arrivals", police_key, arrival(full_name_en="Someone Else")),
        409,
        "visa_number_conflict",
    )
    # The reservation itself, repeated, tells its current state.
    again = call(client, "post", "/visa-reservations", police_key, reservation())
    assert (again.status_code, again.json()["status"]) == (200, "arrived")


@pytest.mark.parametrize(
    "changes, status, code",
    [
        ({"visa_number": "UNKNOWN"}, 404, "visa_not_found"),
        ({"nationality": "PAK"}, 409, "worker_does_not_match_vacancy"),
        ({"gender": "F"}, 409, "worker_does_not_match_vacancy"),
        ({"passport_number": "N-12*"}, 422, "invalid_passport_number"),
        ({"date_of_birth": "2027-01-01"}, 422, "invalid_worker_data"),
    ],
    ids=["unknown visa", "other nationality", "other gender", "bad passport", "born later"],
)
def test_a_bad_arrival_changes_nothing(client, police_key, changes, status, code):
    licence = make_licence()
    call(client, "post", "/visa-reservations", police_key, reservation())

    assert_problem(call(client, "post", "/arrivals", police_key, arrival(**changes)), status, code)

    assert not Person.objects.exists()
    assert vacancy(licence).reserved == 1
    assert VisaReservation.objects.get().status == VisaReservation.Status.RESERVED


def test_a_worker_still_employed_elsewhere_cannot_arrive(client, police_key):
    make_licence()
    EmploymentFactory(person__passport_number="N1234567", person__nationality=india())
    call(client, "post", "/visa-reservations", police_key, reservation())

    assert_problem(
        call(client, "post", "/arrivals", police_key, arrival()), 409, "already_employed"
    )

    assert VisaReservation.objects.get().status == VisaReservation.Status.RESERVED


def test_a_cancelled_visa_cannot_arrive(client, police_key):
    make_licence()
    call(client, "post", "/visa-reservations", police_key, reservation())
    call(client, "delete", "/visa-reservations/V0000001", police_key)

    assert_problem(call(client, "post", "/arrivals", police_key, arrival()), 409, "visa_cancelled")


def test_the_database_refuses_more_reserved_and_used_than_issued():
    licence = make_licence(issued=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        LicenceVacancy.objects.filter(licence=licence).update(reserved=1, used=1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_reservations_for_ten_vacancies_take_exactly_ten(police_key):
    licence = make_licence(issued=10)
    barrier = threading.Barrier(50)
    statuses: list[int] = []
    lock = threading.Lock()

    def reserve(n: int) -> None:
        try:
            barrier.wait()
            response = call(
                Client(), "post", "/visa-reservations", police_key, reservation(f"R{n:04d}")
            )
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=reserve, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()

    assert sorted(statuses) == [201] * 10 + [409] * 40
    counts = vacancy(licence)
    assert (counts.issued, counts.reserved, counts.used) == (10, 10, 0)
    assert VisaReservation.objects.count() == 10
    assert AuditEvent.objects.filter(action="visa.reserved").count() == 10
    assert audit.chain_problems() == []
