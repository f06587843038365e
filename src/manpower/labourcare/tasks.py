"""Background work of labour care: the daily run."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from manpower.core.actor import Actor

from . import services


def run_daily(*, now: dt.datetime) -> dict[str, int]:
    """Restore the services of establishments whose stop after a non-compliant inspection is
    over."""
    actor = Actor.system("labourcare-daily")
    return {"sanctions_lifted": services.sanctions_lift_due(actor=actor, now=now)}


@task()
def labourcare_daily() -> dict[str, int]:
    """Schedule it once a day (or run `manage.py labourcare_daily`)."""
    return run_daily(now=timezone.now())
