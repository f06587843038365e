"""Background work of the integration app, through Django's task API (`manage.py db_worker`).

These are meant to be enqueued on a schedule (cron, or any scheduler that can run
`manage.py partner_export --enqueue`, `purge_message_bodies` and `audit_checkpoint`). The
webhook task, `delivery.deliver_outbox`, lives beside the worker it runs.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from manpower.core import checkpoints
from manpower.core.actor import Actor

from . import events, services


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
