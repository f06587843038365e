"""`audit_checkpoint` (command and task): the signed heads go to a file and, as the outbox event
`audit.checkpoint_signed`, to the agencies that subscribed; `verify_audit` checks the log
against them."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from manpower.core import audit, checkpoints
from manpower.core.models import Governorate
from manpower.integration import events, tasks
from manpower.integration.models import Agency, Delivery, OutboxEvent, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(system_actor, now):
    governorate = Governorate.objects.create(code="TST", name_ar="اختبار", name_en="Test")
    audit.record(actor=system_actor, action="governorate.checked", obj=governorate, at=now)


def test_the_command_writes_the_checkpoint_and_sends_it_to_subscribers(logged, settings):
    agency = Agency.objects.get(code="rop")
    Subscription.objects.create(
        agency=agency, event_types=["audit.checkpoint_signed"], url="http://a.example/", secret="s"
    )
    Subscription.objects.create(
        agency=agency, event_types=["licence.issued"], url="http://b.example/", secret="s"
    )
    out = io.StringIO()
    call_command("audit_checkpoint", stdout=out)
    assert "32 chains, 1 events" in out.getvalue()
    [path] = settings.AUDIT_CHECKPOINT_DIR.glob("*.jsonl")
    [line] = path.read_text().splitlines()
    event = OutboxEvent.objects.get(event_type="audit.checkpoint_signed")
    assert event.payload == json.loads(line)
    assert set(event.payload) == set(events.PAYLOADS["audit.checkpoint_signed"])  # jsonb sorts
    assert event.subject.startswith("audit_checkpoint:")
    assert Delivery.objects.get(event=event).subscription.url == "http://a.example/"
    checkpoint = checkpoints.Checkpoint.from_payload(event.payload)
    assert checkpoints.is_genuine(checkpoint, checkpoints.public_key())
    call_command("verify_audit", stdout=out)
    assert "against the checkpoint of" in out.getvalue()


def test_the_task_makes_a_checkpoint_and_the_latest_one_counts(logged):
    first = tasks.audit_checkpoint.call()
    assert checkpoints.latest_checkpoint().latest.signed_at.isoformat() == first
    later = tasks.audit_checkpoint_run(now=timezone.now() + dt.timedelta(days=1))
    assert checkpoints.latest_checkpoint().latest == later
    assert OutboxEvent.objects.filter(event_type="audit.checkpoint_signed").count() == 2
