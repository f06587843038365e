"""Background work of the contracts app: the daily run, and the social insurance retry that the
integration worker's queued checks make worthwhile."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from manpower.core.actor import Actor

from . import services


def run_daily(*, now: dt.datetime) -> dict[str, int]:
    """Decide the contracts waiting for social insurance that it can now answer, and end the
    employments whose last working day has come."""
    actor = Actor.system("contracts-daily")
    return {
        "insurance_decided": services.contracts_insurance_settle(actor=actor, now=now),
        "employments_ended": services.ends_of_service_apply(actor=actor, now=now),
    }


@task()
def contracts_daily() -> dict[str, int]:
    """Schedule it at least daily (or run `manage.py contracts_daily`); hourly shortens the
    wait of contracts held up by social insurance."""
    return run_daily(now=timezone.now())
