"""The payment events published to the integration outbox, in the caller's transaction.

docs/events.md lists each event type with its subject and payload keys.
"""

from __future__ import annotations

import datetime as dt

from manpower.integration.services import publish_event

from .models import Invoice

INVOICE_KEYS = ("invoice_number", "service_code", "cr_number", "amount_baisa", "status")

PAYLOADS: dict[str, tuple[str, ...]] = {
    "invoice.paid": (*INVOICE_KEYS, "channel", "receipt_number"),
    "invoice.refunded": (*INVOICE_KEYS, "refund_baisa", "refunded_baisa"),
}


def _publish(invoice: Invoice, event_type: str, *, now: dt.datetime, **details) -> None:
    payload = {
        "invoice_number": invoice.number,
        "service_code": invoice.service_code,
        "cr_number": invoice.payer_cr_number,
        "amount_baisa": invoice.amount_baisa,
        "status": invoice.status,
        **details,
    }
    assert tuple(payload) == PAYLOADS[event_type], event_type
    publish_event(
        subject=f"invoice:{invoice.number}", event_type=event_type, payload=payload, now=now
    )


def invoice_paid(*, invoice: Invoice, channel: str, receipt_number: str, now: dt.datetime) -> None:
    """Published when a payment is applied to the invoice (PAID) and its receipt issued."""
    _publish(invoice, "invoice.paid", now=now, channel=channel, receipt_number=receipt_number)


def invoice_refunded(*, invoice: Invoice, refund_baisa: int, now: dt.datetime) -> None:
    """Published when an officer refunds all or part of a paid invoice."""
    _publish(
        invoice,
        "invoice.refunded",
        now=now,
        refund_baisa=refund_baisa,
        refunded_baisa=invoice.refunded_baisa,
    )
