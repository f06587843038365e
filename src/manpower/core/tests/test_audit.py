import datetime as dt
import io
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from manpower.core import audit
from manpower.core.models import AuditChainHead, AuditEvent, Governorate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chain_one(monkeypatch):
    """This thread appends to chain 1, whatever it drew before."""
    monkeypatch.setattr(audit._thread, "chain", 1, raising=False)


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
    assert [(e.chain, e.seq) for e in three_events] == [(1, 1), (1, 2), (1, 3)]
    assert three_events[0].prev_hash == audit.GENESIS
    assert three_events[1].prev_hash == three_events[0].hash
    assert three_events[2].action == "governorate.renamed"
    assert three_events[2].object_type == "core.governorate"
    assert three_events[2].changes == {
        "name_en": ["Test 2", "Test 3"],
        "since": [None, "2026-01-01"],
    }
    assert audit.chain_problems() == []
    call_command("verify_audit")


def test_an_edited_event_is_detected(three_events):
    AuditEvent.objects.filter(seq=2).update(changes={"name_en": ["Test 1", "Forged"]})
    assert audit.chain_problems() == [audit.ChainProblem(1, 2, "event was edited")]
    with pytest.raises(CommandError, match="1 problem"):
        call_command("verify_audit", stderr=io.StringIO())


def test_a_deleted_event_is_detected(three_events):
    AuditEvent.objects.filter(seq=2).delete()
    assert audit.chain_problems() == [audit.ChainProblem(1, 2, "missing event")]


def test_a_deleted_last_event_is_detected(three_events):
    AuditEvent.objects.filter(seq=3).delete()
    assert audit.chain_problems() == [
        audit.ChainProblem(1, 3, "events at the end of the chain were removed")
    ]


def test_an_event_rehashed_after_editing_breaks_the_next_link(three_events):
    event = AuditEvent.objects.get(seq=2)
    event.actor_label = "someone else"
    event.hash = audit.event_hash(event)
    event.save()
    assert audit.chain_problems() == [
        audit.ChainProblem(1, 3, "previous event was changed or removed")
    ]


def test_all_chain_heads_are_created_together(three_events, settings):
    assert AuditChainHead.objects.count() == audit.chain_count() == 32
    assert AuditChainHead.objects.get(pk=1).last_seq == 3
    assert AuditChainHead.objects.exclude(pk=1).filter(last_seq__gt=0).count() == 0


def test_events_of_another_chain_are_verified_on_their_own(
    three_events, monkeypatch, system_actor, now
):
    monkeypatch.setattr(audit._thread, "chain", 7)
    governorate = Governorate.objects.get(code="TST")
    audit.record(actor=system_actor, action="governorate.checked", obj=governorate, at=now)
    event = AuditEvent.objects.get(action="governorate.checked")
    assert (event.chain, event.seq, event.prev_hash) == (7, 1, audit.GENESIS)
    assert audit.chain_problems() == []
    AuditEvent.objects.filter(pk=event.pk).update(action="governorate.forged")
    assert audit.chain_problems() == [audit.ChainProblem(7, 1, "event was edited")]


def test_a_chain_removed_whole_is_detected(three_events):
    AuditChainHead.objects.filter(pk=32).delete()
    assert audit.chain_problems() == [audit.ChainProblem(32, 0, "chain head was removed")]


def test_events_without_their_head_are_detected(three_events):
    AuditChainHead.objects.filter(pk=1).delete()
    assert audit.chain_problems() == [audit.ChainProblem(1, 0, "chain head was removed")]


def test_each_thread_keeps_to_one_chain():
    drawn = []

    def draw():
        drawn.append((audit._chain(), audit._chain()))

    threads = [threading.Thread(target=draw) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(first == second for first, second in drawn)
    assert all(1 <= first <= audit.chain_count() for first, _ in drawn)
