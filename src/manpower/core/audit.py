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
import re
import secrets
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
    return hashlib.sha256(_canonical(_hashed_body(vars(event))).encode()).hexdigest()


def _hashed_body(event: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "seq": event["seq"],
        "occurred_at": event["occurred_at"].astimezone(dt.UTC).isoformat(),
        "channel": event["channel"],
        "actor_user_id": event["actor_user_id"],
        "actor_label": event["actor_label"],
        "on_behalf_of": [event["on_behalf_of_kind"], event["on_behalf_of_key"]],
        "request_id": event["request_id"],
        "object_type": event["object_type"],
        "object_id": event["object_id"],
        "action": event["action"],
        "changes": event["changes"],
        "prev_hash": event["prev_hash"],
    }


def _canonical(body: Mapping[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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
            **_event(
                actor=actor,
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                at=at,
                changes=changes or {},
                chain=chain,
                seq=seq,
                prev_hash=prev_hash,
            )
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


def _event(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str,
    at: dt.datetime,
    changes: Mapping[str, Any],
    chain: int,
    seq: int,
    prev_hash: str,
) -> dict[str, Any]:
    """The fields of a new event (`event_in_statement` makes no model instance of it)."""
    return {
        "chain": chain,
        "seq": seq,
        "occurred_at": at.astimezone(dt.UTC),
        "channel": str(actor.channel),
        "actor_user_id": actor.user_id,
        "actor_label": actor.label[:150],
        "on_behalf_of_kind": actor.on_behalf_of[0] if actor.on_behalf_of else "",
        "on_behalf_of_key": actor.on_behalf_of[1] if actor.on_behalf_of else "",
        "request_id": actor.request_id,
        "object_type": object_type,
        "object_id": object_id,
        "action": action,
        "changes": _plain(dict(changes)),
        "prev_hash": prev_hash,
    }


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
        f"UPDATE {_head_table()} SET last_seq = last_seq + 1, prev_hash = last_hash "
        "WHERE id = %s RETURNING last_seq, last_hash",
        [chain],
    )
    row = cursor.fetchone()
    if row is None:
        _create_heads()
        return _next_link(cursor, chain)
    return row[0], row[1]


def _create_heads() -> None:
    """For a new database, one a test flushed, or more chains configured."""
    AuditChainHead.objects.bulk_create(
        [AuditChainHead(pk=n) for n in range(1, chain_count() + 1)], ignore_conflicts=True
    )


@dataclass(frozen=True)
class Column:
    """A value that the statement itself writes: the column `name` (an integer) of its row."""

    name: str


@dataclass(frozen=True)
class StatementEvent:
    """What `event_in_statement` gives: CTEs named `audit_head` and `audit_event` to put
    after the statement's own, their parameters, and `written`, an expression for the
    statement's final SELECT: 1 when the event was appended, 0 when the chain's head is missing
    (a new database, or more chains configured). Then the caller appends the event with
    `record`, which creates the heads, in the same transaction: no savepoint is needed to keep
    the transaction usable, as no part of the statement failed."""

    ctes: str
    params: list
    written: str = "(SELECT count(*) FROM audit_event)"


# Marks the places of values only PostgreSQL knows in the canonical JSON of an event; random
# per process, so that no value sent by a user can contain it.
_SLOT = "slot" + secrets.token_hex(8)
_SLOT_RE = re.compile(f'"({_SLOT}N\\d+)"|({_SLOT}Q\\d+)')


def event_in_statement(
    *,
    actor: Actor,
    action: str,
    model: type[models.Model],
    source: str,
    at: dt.datetime,
    changes: Mapping[str, Any],
) -> StatementEvent:
    """The audit event of a row written by a PostgreSQL statement, appended by that same
    statement: one round trip (docs/benchmarks.md, the police's visa reservations). `source`
    is the statement's CTE returning the row (at most one), whose `id` is the event's object;
    a `Column` in `changes` is one of that row's values.

    PostgreSQL computes the hash: sha256 of the canonical JSON of `event_hash`, whose text is
    made here with the row's values, the sequence number and the previous hash left as slots
    that the statement fills in.
    """
    slots: dict[str, str] = {}

    def slot(expression: str, quoted: bool) -> str:
        token = f"{_SLOT}{'Q' if quoted else 'N'}{len(slots)}"
        slots[token] = expression
        return token

    event = _event(
        actor=actor,
        action=action,
        object_type=model._meta.label_lower,
        object_id=slot("src.id", True),
        at=at,
        changes={
            k: slot(f"src.{v.name}", False) if isinstance(v, Column) else v
            for k, v in changes.items()
        },
        chain=_chain(),
        seq=0,
        prev_hash=slot("h.last_hash", True),
    )
    body = _hashed_body(event) | {"seq": slot("h.last_seq + 1", False)}
    hash_text, hash_params = _spliced(_canonical(body), slots)
    changes_text, changes_params = _spliced(json.dumps(event["changes"]), slots)
    fields, insert = _statement_insert(connection.vendor)
    ctes = f"""
audit_head AS (
    UPDATE {_head_table()} h SET last_seq = h.last_seq + 1, prev_hash = h.last_hash,
        last_hash = encode(sha256(convert_to({hash_text}, 'UTF8')), 'hex')
    FROM {source} src WHERE h.id = %s
    RETURNING h.last_seq, h.prev_hash, h.last_hash, src.id::text AS object_id,
        ({changes_text})::jsonb AS changes
),
audit_event AS ({insert})"""
    values = [event[field.attname] for field in fields]  # as psycopg takes them
    return StatementEvent(ctes, [*hash_params, event["chain"], *changes_params, *values])


@functools.cache
def _statement_insert(vendor: str) -> tuple[list[models.Field], str]:
    """The event's INSERT from `audit_head`: the fields known before the statement runs, as
    parameters, and the rest from the head's RETURNING."""
    known = (
        "chain", "occurred_at", "channel", "actor_user_id", "actor_label",
        "on_behalf_of_kind", "on_behalf_of_key", "request_id", "object_type", "action",
    )  # fmt: skip
    quote = connection.ops.quote_name
    fields = [AuditEvent._meta.get_field(name) for name in known]
    insert = f"""
    INSERT INTO {quote(AuditEvent._meta.db_table)}
        ({", ".join(quote(field.column) for field in fields)}, seq, object_id, changes,
         prev_hash, hash)
    SELECT {", ".join(f"%s::{field.cast_db_type(connection)}" for field in fields)},
        last_seq, object_id, changes, prev_hash, last_hash
    FROM audit_head
    RETURNING 1
"""
    return fields, insert


def _spliced(text: str, slots: Mapping[str, str]) -> tuple[str, list[str]]:
    """SQL `concat(…)` of `text` with its slots replaced by their expressions, and the
    parameters (the literal pieces). A quoted slot stays inside the JSON string's quotes."""
    parts, params, start = [], [], 0
    for match in _SLOT_RE.finditer(text):
        params.append(text[start : match.start()])
        parts += ["%s::text", f"({slots[match.group(1) or match.group(2)]})::text"]
        start = match.end()
    params.append(text[start:])
    parts.append("%s::text")
    return f"concat({', '.join(parts)})", params


@dataclass(frozen=True)
class ChainProblem:
    chain: int
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"Audit chain {self.chain}, event #{self.seq}: {self.reason}."


def chain_problems(*, batch_size: int = 5000) -> list[ChainProblem]:
    """Every broken link of every chain, in chain order; empty when every event is intact and
    present. Whoever can write the tables can still rewrite a chain and its head consistently:
    the signed checkpoints (`core.checkpoints`) find that.

    The heads must be numbered 1…n without a gap, so that a chain removed whole, head and
    events, is found too (all heads are created together).
    """
    heads = {head.pk: head for head in AuditChainHead.objects.order_by("pk")}
    expected = max(*heads, chain_count()) if heads else 0
    problems = [
        ChainProblem(number, 0, "chain head was removed")
        for number in range(1, expected + 1)
        if number not in heads
    ]
    orphans = (
        AuditEvent.objects.exclude(chain__in=list(heads))
        .values("chain")
        .annotate(first=models.Min("seq"))
        .order_by("chain")
    )
    problems += [
        ChainProblem(row["chain"], row["first"], "chain head was removed")
        for row in orphans
        if row["chain"] > expected
    ]
    for head in heads.values():
        problems += _one_chain_problems(head, batch_size)
    return sorted(problems, key=lambda problem: (problem.chain, problem.seq))


def _one_chain_problems(head: AuditChainHead, batch_size: int) -> list[ChainProblem]:
    chain = head.pk
    problems = []
    expected_prev = GENESIS
    expected_seq = 1
    events = AuditEvent.objects.filter(chain=chain).order_by("seq")
    for event in events.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            missing = event.seq - expected_seq
            problems.append(
                ChainProblem(
                    chain,
                    expected_seq,
                    "missing event" if missing == 1 else f"{missing} missing events",
                )
            )
        elif event.prev_hash != expected_prev:
            problems.append(ChainProblem(chain, event.seq, "previous event was changed or removed"))
        if event_hash(event) != event.hash:
            problems.append(ChainProblem(chain, event.seq, "event was edited"))
        expected_prev = event.hash
        expected_seq = event.seq + 1
    if head.last_seq != expected_seq - 1 or head.last_hash != expected_prev:
        problems.append(
            ChainProblem(chain, expected_seq, "events at the end of the chain were removed")
        )
    return problems
