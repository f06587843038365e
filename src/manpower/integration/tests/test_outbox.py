"""The transactional outbox: signed webhooks, at least once, in order per subject, with retries."""

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from manpower.core.actor import Actor, Channel
from manpower.core.models import AuditEvent
from manpower.integration import delivery, services
from manpower.integration.models import Agency, Delivery, MessageLog, OutboxEvent, Subscription

from .factories import outbox_rows, subscriptions_to

pytestmark = pytest.mark.django_db

MANAGE = Path(__file__).resolve().parents[4] / "manage.py"


def publish(now, subject="labourcard:1", event_type="labourcard.issued", **payload):
    return services.publish_event(
        subject=subject, event_type=event_type, payload=payload or {"n": 1}, now=now
    )


def drain(now, worker="w1"):
    """Run passes until nothing is due, as a worker loop does."""
    total = 0
    while sent := delivery.deliver_due(worker=worker, now=now):
        total += sent
    return total


def test_event_is_written_in_the_callers_transaction(subscription, now):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(now)
        raise RuntimeError("the caller's change failed")
    assert not OutboxEvent.objects.exists()
    assert not Delivery.objects.exists()


def test_only_subscribed_event_types_get_a_delivery(subscription, now):
    publish(now, event_type="labourcard.issued")
    publish(now, event_type="licence.issued")
    assert Delivery.objects.count() == 1


def test_delivery_is_signed_and_verified_by_the_receiver(subscription, receiver, now):
    event = publish(now, worker="123")

    assert drain(now) == 1

    assert receiver.bad_signatures == 0
    assert receiver.received == [
        {
            "id": event.pk,
            "type": "labourcard.issued",
            "subject": "labourcard:1",
            "created_at": now.isoformat(),
            "payload": {"worker": "123"},
        }
    ]
    row = Delivery.objects.get()
    assert row.status == Delivery.Status.DELIVERED
    assert row.delivered_at == now
    log = MessageLog.objects.get(direction=MessageLog.Direction.OUTBOUND)
    assert log.status_code == 204
    assert log.agency.code == "rop"
    assert log.payload_hash == services.sha256_hex(delivery.event_body(row))


def test_a_wrong_secret_is_rejected_by_the_receiver(subscription, receiver, now):
    Subscription.objects.filter(pk=subscription.pk).update(secret="not-the-agreed-secret")
    publish(now)
    drain(now)
    assert receiver.bad_signatures == 1
    assert receiver.received == []
    assert Delivery.objects.get().status == Delivery.Status.PENDING


def test_events_of_one_subject_arrive_in_order_across_retries(subscription, receiver, now):
    first = publish(now, subject="labourcard:7", step=1)
    second = publish(now, subject="labourcard:7", step=2)
    other = publish(now, subject="labourcard:8", step=1)
    receiver.fail_next = 1  # the first attempt (event `first`) fails

    drain(now)
    # `first` waits for its retry, so `second` waits too; another subject is not held up.
    assert receiver.event_ids() == [other.pk]

    drain(now + delivery.backoff(1))
    assert receiver.event_ids() == [other.pk, first.pk, second.pk]


def test_retries_back_off_exponentially_then_dead_letter(subscription, receiver, now, settings):
    settings.INTEGRATION_WEBHOOK_MAX_ATTEMPTS = 3
    settings.INTEGRATION_WEBHOOK_BACKOFF_SECONDS = 10
    receiver.fail_next = 100
    publish(now)

    at = now
    for expected_wait in (10, 20):
        assert drain(at) == 1
        row = Delivery.objects.get()
        assert row.next_attempt_at == at + dt.timedelta(seconds=expected_wait)
        assert drain(row.next_attempt_at - dt.timedelta(seconds=1)) == 0  # not due yet
        at = row.next_attempt_at
    drain(at)

    row = Delivery.objects.get()
    assert (row.status, row.attempts, row.last_status_code) == (Delivery.Status.DEAD, 3, 500)
    assert drain(at + dt.timedelta(days=1)) == 0


def test_staff_redrive_a_dead_letter(subscription, receiver, now):
    publish(now)
    Delivery.objects.update(status=Delivery.Status.DEAD, attempts=8)
    staff = Actor(channel=Channel.STAFF, label="officer")

    assert services.deliveries_redrive(actor=staff, deliveries=Delivery.objects.all(), now=now) == 1
    drain(now)

    assert Delivery.objects.get().status == Delivery.Status.DELIVERED
    assert len(receiver.received) == 1
    assert AuditEvent.objects.filter(action="webhook_delivery.redriven").count() == 1


def test_unreachable_receiver_is_retried(subscription, now):
    Subscription.objects.filter(pk=subscription.pk).update(url="http://127.0.0.1:9/closed")
    publish(now)
    drain(now)
    row = Delivery.objects.get()
    assert row.status == Delivery.Status.PENDING
    assert row.attempts == 1
    assert "Error" in row.last_error
    assert MessageLog.objects.get().status_code is None


