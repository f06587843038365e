"""The append-only, hash-chained audit log (DESIGN.md §3).

Each event's hash covers its content and the previous event's hash; the chain head row keeps the
last sequence number and hash, so an edited, deleted or truncated event is found by
`manage.py verify_audit`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction

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
    """Append one event; call it inside the service's transaction so both commit together."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.last_seq + 1,
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
            prev_hash=head.last_hash,
        )
        event.hash = event_hash(event)
        event.save()
        head.last_seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def verify_chain(*, batch_size: int = 5000) -> ChainProblem | None:
    """The first broken link of the chain, or None when every event is intact and present."""
    expected_prev = GENESIS
    expected_seq = 1
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return ChainProblem(expected_seq, "missing event")
        if event.prev_hash != expected_prev:
            return ChainProblem(event.seq, "previous event was changed or removed")
        if event_hash(event) != event.hash:
            return ChainProblem(event.seq, "event was edited")
        expected_prev = event.hash
        expected_seq += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    last_seq, last_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS)
    if last_seq != expected_seq - 1 or last_hash != expected_prev:
        return ChainProblem(expected_seq, "events at the end of the chain were removed")
    return None
