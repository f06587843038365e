"""Background tasks (django-tasks), and what keeps the partner read fast without losing rules."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from manpower.core.actor import Actor
from manpower.integration import services, tasks
from manpower.integration.models import (
    Agency,
    Delivery,
    FileExchange,
    MessageLog,
    PartnerCredential,
    RateWindow,
)
from manpower.registry.models import Employment
from manpower.registry.selectors import establishment_workforce
from manpower.registry.tests.factories import EmploymentFactory, EstablishmentFactory, oman

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
BASE = "/api/partners/v1"


def test_publishing_an_event_queues_its_delivery_task_on_commit(
    subscription, now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_event(
            subject="labourcard:1", event_type="labourcard.issued", payload={}, now=now
        )
    queued = DBTaskResult.objects.filter(task_path="manpower.integration.delivery.deliver_outbox")
    assert queued.count() == 1
    assert queued.get().status == "READY"


def test_an_event_nobody_subscribed_to_queues_nothing(
    subscription, now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_event(subject="x:1", event_type="nobody.cares", payload={}, now=now)
    assert not DBTaskResult.objects.exists()


def test_a_rolled_back_event_queues_nothing(subscription, now, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.publish_event(
            subject="labourcard:1", event_type="labourcard.issued", payload={}, now=now
        )
        raise RuntimeError("the change failed")
    assert not DBTaskResult.objects.exists()


def test_with_the_immediate_backend_the_event_reaches_the_receiver(
    subscription, receiver, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        event = services.publish_event(
            subject="labourcard:7",
            event_type="labourcard.issued",
            payload={"number": "LC-7"},
            now=timezone.now(),
        )
    assert receiver.event_ids() == [event.pk]
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED


def test_export_and_purge_tasks(settings, issue_key, now):
    settings.TASKS = IMMEDIATE
    EstablishmentFactory()
    issue_key("chamber", ["registry"])
    result = tasks.partner_export.enqueue("chamber", "establishments", "2000-01-01T00:00:00+00:00")
    exported = FileExchange.objects.get(pk=result.return_value)
    assert exported.row_count == 1
    assert tasks.purge_message_bodies.enqueue().return_value == 0


def get(client, key, path="/establishments/1234567"):
    return client.get(BASE + path, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_key_revoked_elsewhere_stops_working_within_the_cache_ttl(client, issue_key, settings):
    EstablishmentFactory(cr_number="1234567")
    key = issue_key()
    assert get(client, key).status_code == 200
    # Another server revokes it: this process still has it cached ...
    PartnerCredential.objects.update(revoked_at=timezone.now())
    assert get(client, key).status_code == 200
    # ... until the cache entry is older than the TTL.
    settings.INTEGRATION_CREDENTIAL_CACHE_SECONDS = 0
    assert get(client, key).status_code == 401


def test_a_key_revoked_in_this_process_stops_at_once(client, issue_key, now):
    EstablishmentFactory(cr_number="1234567")
    key = issue_key()
    assert get(client, key).status_code == 200
    services.partner_key_revoke(
        actor=Actor.system("t"), prefix=PartnerCredential.objects.get().prefix, now=now
    )
    assert get(client, key).status_code == 401


def test_an_expired_cached_key_is_refused(client, issue_key):
    EstablishmentFactory(cr_number="1234567")
    key = issue_key()
    assert get(client, key).status_code == 200
    credential = services._credential_cache[services.sha256_hex(key)][1]
    credential.expires_at = timezone.now() - dt.timedelta(seconds=1)
    assert get(client, key).status_code == 401


def test_the_rate_window_counts_every_request_in_the_database(client, issue_key):
    EstablishmentFactory(cr_number="1234567")
    key = issue_key(rate_limit_per_minute=100)
    for _ in range(3):
        get(client, key)
    assert sum(RateWindow.objects.values_list("count", flat=True)) == 3
    assert MessageLog.objects.filter(status_code=200).count() == 3


def test_partner_workforce_counts_are_the_registrys(client, issue_key):
    establishment = EstablishmentFactory(cr_number="1234567")
    EmploymentFactory.create_batch(2, establishment=establishment)
    EmploymentFactory(
        establishment=establishment, person__is_national=True, person__nationality=oman()
    )
    ended = EmploymentFactory(establishment=establishment)
    Employment.objects.filter(pk=ended.pk).update(
        status=Employment.Status.ENDED, end_date=dt.date(2025, 1, 1)
    )

    body = get(client, issue_key()).json()

    expected = establishment_workforce(establishment=establishment)
    assert (
        body["workforce"]
        == {
            "active": expected.active,
            "nationals": expected.nationals,
            "non_nationals": expected.non_nationals,
        }
        == {"active": 3, "nationals": 1, "non_nationals": 2}
    )
    assert body["registered_at"].startswith(str(establishment.registered_at.year))


def test_the_chamber_agency_exists():
    assert Agency.objects.filter(code="chamber").exists()
