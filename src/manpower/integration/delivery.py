"""The webhook worker: claim due deliveries under a lease, send them signed, record the outcome.

At least once: a delivery is marked DELIVERED only after the receiver answered 2xx, so a worker
killed in between leaves it leased, and the lease expires so that another worker retakes it.
In order per subject: a delivery is claimable only when no earlier event of the same subject is
still pending for the same subscription.

`deliver_outbox` is the task enqueued when a published event's transaction commits, so webhooks
leave within a moment; the `deliver_outbox` command stays as the sweeper for retries and for
events whose task was lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import socket
import time
import urllib.error
import urllib.request
import uuid

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_tasks import task

from . import conf, messagelog
from .models import Delivery, MessageLog

SIGNATURE_HEADER = "X-Manpower-Signature"


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value: `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def claim(*, worker: str, now: dt.datetime, limit: int = 50) -> list[Delivery]:
    """Lease up to `limit` due deliveries, each the oldest pending one of its subject."""
    lease = dt.timedelta(seconds=conf.LEASE_SECONDS.value)
    earlier_pending = Delivery.objects.filter(
        subscription=OuterRef("subscription"),
        subject=OuterRef("subject"),
        status=Delivery.Status.PENDING,
        event_id__lt=OuterRef("event_id"),
    )
    with transaction.atomic():
        due = (
            Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
            .exclude(Exists(earlier_pending))
            .order_by("id")
        )
        if connection.features.has_select_for_update_skip_locked:
            # PostgreSQL: other workers skip the rows this one is claiming instead of waiting.
            # SQLite needs nothing: its write lock, taken at BEGIN, serialises claims.
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:limit])
        Delivery.objects.filter(id__in=ids).update(leased_until=now + lease, lease_owner=worker)
    return list(
        Delivery.objects.filter(id__in=ids)
        .select_related("event", "subscription__agency")
        .order_by("id")
    )


def event_body(delivery: Delivery) -> bytes:
    event = delivery.event
    return json.dumps(
        {
            "id": event.pk,
            "type": event.event_type,
            "subject": event.subject,
            "created_at": event.created_at.isoformat(),
            "payload": event.payload,
        },
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    ).encode()


def send(delivery: Delivery, *, worker: str, now: dt.datetime) -> bool:
    """POST one leased delivery and record the outcome; True when the receiver took it."""
    body = event_body(delivery)
    request_id = uuid.uuid4().hex
    request = urllib.request.Request(
        delivery.subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(
                secret=delivery.subscription.secret, timestamp=int(now.timestamp()), body=body
            ),
            "X-Manpower-Event-Id": str(delivery.event_id),
            "X-Manpower-Event-Type": delivery.event.event_type,
            "X-Request-ID": request_id,
        },
    )
    timeout = conf.WEBHOOK_TIMEOUT_SECONDS.value
    started = time.monotonic()
    status_code, answer, error = None, b"", ""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status_code, answer = response.status, response.read(65536)
    except urllib.error.HTTPError as exc:
        status_code, answer, error = exc.code, exc.read(65536), f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:  # refused, reset, timed out, bad URL
        error = f"{type(exc).__name__}: {exc}"
    duration_ms = int((time.monotonic() - started) * 1000)
    ok = status_code is not None and 200 <= status_code < 300
    attempts = delivery.attempts + 1
    if ok:
        outcome = {"status": Delivery.Status.DELIVERED, "delivered_at": now}
    else:
        dead = attempts >= conf.WEBHOOK_MAX_ATTEMPTS.value
        outcome = {
            "status": Delivery.Status.DEAD if dead else Delivery.Status.PENDING,
            "next_attempt_at": now + backoff(attempts),
        }
    with transaction.atomic():  # one commit for the log row and the outcome
        messagelog.log_exchange(
            direction=MessageLog.Direction.OUTBOUND,
            method="POST",
            endpoint=delivery.subscription.url,
            request_id=request_id,
            now=now,
            duration_ms=duration_ms,
            status_code=status_code,
            request_body=body,
            response_body=answer,
            agency=delivery.subscription.agency,
            error=error,
        )
        # Only while the lease is ours: a worker whose lease expired must not undo another's work.
        Delivery.objects.filter(
            pk=delivery.pk, lease_owner=worker, status=Delivery.Status.PENDING
        ).update(
            attempts=attempts,
            last_status_code=status_code,
            last_error=error[:500],
            leased_until=None,
            **outcome,
        )
    return ok


def backoff(attempts: int) -> dt.timedelta:
    """Exponential: base, 2×base, 4×base, … capped at one hour."""
    base = conf.WEBHOOK_BACKOFF_SECONDS.value
    return dt.timedelta(seconds=min(3600, base * 2 ** (attempts - 1)))


def deliver_due(*, worker: str, now: dt.datetime, limit: int = 50) -> int:
    """One pass: claim a batch and send it. Returns how many deliveries were attempted."""
    batch = claim(worker=worker, now=now, limit=limit)
    for delivery in batch:
        send(delivery, worker=worker, now=now)
    return len(batch)


@task()
def deliver_outbox() -> int:
    """Send the deliveries that are due, batch after batch; how many were attempted."""
    worker = f"task:{socket.gethostname()}:{os.getpid()}"
    attempted = 0
    for _batch in range(20):  # at most 1,000 a run; the sweeper or the next task does the rest
        sent = deliver_due(worker=worker, now=timezone.now())
        attempted += sent
        if sent < 50:
            break
    return attempted