def test_a_killed_workers_lease_expires_and_another_worker_delivers(
    subscription, receiver, now, settings
):
    settings.INTEGRATION_LEASE_SECONDS = 60
    event = publish(now)

    claimed = delivery.claim(worker="killed", now=now)  # ... and the worker dies here
    assert [d.event_id for d in claimed] == [event.pk]

    assert drain(now + dt.timedelta(seconds=59), worker="w2") == 0  # still leased
    assert drain(now + dt.timedelta(seconds=61), worker="w2") == 1
    assert receiver.event_ids() == [event.pk]

    # The dead worker's late report cannot undo the delivery.
    delivery.send(claimed[0], worker="killed", now=now + dt.timedelta(seconds=62))
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED


def test_each_subscription_gets_its_own_delivery(subscription, receiver, now):
    Subscription.objects.create(
        agency=Agency.objects.get(code="social-insurance"),
        event_types=["*"],
        url=receiver.url,
        secret=receiver.secret,
    )
    event = publish(now)
    drain(now)
    assert receiver.event_ids() == [event.pk, event.pk]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_killed_mid_delivery_is_taken_over_after_its_lease(
    subscription, receiver, now
):
    """A real `deliver_outbox` process, SIGKILLed while the receiver holds its request."""
    event = publish(timezone.now())
    receiver.hang.set()
    database = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=(
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
    )
    worker = subprocess.Popen(
        [sys.executable, str(MANAGE), "deliver_outbox", "--worker", "doomed", "--interval", "0.1"],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        assert receiver.arrived.wait(60), "the worker never sent the event"
    finally:
        worker.kill()
        worker.wait(10)
    receiver.hang.clear()

    leased = Delivery.objects.get()
    assert (leased.status, leased.lease_owner) == (Delivery.Status.PENDING, "doomed")
    assert drain(timezone.now(), worker="w2") == 0  # the dead worker's lease still holds
    assert drain(leased.leased_until + dt.timedelta(seconds=1), worker="w2") == 1
    assert receiver.event_ids() == [event.pk]
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_in_parallel_deliver_each_event_once_in_order(subscription, receiver, now):
    subjects = [f"labourcard:{n}" for n in range(20)]
    events = [publish(now, subject=subjects[n % 20], n=n) for n in range(200)]
    errors = []

    def work(name):
        try:
            while Delivery.objects.filter(status=Delivery.Status.PENDING).exists():
                if not delivery.deliver_due(worker=name, now=now, limit=10):
                    time.sleep(0.01)  # the other worker holds the rest
        except Exception as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    received = receiver.event_ids()
    assert sorted(received) == [e.pk for e in events]  # each exactly once
    by_subject = {}
    for event in receiver.received:
        by_subject.setdefault(event["subject"], []).append(event["id"])
    assert all(ids == sorted(ids) for ids in by_subject.values())
    assert set(Delivery.objects.values_list("lease_owner", flat=True)) == {"w0", "w1"}


def test_signature_covers_the_timestamp_and_the_body():
    from .conftest import verify

    body, fresh = b'{"id":1}', int(time.time())
    header = delivery.sign(secret="k" * 32, timestamp=fresh, body=body)

    assert verify("k" * 32, header, body)
    assert not verify("k" * 32, header, b'{"id":2}')  # tampered body
    assert not verify("x" * 32, header, body)  # wrong secret
    stale = delivery.sign(secret="k" * 32, timestamp=fresh - 3600, body=body)
    assert not verify("k" * 32, stale, body)  # replayed an hour later


def run_in_statement(event: services.StatementEvent, source_rows: int) -> int:
    """Run `event` in a statement whose source CTE returns `source_rows` rows; its `owed`."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH source AS (SELECT n AS id FROM generate_series(1, %s) n), {event.ctes} "
            f"SELECT {event.owed}",
            [source_rows, *event.params],
        )
        owed = cursor.fetchone()[0]
    event.written(owed)
    return owed


@pytest.mark.postgres
def test_an_event_written_in_a_statement_is_the_one_publish_event_writes(
    now, django_capture_on_commit_callbacks
):
    expected_deliveries = subscriptions_to("visa.reserved")
    event = {
        "subject": "visa:V1",
        "event_type": "visa.reserved",
        "payload": {"visa_number": "V1", "text": 'شرطة "ROP" \\ 1', "count": 2, "none": None},
        "now": now,
    }
    with django_capture_on_commit_callbacks() as published_callbacks:
        services.publish_event(**event)
    expected = outbox_rows("visa:V1")
    OutboxEvent.objects.all().delete()

    with django_capture_on_commit_callbacks() as statement_callbacks:
        owed = run_in_statement(services.event_in_statement(**event, source="source"), 1)

    assert owed == expected_deliveries
    assert outbox_rows("visa:V1") == expected
    assert len(expected) == 1 and len(expected[0][3]) == expected_deliveries
    assert len(statement_callbacks) == len(published_callbacks) == 1


@pytest.mark.postgres
def test_an_event_in_a_statement_that_writes_no_row_is_not_written(
    subscription, now, django_capture_on_commit_callbacks
):
    in_statement = services.event_in_statement(
        subject="labourcard:1",
        event_type="labourcard.issued",
        payload={},
        source="source",
        now=now,
    )
    with django_capture_on_commit_callbacks() as callbacks:
        assert run_in_statement(in_statement, 0) == 0
    assert not OutboxEvent.objects.exists()
    assert not Delivery.objects.exists()
    assert callbacks == []
