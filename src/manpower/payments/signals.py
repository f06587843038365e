"""What payments tells the apps that bill through it.

`invoice_paid` is sent once the payment that paid an invoice has committed, so that the app
which billed it completes what was paid for at once (licensing issues the licence, labour cards
complete the request or the transfer). Receivers get `number`, `service_code`,
`payer_cr_number` ("" for a person), `amount_baisa` and `paid_at`. They run after the commit,
outside the payer's transaction: a receiver that fails is logged (logger `django.dispatch`) and
leaves the payment as it is; each app's polling job stays as the safety net for a failed
receiver and for a process that stopped between the commit and the signal.
"""

from __future__ import annotations

from django.dispatch import Signal

from .models import Invoice

invoice_paid = Signal()


def send_invoice_paid(invoice: Invoice) -> None:
    """Send `invoice_paid` to every receiver, even when one of them fails."""
    invoice_paid.send_robust(
        sender=Invoice,
        number=invoice.number,
        service_code=invoice.service_code,
        payer_cr_number=invoice.payer_cr_number,
        amount_baisa=invoice.amount_baisa,
        paid_at=invoice.paid_at,
    )
