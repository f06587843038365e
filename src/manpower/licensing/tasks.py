"""Background work of licensing: the periodic run, every few minutes (the task, or
`manage.py licensing_periodic`)."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from manpower.core.actor import Actor

from .services import applications_issue_paid, licences_expire


def run_periodic(*, now: dt.datetime) -> dict[str, int]:
    """Issue the licences whose fee was paid and that the `invoice_paid` receiver missed, and
    mark licences past their last valid day expired."""
    return {
        "issued": applications_issue_paid(actor=Actor.system("licence-issue"), now=now),
        "expired": licences_expire(actor=Actor.system("licence-expiry"), now=now),
    }


@task()
def licensing_periodic() -> dict[str, int]:
    return run_periodic(now=timezone.now())
