"""Background work of the integration app, through Django's task API (`manage.py db_worker`).

`deliver_outbox` is enqueued when a published event's transaction commits, so webhooks leave
within a moment; the `deliver_outbox` command stays as the sweeper for retries and for events
whose task was lost. The other two are meant to be enqueued on a schedule (cron, or any
scheduler that can run `manage.py partner_export --enqueue` and `purge_message_bodies`).
"""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.utils import timezone
from django_tasks import task

from manpower.core.actor import Actor

from . import delivery, services


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
