"""Background work of the payments app."""

from django.utils import timezone
from django_tasks import task

from manpower.core.actor import Actor

from .services import invoices_expire


@task()
def expire_invoices() -> int:
    """Expire unpaid invoices past their date; schedule it hourly (or run the command)."""
    return invoices_expire(actor=Actor.system("invoice-expiry"), now=timezone.now())
