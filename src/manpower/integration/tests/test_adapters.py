"""Outbound checks against the partner simulators: slow, failing and down agencies."""

import datetime as dt

import pytest
from django.utils import translation

from manpower.integration import adapters
from manpower.integration.models import CircuitBreaker, MessageLog, QueuedCheck
from manpower.registry.models import Establishment
from manpower.registry.tests.factories import EmploymentFactory, EstablishmentFactory, oman

from .conftest import control

# The simulator answers from its own connections: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def no_sleep(seconds):
    pass


def run(name, key, now):
    return adapters.run_check(name, key, now=now, sleep=no_sleep)


def breaker(agency):
    return CircuitBreaker.objects.get(agency__code=agency)


def test_each_agency_answers_from_the_registry(simulator, now):
    establishment = EstablishmentFactory(
        cr_number="1234567", chamber_expiry_date=dt.date(2027, 3, 31)
    )
    national = EmploymentFactory(
        person__is_national=True, person__nationality=oman(), establishment=establishment
    ).person

    commerce = run("cr_validity", "1234567", now)
    chamber = run("chamber_membership", "1234567", now)
    insurance = run("insurance_registration", national.civil_number, now)
    seeker = run("job_seeker_status", national.civil_number, now)

    assert commerce.state == "FRESH" and commerce.answer["valid"] is True
    assert chamber.answer["expiry_date"] == "2027-03-31"
    assert insurance.answer["registered"] is True
    assert insurance.answer["establishment_cr"] == "1234567"
    assert seeker.answer["job_seeker"] is False
    assert MessageLog.objects.filter(direction="OUT", status_code=200).count() == 4


def test_a_closed_establishment_is_not_valid_and_an_unknown_one_not_found(simulator, now):
    EstablishmentFactory(cr_number="7654321", status=Establishment.Status.CLOSED)
    assert run("cr_validity", "7654321", now).answer["valid"] is False
    assert run("cr_validity", "0000000", now).answer == {"found": False}


def test_transient_errors_are_retried(simulator, now, settings):
    EstablishmentFactory(cr_number="1234567")
    settings.INTEGRATION_ADAPTER_RETRIES = 2
    control(simulator, agency="commerce", error_rate=1.0)

    with pytest.raises(adapters.AgencyUnavailable):
        run("cr_validity", "1234567", now)

    assert MessageLog.objects.filter(status_code=500).count() == 3  # one call, two retries
    assert breaker("commerce").failures == 1


def test_a_slow_agency_times_out_and_the_cached_answer_is_used(simulator, now):
    EstablishmentFactory(cr_number="1234567")
    fresh = run("chamber_membership", "1234567", now)
    control(simulator, agency="chamber", latency_ms=1500)  # timeout is 0.5 s

    later = now + dt.timedelta(days=1)
    cached = run("chamber_membership", "1234567", later)

    assert cached.state == "CACHED"
    assert cached.answer == fresh.answer
    assert cached.fetched_at == now
    timed_out = MessageLog.objects.filter(status_code__isnull=True)
    assert timed_out.exists()
    assert all("timed out" in row.error for row in timed_out)


def test_a_stale_cache_is_not_used(simulator, now):
    EstablishmentFactory(cr_number="1234567")
    run("cr_validity", "1234567", now)
    control(simulator, agency="commerce", down=True)
    assert run("cr_validity", "1234567", now + dt.timedelta(hours=1)).state == "CACHED"
    with pytest.raises(adapters.AgencyUnavailable):
        run("cr_validity", "1234567", now + dt.timedelta(hours=7))  # older than 6 h


def test_the_circuit_opens_after_repeated_failures_and_stops_calling(simulator, now):
    control(simulator, agency="commerce", down=True)
    for _ in range(3):  # INTEGRATION_BREAKER_THRESHOLD in the fixture
        with pytest.raises(adapters.AgencyUnavailable):
            run("cr_validity", "1234567", now)
    assert breaker("commerce").state == CircuitBreaker.State.OPEN
    calls = MessageLog.objects.count()

    with pytest.raises(adapters.AgencyUnavailable):
        run("cr_validity", "1234567", now + dt.timedelta(seconds=30))
    assert MessageLog.objects.count() == calls  # open: the agency is left alone

    control(simulator, agency="commerce", down=False)
    EstablishmentFactory(cr_number="1234567")
    answer = run("cr_validity", "1234567", now + dt.timedelta(seconds=61))  # cooldown over
    assert answer.state == "FRESH"
    assert breaker("commerce").state == CircuitBreaker.State.CLOSED


def test_a_check_that_may_not_wait_fails_with_a_bilingual_message_naming_the_agency(simulator, now):
    control(simulator, agency="manpower-register", down=True)
    with pytest.raises(adapters.AgencyUnavailable) as failure:
        run("job_seeker_status", "12345678", now)
    texts = failure.value.bilingual()
    assert "Public Authority for Manpower Register" in texts["en"]
    assert "هيئة سجل القوى العاملة" in texts["ar"]
    assert texts["ar"].startswith("لا تستجيب")
    with translation.override("ar"):
        assert "هيئة سجل القوى العاملة" in failure.value.text()


def test_a_check_that_may_wait_is_queued_and_completes_after_recovery(simulator, now):
    person = EmploymentFactory(person__is_national=True, person__nationality=oman()).person
    control(simulator, agency="social-insurance", down=True)

    first = run("insurance_registration", person.civil_number, now)
    again = run("insurance_registration", person.civil_number, now)

    assert first.state == again.state == "QUEUED"
    assert first.queued_check.pk == again.queued_check.pk  # one pending check per key
    assert adapters.run_queued_checks(now=now, sleep=no_sleep) == 0  # still down

    control(simulator, agency="social-insurance", down=False)
    assert adapters.run_queued_checks(now=now + dt.timedelta(minutes=5), sleep=no_sleep) == 1

    queued = QueuedCheck.objects.get()
    assert queued.status == QueuedCheck.Status.DONE
    assert queued.result["registered"] is True
    assert queued.completed_at == now + dt.timedelta(minutes=5)


def test_simulator_control_endpoint_shows_the_switches(simulator):
    switches = control(simulator, agency="chamber", latency_ms=250, error_rate=0.5)
    assert switches["chamber"] == {"down": False, "latency_ms": 250, "error_rate": 0.5}
    assert switches["commerce"]["latency_ms"] == 0
