"""Payments from every channel: the gateway's session and callback, the Sanad counter, and the
sandbox gateway's hosted page.

Every payment that reaches us is stored once per (channel, transaction id) — a repeated call
returns the first answer — and a payment that cannot be applied is kept with `refund_due` set.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from manpower.core import states
from manpower.core.actor import Actor, Channel
from manpower.core.audit import record
from manpower.core.errors import Conflict, DomainError, PermissionDenied
from manpower.core.money import format_omr
from manpower.documents.services import DocumentField, document_issue

from .. import events, gateways
from ..models import (
    GatewayCallback,
    Invoice,
    Payment,
    PaymentSession,
    SandboxCharge,
)
from ..selectors import MUSCAT
from ..signals import send_invoice_paid
from .invoices import InvoiceNotPayable, S, _transition

P = PaymentSession.Status

# The one table of allowed payment session status changes. A declined session may still end
# paid: a payer who retries on the same gateway page.
SESSION_TRANSITIONS: dict[str, frozenset[str]] = {
    P.OPEN: frozenset({P.SUCCEEDED, P.FAILED}),
    P.FAILED: frozenset({P.SUCCEEDED}),
    P.SUCCEEDED: frozenset(),
}


class UnknownTestCard(DomainError):
    code = "unknown_test_card"


class SessionClosed(Conflict):
    code = "payment_session_closed"


class SanadOnly(PermissionDenied):
    code = "sanad_only"


def _token() -> str:
    return secrets.token_urlsafe(18)


def _session_close(*, actor: Actor, now: dt.datetime, session: PaymentSession, to: str) -> None:
    """The gateway said how the session ended; audited like every status change."""
    before = session.status
    states.transition(session, to, table=SESSION_TRANSITIONS, error=SessionClosed)
    record(
        actor=actor,
        action=f"payment_session.{to.lower()}",
        obj=session,
        at=now,
        changes={"status": [before, to]},
    )


# --- Payments from every channel ---------------------------------------------------------------


def _receipt_fields(invoice: Invoice, payment: Payment) -> list[DocumentField]:
    """The receipt lists every line billed (`service`, then `service_2`, … with its quantity)."""
    services = [
        DocumentField.of(
            "service" if number == 1 else f"service_{number}",
            _("Service"),
            f"{line.description_en} × {line.quantity}",
            f"{line.description_ar} × {line.quantity}",
        )
        for number, line in enumerate(invoice.lines.all(), start=1)
    ]
    paid = payment.received_at.astimezone(MUSCAT).strftime("%d/%m/%Y %H:%M")
    method = Payment.Method(payment.method).label
    return [
        DocumentField.of("invoice", _("Invoice number"), invoice.number),
        DocumentField.of("payer", _("Payer"), invoice.payer_name_en, invoice.payer_name_ar),
        *services,
        DocumentField.of("amount", _("Amount paid"), format_omr(payment.amount_baisa)),
        DocumentField.of("paid_at", _("Paid at (Muscat time)"), paid),
        DocumentField.of("method", _("Payment method"), method),
        DocumentField.of("reference", _("Payment reference"), payment.transaction_id),
    ]


def _outcome(invoice: Invoice | None, amount_baisa: int, now: dt.datetime) -> str:
    outcome = Payment.Outcome
    if invoice is None:
        return outcome.UNKNOWN_INVOICE
    if invoice.status in (S.PAID, S.PARTIALLY_REFUNDED, S.REFUNDED):
        return outcome.ALREADY_PAID
    if invoice.status != S.UNPAID or now >= invoice.expires_at:
        return outcome.LATE
    if amount_baisa != invoice.amount_baisa:
        return outcome.AMOUNT_MISMATCH
    return outcome.APPLIED


@dataclass(frozen=True)
class PaymentResult:
    payment: Payment
    duplicate: bool


def _receive_payment(
    *,
    actor: Actor,
    now: dt.datetime,
    method: str,
    channel: str,
    transaction_id: str,
    invoice_number: str,
    amount_baisa: int,
    sanad_centre_code: str = "",
) -> PaymentResult:
    """Record money received once per (channel, transaction id), apply it to the invoice if
    it can be, flag it for refund otherwise, and issue the receipt when it is applied. Once an
    applied payment commits, `signals.invoice_paid` tells the app that billed the invoice."""
    with transaction.atomic():
        first = Payment.objects.filter(channel=channel, transaction_id=transaction_id).first()
        if first is not None:
            return PaymentResult(first, duplicate=True)
        invoice = Invoice.objects.select_for_update().filter(number=invoice_number).first()
        outcome = _outcome(invoice, amount_baisa, now)
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    method=method,
                    channel=channel,
                    transaction_id=transaction_id,
                    invoice=invoice,
                    invoice_number=invoice_number[:40],
                    amount_baisa=amount_baisa,
                    received_at=now,
                    outcome=outcome,
                    refund_due=outcome != Payment.Outcome.APPLIED,
                    sanad_centre_code=sanad_centre_code,
                )
        except IntegrityError:
            # The same transaction arrived concurrently and was stored first.
            first = Payment.objects.get(channel=channel, transaction_id=transaction_id)
            return PaymentResult(first, duplicate=True)
        if outcome == Payment.Outcome.APPLIED:
            _transition(invoice, S.PAID, paid_at=now)
            receipt = document_issue(
                actor=actor,
                now=now,
                kind="RECEIPT",
                subject_ref=invoice.number,
                fields=_receipt_fields(invoice, payment),
            )
            Invoice.objects.filter(pk=invoice.pk).update(receipt_code=receipt.code)
            invoice.receipt_code = receipt.code
            events.invoice_paid(
                invoice=invoice, channel=channel, receipt_number=receipt.code, now=now
            )
            transaction.on_commit(partial(send_invoice_paid, invoice), robust=True)
        record(
            actor=actor,
            action="payment.received",
            obj=payment,
            at=now,
            changes={
                "invoice": invoice_number,
                "amount_baisa": amount_baisa,
                "outcome": outcome,
                "channel": channel,
            },
        )
    return PaymentResult(payment, duplicate=False)


def _check_payable(invoice: Invoice, now: dt.datetime) -> None:
    """Only an unpaid invoice before its expiry can be paid, online or at a counter."""
    if invoice.status != S.UNPAID or now >= invoice.expires_at:
        raise InvoiceNotPayable(
            _("Invoice %(number)s cannot be paid: it is %(state)s."),
            number=invoice.number,
            state=invoice.get_status_display() if invoice.status != S.UNPAID else _("expired"),
        )


def payment_session_start(
    *, actor: Actor, now: dt.datetime, invoice: Invoice, gateway: str = gateways.SANDBOX
) -> PaymentSession:
    _check_payable(invoice, now)
    with transaction.atomic():
        session = PaymentSession.objects.create(
            token=_token(),
            invoice=invoice,
            gateway=gateway,
            amount_baisa=invoice.amount_baisa,
            created_at=now,
        )
        record(
            actor=actor,
            action="payment.session_started",
            obj=session,
            at=now,
            changes={"invoice": invoice.number, "gateway": gateway},
        )
    return session


@dataclass(frozen=True)
class CallbackAnswer:
    result: str
    http_status: int
    duplicate: bool = False


def gateway_callback_receive(
    *, actor: Actor, now: dt.datetime, gateway: str, body: bytes, signature: str
) -> CallbackAnswer:
    """Handle a gateway's server-to-server call. Every call is logged; a forged or malformed
    one changes nothing else; a repeated one returns the first answer."""
    authentic = gateways.gateway(gateway).is_authentic(body, signature)
    message: dict = {}
    if authentic:
        try:
            message = json.loads(body)
            session_token = str(message["session"])
            transaction_id = str(message["transaction_id"])
            amount_baisa = int(message["amount_baisa"])
            succeeded = message["status"] == "SUCCEEDED"
        except (ValueError, KeyError, TypeError):
            message = {}
    with transaction.atomic():
        if not authentic:
            answer = CallbackAnswer("FORGED", 403)
        elif not message:
            answer = CallbackAnswer("MALFORMED", 400)
        elif not succeeded:
            session = (
                PaymentSession.objects.select_for_update()
                .filter(token=session_token, status=P.OPEN)
                .first()
            )
            if session:
                _session_close(actor=actor, now=now, session=session, to=P.FAILED)
            answer = CallbackAnswer("DECLINED", 200)
        else:
            # Locked first: concurrent callbacks of one session wait here, then see its end.
            session = PaymentSession.objects.select_for_update().filter(token=session_token).first()
            invoice_number = session.invoice.number if session else str(message.get("invoice"))
            result = _receive_payment(
                actor=actor,
                now=now,
                method=Payment.Method.GATEWAY,
                channel=gateway,
                transaction_id=transaction_id,
                invoice_number=invoice_number,
                amount_baisa=amount_baisa,
            )
            if session and session.status != P.SUCCEEDED:
                _session_close(actor=actor, now=now, session=session, to=P.SUCCEEDED)
            answer = CallbackAnswer(result.payment.outcome, 200, result.duplicate)
        GatewayCallback.objects.create(
            gateway=gateway,
            received_at=now,
            body=body.decode("utf-8", errors="replace"),
            signature_valid=authentic,
            transaction_id=str(message.get("transaction_id", ""))[:64],
            result=("DUPLICATE:" if answer.duplicate else "") + answer.result,
        )
    return answer


def sanad_payment_record(
    *,
    actor: Actor,
    now: dt.datetime,
    invoice_number: str,
    centre_code: str,
    reference: str,
    amount_baisa: int,
) -> PaymentResult:
    """Cash or card taken at a Sanad counter, recorded by the centre against its own code;
    idempotent on (centre, counter reference)."""
    if actor.channel != Channel.SANAD:
        raise SanadOnly(_("Only a Sanad service centre can record a counter payment."))
    return _receive_payment(
        actor=actor,
        now=now,
        method=Payment.Method.SANAD,
        channel="sanad",
        transaction_id=f"{centre_code}:{reference}",
        invoice_number=invoice_number,
        amount_baisa=amount_baisa,
        sanad_centre_code=centre_code,
    )


def sanad_counter_payment(
    *, actor: Actor, now: dt.datetime, invoice: Invoice, centre_code: str
) -> PaymentResult:
    """The operator takes the invoice's whole amount at the counter. Unlike money that a
    centre reports afterwards, this is asked before any is taken: an invoice already paid,
    cancelled or expired is refused. Once per centre and invoice (a second click repeats the
    first answer)."""
    if actor.channel != Channel.SANAD:
        raise SanadOnly(_("Only a Sanad service centre can record a counter payment."))
    _check_payable(invoice, now)
    return sanad_payment_record(
        actor=actor,
        now=now,
        invoice_number=invoice.number,
        centre_code=centre_code,
        reference=invoice.number,
        amount_baisa=invoice.amount_baisa,
    )


# --- The sandbox gateway's hosted page ----------------------------------------------------------


@dataclass(frozen=True)
class SignedCallback:
    body: bytes
    signature: str


def sandbox_charge(
    *, now: dt.datetime, session: PaymentSession, card_number: str
) -> tuple[SandboxCharge, SignedCallback]:
    """What the sandbox bank does when the payer submits its card page: charge (or decline)
    and prepare the signed callback it sends to the ministry."""
    card = "".join(ch for ch in card_number if ch.isdigit())
    if card not in gateways.TEST_CARDS:
        raise UnknownTestCard(
            _("Use a test card: 4111 1111 1111 1111 (accepted) or 4000 0000 0000 0002 (declined).")
        )
    if session.status != P.OPEN:
        raise SessionClosed(_("This payment was already completed."))
    with transaction.atomic():
        charge = SandboxCharge.objects.create(
            transaction_id="SBX-" + secrets.token_hex(8).upper(),
            session=session,
            invoice_number=session.invoice.number,
            amount_baisa=session.amount_baisa,
            card_last4=card[-4:],
            succeeded=gateways.TEST_CARDS[card],
            charged_at=now,
        )
    body = json.dumps(
        {
            "transaction_id": charge.transaction_id,
            "session": session.token,
            "invoice": charge.invoice_number,
            "amount_baisa": charge.amount_baisa,
            "status": "SUCCEEDED" if charge.succeeded else "FAILED",
            "occurred_at": now.astimezone(dt.UTC).isoformat(),
        },
        sort_keys=True,
    ).encode()
    return charge, SignedCallback(body, gateways.gateway(gateways.SANDBOX).sign(body))
