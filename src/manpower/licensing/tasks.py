"""Background work of licensing; schedule both every few minutes (or run
`manage.py licensing_periodic`, which does both)."""

from django.utils import timezone
from django_tasks import task

from manpower.core.actor import Actor

from .services import applications_issue_paid, licences_expire


@task()
def issue_paid_licences() -> int:
    """Issue the licences whose fee was paid and that the `invoice_paid` receiver missed."""
    return applications_issue_paid(actor=Actor.system("licence-issue"), now=timezone.now())


@task()
def expire_licences() -> int:
    """Mark licences past their last valid day expired."""
    return licences_expire(actor=Actor.system("licence-expiry"), now=timezone.now())
