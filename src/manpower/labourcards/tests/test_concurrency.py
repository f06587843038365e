"""Concurrent calls on a real server database: one card, one departure, whoever comes first."""

import threading

import pytest
from django.db import connection

from manpower.core.models import AuditEvent
from manpower.labourcards import services
from manpower.labourcards.models import CardRequest, LabourCard, PoliceDeparture

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def together(call, times=4):
    results, barrier = [], threading.Barrier(times)

    def run():
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:  # noqa: BLE001 - the test asserts on what was raised
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_paid_request_completed_concurrently_issues_one_card(
    fees, arrived, employer_actor, pay, now
):
    request = services.card_issue_request(
        actor=employer_actor, now=now, employment=arrived, kind="COMMERCIAL"
    )
    pay(request.invoice)

    results = together(
        lambda: services.card_request_complete(actor=employer_actor, now=now, request=request)
    )

    assert all(isinstance(result, CardRequest) for result in results), results
    assert LabourCard.objects.count() == 1
    assert {result.card_id for result in results} == {LabourCard.objects.get().pk}
    completed = AuditEvent.objects.filter(action="card_request.completed")
    assert completed.count() == 1
    assert CardRequest.objects.get().status == CardRequest.Status.COMPLETED


def test_a_departure_reported_concurrently_is_recorded_once(card, system_actor, now):
    results = together(
        lambda: services.police_departure_record(
            actor=system_actor,
            now=now,
            departure_date=now.date(),
            border_post="Muscat International Airport",
            resident_card_number="71234567",
        )
    )

    assert all(isinstance(result, services.DepartureResult) for result in results), results
    assert sorted(result.duplicate for result in results) == [False, True, True, True]
    assert all(result.answer == results[0].answer for result in results)
    assert PoliceDeparture.objects.count() == 1
    assert LabourCard.objects.get().status == LabourCard.Status.CANCELLED
