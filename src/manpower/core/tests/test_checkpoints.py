"""Signed checkpoints: what someone who can write the audit tables, but has not the key, can no
longer hide, and `verify_audit` reporting every problem with its chain and event."""

import datetime as dt
import io
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError

from manpower.core import audit, checkpoints
from manpower.core.models import AuditChainHead, AuditEvent, Governorate

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_chains(monkeypatch, system_actor, now):
    """Chains 1, 2 and 3 with three events each."""
    governorate = Governorate.objects.create(code="TST", name_ar="اختبار", name_en="Test")
    for chain in (1, 2, 3):
        monkeypatch.setattr(audit._thread, "chain", chain, raising=False)
        for n in range(3):
            audit.record(
                actor=system_actor,
                action="governorate.renamed",
                obj=governorate,
                at=now + dt.timedelta(minutes=n),
                changes={"name_en": [f"Test {n}", f"Test {n + 1}"]},
            )


def checkpoint(now):
    signed = checkpoints.checkpoint_sign(now=now + dt.timedelta(hours=1))
    checkpoints.checkpoint_write(signed)
    return signed


def rewrite(chain: int, seq: int, **fields) -> None:
    """What a database administrator can do without the key: change an event, recompute its
    hash and every hash after it, and the chain's head, so that the chain alone is intact."""
    AuditEvent.objects.filter(chain=chain, seq=seq).update(**fields)
    rehash(chain)


def rehash(chain: int) -> None:
    previous = audit.GENESIS
    for event in AuditEvent.objects.filter(chain=chain).order_by("seq"):
        event.prev_hash = previous
        event.hash = audit.event_hash(event)
        event.save()
        previous = event.hash
    last = AuditEvent.objects.filter(chain=chain).order_by("seq").last()
    AuditChainHead.objects.filter(pk=chain).update(
        last_seq=last.seq, last_hash=last.hash, prev_hash=last.prev_hash
    )


def verify(*options) -> tuple[int, str]:
    """`manage.py verify_audit`: the exit code manage.py gives (a CommandError's returncode)
    and what it wrote. (Not `run_from_argv`: it closes the test's database connection.)"""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", *options, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue() + err.getvalue() + str(error)
    return 0, out.getvalue() + err.getvalue()


def test_an_untampered_log_passes_against_its_checkpoint(three_chains, now, settings):
    signed = checkpoint(now)
    assert signed.heads[0][:2] == (1, 3) and len(signed.heads) == 32
    [line] = (settings.AUDIT_CHECKPOINT_DIR / "2026-11-29.jsonl").read_text().splitlines()
    assert json.loads(line)["chains"][2] == {
        "chain": 3,
        "seq": 3,
        "hash": AuditChainHead.objects.get(pk=3).last_hash,
    }
    assert checkpoints.latest_checkpoint().latest == signed
    code, output = verify()
    assert code == 0
    assert "9 events in 32 chains" in output
    assert "against the checkpoint of 2026-11-29T09:00:00+00:00" in output


def test_the_last_event_rewritten_with_its_hash_and_head_is_found(three_chains, now):
    checkpoint(now)
    rewrite(2, 3, actor_label="someone else")
    assert audit.chain_problems() == []  # The unkeyed chain cannot see it.
    code, output = verify()
    assert code == 1
    assert "Audit chain 2, event #3: hash differs from the checkpoint" in output
    assert "1 problem(s)" in output


def test_an_earlier_event_rewritten_and_every_hash_after_it_is_found(three_chains, now):
    checkpoint(now)
    rewrite(1, 1, changes={"name_en": ["Test 0", "Forged"]})
    assert audit.chain_problems() == []
    [problem] = checkpoints.checkpoint_problems(checkpoints.latest_checkpoint().latest)
    assert (problem.chain, problem.seq) == (1, 3)
    assert "this event or one before it was rewritten" in problem.reason


def test_every_problem_is_reported_with_its_chain_and_event(three_chains, now):
    """A deletion in one chain, an earlier edit in another, a tail removed (head recomputed)
    in a third: all three are reported, not only the first."""
    checkpoint(now)
    AuditEvent.objects.filter(chain=1, seq=2).delete()
    AuditEvent.objects.filter(chain=2, seq=1).update(action="governorate.forged")
    AuditEvent.objects.filter(chain=3, seq=3).delete()
    rehash(3)
    code, output = verify()
    assert code == 1
    assert "Audit chain 1, event #2: missing event." in output
    assert "Audit chain 2, event #1: event was edited." in output
    assert "Audit chain 3, event #3: event signed in the checkpoint" in output
    assert "chain cut back" in output
    assert "3 problem(s)" in output


def test_a_removed_tail_is_reported_by_the_chain_too(three_chains, now):
    AuditEvent.objects.filter(chain=3, seq__gte=2).delete()
    AuditEvent.objects.filter(chain=1, seq=1).delete()
    assert audit.chain_problems() == [
        audit.ChainProblem(1, 1, "missing event"),
        audit.ChainProblem(3, 2, "events at the end of the chain were removed"),
    ]


def test_events_after_the_last_checkpoint_are_protected_by_the_chain_only(
    three_chains, now, monkeypatch, system_actor
):
    checkpoint(now)
    monkeypatch.setattr(audit._thread, "chain", 1)
    governorate = Governorate.objects.get(code="TST")
    audit.record(actor=system_actor, action="governorate.closed", obj=governorate, at=now)
    rewrite(1, 4, action="governorate.reopened")
    assert verify()[0] == 0  # Until the next checkpoint covers it.
    AuditEvent.objects.filter(chain=1, seq=4).update(action="governorate.closed")
    assert verify()[0] == 1  # An edit without the recomputation is still found.


def test_a_checkpoint_not_signed_with_our_key_is_refused(three_chains, now, settings):
    signed = checkpoint(now)
    forged = checkpoints.Checkpoint(
        signed_at=signed.signed_at + dt.timedelta(minutes=5), key_id=signed.key_id, heads=()
    )
    signature = Ed25519PrivateKey.generate().sign(forged.signed_body().encode())
    forged = checkpoints.Checkpoint(
        signed_at=forged.signed_at,
        key_id=forged.key_id,
        heads=(),
        signature=checkpoints.b64url(signature),
    )
    with (settings.AUDIT_CHECKPOINT_DIR / "2026-11-29.jsonl").open("a") as file:
        file.write(json.dumps(forged.as_payload()) + "\nnot json\n")
    reading = checkpoints.latest_checkpoint()
    assert reading.latest == signed  # The forged one is not taken as the latest.
    assert len(reading.refused) == 2
    code, output = verify()
    assert code == 1
    assert "2026-11-29.jsonl:2: signature is not that of AUDIT_CHECKPOINT_KEY" in output
    assert "2026-11-29.jsonl:3: not a checkpoint" in output


def test_an_agencys_copy_of_the_checkpoints_can_be_checked(three_chains, now, tmp_path):
    signed = checkpoint(now)
    copy = tmp_path / "agency-copy.jsonl"
    copy.write_text(json.dumps(signed.as_payload()) + "\n")
    rewrite(3, 2, actor_label="someone else")
    code, output = verify("--checkpoints", str(copy))
    assert code == 1 and "Audit chain 3, event #3" in output
    with pytest.raises(CommandError, match="1 problem"):
        call_command("verify_audit", checkpoints=tmp_path / "missing.jsonl", stderr=io.StringIO())
