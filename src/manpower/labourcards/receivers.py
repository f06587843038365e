"""Labour cards' answer to payments' `invoice_paid`: a paid fee completes the card request or
the transfer of services it was billed for, at once.

A receiver is an entry point, like a view: it reads the clock and acts as the system. It runs
after the payment committed and never fails the payer: a rule that refuses (the employment
ended meanwhile, no vacancy is left on the licence) is logged. The daily job
(`manage.py labourcards_daily`) stays as the safety net for a receiver that failed and for a
process that stopped between the commit and the signal.
"""

from __future__ import annotations

import logging

from django.utils import timezone

from manpower.core.actor import Actor
from manpower.core.errors import DomainError

from . import services

logger = logging.getLogger(__name__)


def complete_paid_request(sender, *, number: str, **kwargs) -> None:
    actor, now = Actor.system("invoice-paid"), timezone.now()
    for settle in (services.card_request_settle_invoice, services.transfer_settle_invoice):
        try:
            settle(actor=actor, now=now, invoice_number=number)
        except DomainError as error:
            logger.warning(
                "Invoice %s paid, %s refused: %s", number, settle.__name__, error.text("en")
            )
