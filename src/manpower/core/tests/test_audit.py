import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from manpower.core import audit
from manpower.core.models import AuditEvent, Governorate

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_events(system_actor, now):
    governorate = Governorate.objects.create(code="TST", name_ar="اختبار", name_en="Test")
    for offset in range(3):
        audit.record(
            actor=system_actor,
            action="governorate.renamed",
            obj=governorate,
            at=now + dt.timedelta(minutes=offset),
            changes=audit.changes_between(
                {"name_en": f"Test {offset}", "since": None},
                {"name_en": f"Test {offset + 1}", "since": dt.date(2026, 1, 1)},
            ),
        )
    return list(AuditEvent.objects.order_by("seq"))


def test_each_state_change_appends_a_chained_event(three_events):
    assert [e.seq for e in three_events] == [1, 2, 3]
    assert three_events[0].prev_hash == audit.GENESIS
    assert three_events[1].prev_hash == three_events[0].hash
    assert three_events[2].action == "governorate.renamed"
    assert three_events[2].object_type == "core.governorate"
    assert three_events[2].changes == {
        "name_en": ["Test 2", "Test 3"],
        "since": [None, "2026-01-01"],
    }
    assert audit.verify_chain() is None
    call_command("verify_audit")


def test_an_edited_event_is_detected(three_events):
    AuditEvent.objects.filter(seq=2).update(changes={"name_en": ["Test 1", "Forged"]})
    problem = audit.verify_chain()
    assert problem == audit.ChainProblem(2, "event was edited")
    with pytest.raises(CommandError, match="#2"):
        call_command("verify_audit")


def test_a_deleted_event_is_detected(three_events):
    AuditEvent.objects.filter(seq=2).delete()
    assert audit.verify_chain() == audit.ChainProblem(2, "missing event")


def test_a_deleted_last_event_is_detected(three_events):
    AuditEvent.objects.filter(seq=3).delete()
    assert audit.verify_chain() == audit.ChainProblem(
        3, "events at the end of the chain were removed"
    )


def test_an_event_rehashed_after_editing_breaks_the_next_link(three_events):
    event = AuditEvent.objects.get(seq=2)
    event.actor_label = "someone else"
    event.hash = audit.event_hash(event)
    event.save()
    assert audit.verify_chain() == audit.ChainProblem(3, "previous event was changed or removed")
