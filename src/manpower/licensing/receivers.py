"""Licensing's answer to payments' `invoice_paid`: a paid licence fee issues the licence at once.

A receiver is an entry point, like a view: it reads the clock and acts as the system. It runs
after the payment committed and never fails the payer: a rule that refuses (the application was
issued meanwhile, the applicant no longer represents the establishment) is logged. The task
`licensing_periodic` (or the command of that name) stays as the safety net for a receiver
that failed and for a process that stopped between the commit and the signal.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from manpower.core.actor import Actor
from manpower.core.errors import DomainError

from . import services

logger = logging.getLogger(__name__)


def issue_paid_licence(sender, *, number: str, **kwargs) -> None:
    try:
        services.application_settle_invoice(
            actor=Actor.system("invoice-paid"), now=timezone.now(), invoice_number=number
        )
    except DomainError as error:
        logger.warning("Licence of invoice %s not issued: %s", number, error.text("en"))
