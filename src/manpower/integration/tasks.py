"""Background work of the integration app, through Django's task API (`manage.py db_worker`).

`deliver_outbox` is enqueued when a published event's transaction commits, so webhooks leave
within a moment; the `deliver_outbox` command stays as the sweeper for retries and for events
whose task was lost. The others are meant to be enqueued on a schedule (cron, or any
scheduler that can run `manage.py partner_export --enqueue`, `purge_message_bodies` and
`audit_checkpoint`).
"""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from manpower.core import checkpoints
from manpower.core.actor import Actor

from . import delivery, events, services


@task()
def deliver_outbox() -> int:
    """Send the deliveries that are due, batch after batch; how many were attempted."""
    worker = f"task:{socket.gethostname()}:{os.getpid()}"
    attempted = 0
    for _batch in range(20):  # at most 1,000 a run; the sweeper or the next task does the rest
        sent = delivery.deliver_due(worker=worker, now=timezone.now())
        attempted += sent
        if sent < 50:
            break
    return attempted


@task()
def partner_export(agency_code: str, kind: str, since: str | None = None) -> int:
    """Export a file for an agency (see `services.partner_export`); the new file's id."""
    exported = services.partner_export(
        actor=Actor.system("partner-export"),
        agency=services.agency_by_code(agency_code),
        kind=kind,
        since=dt.datetime.fromisoformat(since) if since else None,
        now=timezone.now(),
    )
    return exported.pk


@task()
def purge_message_bodies() -> int:
    """Blank message bodies past their retention; schedule it daily."""
    return services.purge_message_bodies(now=timezone.now())


def audit_checkpoint_run(*, now: dt.datetime) -> checkpoints.Checkpoint:
    """Sign the heads of the audit chains, write the checkpoint to its file, then publish it
    (core.checkpoints; here because core may not import integration)."""
    checkpoint = checkpoints.checkpoint_sign(now=now)
    checkpoints.checkpoint_write(checkpoint)
    with transaction.atomic():
        events.audit_checkpoint_signed(checkpoint=checkpoint, now=now)
    return checkpoint


@task()
def audit_checkpoint() -> str:
    """Sign and export a checkpoint of the audit log; schedule it every few minutes."""
    return audit_checkpoint_run(now=timezone.now()).signed_at.isoformat()
