"""The append-only, hash-chained audit log (DESIGN.md §3).

Each event's hash covers its content and the previous event's hash in its chain; each chain's
head row keeps the last sequence number and hash, so an edited, deleted or truncated event is
found by `manage.py verify_audit`.

There are `AUDIT_CHAINS` chains (default 32), not one: every write of the platform appends an
event while holding its chain head's lock until commit, and with a single head every writer in
the country queued on that one row (the police's visa reservations measured it: most sessions
waited on the head). Each thread appends to one chain of its own choosing, so a transaction
locks one head only and two transactions never wait on each other's heads in opposite orders.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import random
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction

from .actor import Actor
from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list]:
    """`{field: [old, new]}` for the fields whose value differs."""
    return {
        name: [_plain(before.get(name)), _plain(after.get(name))]
        for name in sorted(set(before) | set(after))
        if _plain(before.get(name)) != _plain(after.get(name))
    }


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def event_hash(event: AuditEvent) -> str:
    body = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(),
        "channel": event.channel,
        "actor_user_id": event.actor_user_id,
        "actor_label": event.actor_label,
        "on_behalf_of": [event.on_behalf_of_kind, event.on_behalf_of_key],
        "request_id": event.request_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "action": event.action,
        "changes": event.changes,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model,
    at: dt.datetime,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event; call it inside the service's transaction so both commit together.

    Two statements on PostgreSQL (three elsewhere), no savepoint: every write of the platform
    passes here while holding the chain head's lock, so the lock is held for as short a time as
    possible. The returned event has no primary key (none is read back).
    """
    chain = _chain()
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        seq, prev_hash = _next_link(cursor, chain)
        event = AuditEvent(
            chain=chain,
            seq=seq,
            occurred_at=at.astimezone(dt.UTC),
            channel=str(actor.channel),
            actor_user_id=actor.user_id,
            actor_label=actor.label[:150],
            on_behalf_of_kind=actor.on_behalf_of[0] if actor.on_behalf_of else "",
            on_behalf_of_key=actor.on_behalf_of[1] if actor.on_behalf_of else "",
            request_id=actor.request_id,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            action=action,
            changes=_plain(dict(changes or {})),
            prev_hash=prev_hash,
        )
        event.hash = event_hash(event)
        fields, statements = _append_statements(connection.vendor)
        values = [
            field.get_db_prep_save(getattr(event, field.attname), connection) for field in fields
        ]
        if len(statements) == 1:
            cursor.execute(statements[0], [*values, event.hash, chain])
        else:
            cursor.execute(statements[0], values)
            cursor.execute(statements[1], [event.hash, chain])
    return event


@functools.cache
def _append_statements(vendor: str) -> tuple[list[models.Field], tuple[str, ...]]:
    """The event's INSERT (written here: the ORM's compiling of it cost more than running it)
    and the head's new hash; one statement on PostgreSQL, which can write inside a WITH."""
    fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    insert = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    update = f"UPDATE {_head_table()} SET last_hash = %s WHERE id = %s"
    if vendor == "postgresql":
        return fields, (f"WITH added AS ({insert}) {update}",)
    return fields, (insert, update)


_thread = threading.local()


def chain_count() -> int:
    return settings.AUDIT_CHAINS


def _chain() -> int:
    """This thread's chain, drawn once: a thread runs one transaction at a time, so a
    transaction's events all go to one chain."""
    if getattr(_thread, "chain", None) is None:
        _thread.chain = random.randint(1, chain_count())
    return _thread.chain


def _head_table() -> str:
    return connection.ops.quote_name(AuditChainHead._meta.db_table)


def _next_link(cursor, chain: int) -> tuple[int, str]:
    """Lock the chain's head and take its next sequence number: one UPDATE … RETURNING."""
    cursor.execute(
        f"UPDATE {_head_table()} SET last_seq = last_seq + 1 WHERE id = %s "
        "RETURNING last_seq, last_hash",
        [chain],
    )
    row = cursor.fetchone()
    if row is None:  # a new database, one a test flushed, or more chains configured
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(pk=n) for n in range(1, chain_count() + 1)], ignore_conflicts=True
        )
        return _next_link(cursor, chain)
    return row[0], row[1]


@dataclass(frozen=True)
class ChainProblem:
    chain: int
    seq: int
    reason: str


def verify_chain(*, batch_size: int = 5000) -> ChainProblem | None:
    """The first broken link of any chain, or None when every event is intact and present.

    The heads must be numbered 1…n without a gap, so that a chain removed whole, head and
    events, is found too (all heads are created together).
    """
    heads = {head.pk: head for head in AuditChainHead.objects.order_by("pk")}
    expected = max(*heads, chain_count()) if heads else 0
    for number in range(1, expected + 1):
        if number not in heads:
            return ChainProblem(number, 0, "chain head was removed")
    orphan = AuditEvent.objects.exclude(chain__in=list(heads)).order_by("chain", "seq").first()
    if orphan is not None:
        return ChainProblem(orphan.chain, orphan.seq, "chain head was removed")
    for head in heads.values():
        problem = _verify_one_chain(head, batch_size)
        if problem:
            return problem
    return None


def _verify_one_chain(head: AuditChainHead, batch_size: int) -> ChainProblem | None:
    chain = head.pk
    expected_prev = GENESIS
    expected_seq = 1
    events = AuditEvent.objects.filter(chain=chain).order_by("seq")
    for event in events.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return ChainProblem(chain, expected_seq, "missing event")
        if event.prev_hash != expected_prev:
            return ChainProblem(chain, event.seq, "previous event was changed or removed")
        if event_hash(event) != event.hash:
            return ChainProblem(chain, event.seq, "event was edited")
        expected_prev = event.hash
        expected_seq += 1
    if head.last_seq != expected_seq - 1 or head.last_hash != expected_prev:
        return ChainProblem(chain, expected_seq, "events at the end of the chain were removed")
    return None
