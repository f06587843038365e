"""Every write of the payments app: fees, invoices, payments from every channel, refunds and
settlement reports.

Invoice statuses move only along TRANSITIONS, with a conditional update so that two concurrent
payments cannot both mark an invoice paid. Every payment that reaches us is stored once per
(channel, transaction id) — a repeated call returns the first answer — and a payment that
cannot be applied is kept with `refund_due` set.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import secrets
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import Role, User
from manpower.core import states
from manpower.core.actor import Actor, Channel
from manpower.core.audit import record
from manpower.core.errors import Conflict, DomainError, NotFound, PermissionDenied, required_reason
from manpower.core.money import format_omr, rials_to_baisa
from manpower.documents.services import DocumentField, document_issue
from manpower.integration.services import publish_event
from manpower.registry.models import Establishment

from . import gateways
from .models import (
    Fee,
    GatewayCallback,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentSession,
    Refund,
    SandboxCharge,
    SettlementReport,
)
from .selectors import MUSCAT, SETTLEMENT_COLUMNS
from .signals import send_invoice_paid

S = Invoice.Status

# The one table of allowed invoice status changes.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.UNPAID: frozenset({S.PAID, S.EXPIRED, S.CANCELLED}),
    S.PAID: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.EXPIRED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}


class NoFee(NotFound):
    code = "no_fee"


class FeeNotPositive(DomainError):
    code = "fee_not_positive"


class InvalidPayer(DomainError):
    code = "invalid_payer"


class InvoiceNotPayable(Conflict):
    code = "invoice_not_payable"


class InvoiceStatusConflict(Conflict):
    code = "invoice_status_conflict"


class RefundNotAllowed(PermissionDenied):
    code = "refund_not_allowed"


class RefundTooLarge(DomainError):
    code = "refund_too_large"


class NoRefundDue(Conflict):
    code = "no_refund_due"


class RefundAlreadySettled(Conflict):
    code = "refund_already_settled"


class UnknownTestCard(DomainError):
    code = "unknown_test_card"


class SessionClosed(Conflict):
    code = "payment_session_closed"


class SanadOnly(PermissionDenied):
    code = "sanad_only"


class BadSettlementFile(DomainError):
    code = "bad_settlement_file"


def _token() -> str:
    return secrets.token_urlsafe(18)


def _transition(invoice: Invoice, to: str, **fields) -> None:
    states.transition(invoice, to, table=TRANSITIONS, error=InvoiceStatusConflict, **fields)


def _publish(invoice: Invoice, event_type: str, *, now: dt.datetime, **details) -> None:
    """Tell subscribed agencies (through the integration outbox, in this transaction)."""
    publish_event(
        subject=f"invoice:{invoice.number}",
        event_type=event_type,
        payload={
            "invoice": invoice.number,
            "service_code": invoice.service_code,
            "payer_cr_number": invoice.payer_cr_number,
            "amount_baisa": invoice.amount_baisa,
            "status": invoice.status,
            **details,
        },
        now=now,
    )


# --- Fees ------------------------------------------------------------------------------------


def fee_set(
    *,
    actor: Actor,
    now: dt.datetime,
    service_code: str,
    name_en: str,
    name_ar: str,
    amount_baisa: int,
    effective_from_date: dt.date,
) -> Fee:
    """Add a fee from a date on; earlier invoices keep the amount they were issued with."""
    if amount_baisa <= 0:
        raise FeeNotPositive(_("A fee must be more than zero."))
    with transaction.atomic():
        fee = Fee.objects.create(
            service_code=service_code,
            name_en=name_en,
            name_ar=name_ar,
            amount_baisa=amount_baisa,
            effective_from_date=effective_from_date,
        )
        record(
            actor=actor,
            action="fee.set",
            obj=fee,
            at=now,
            changes={"service_code": service_code, "amount_baisa": amount_baisa},
        )
    return fee


def fee_effective(*, service_code: str, on_date: dt.date) -> Fee:
    fee = (
        Fee.objects.filter(service_code=service_code, effective_from_date__lte=on_date)
        .order_by("-effective_from_date", "-id")
        .first()
    )
    if fee is None:
        raise NoFee(_("No fee is set for service %(service)s."), service=service_code)
    return fee


# --- Invoices --------------------------------------------------------------------------------


def _payer_names(*, payer_cr_number: str | None, payer_user: User | None) -> tuple[str, str]:
    if bool(payer_cr_number) == bool(payer_user):
        raise InvalidPayer(_("An invoice has exactly one payer: an establishment or a person."))
    if payer_user is not None:
        fallback = payer_user.get_username()
        return payer_user.full_name_en or fallback, payer_user.full_name_ar or fallback
    establishment = Establishment.objects.filter(cr_number=payer_cr_number).first()
    if establishment is None:
        raise InvalidPayer(
            _("No establishment with commercial registration %(cr)s."), cr=payer_cr_number
        )
    return establishment.name_en, establishment.name_ar


def invoice_create(
    *,
    actor: Actor,
    now: dt.datetime,
    service_code: str,
    payer_cr_number: str | None = None,
    payer_user: User | None = None,
    quantity: int = 1,
) -> Invoice:
    """Bill the fee in force today; the amount is copied so later fee changes leave it alone."""
    name_en, name_ar = _payer_names(payer_cr_number=payer_cr_number, payer_user=payer_user)
    fee = fee_effective(service_code=service_code, on_date=timezone.localdate(now))
    validity = dt.timedelta(days=getattr(settings, "PAYMENTS_INVOICE_VALID_DAYS", 14))
    with transaction.atomic():
        invoice = Invoice.objects.create(
            number="INV-" + secrets.token_hex(5).upper(),
            service_code=service_code,
            payer_cr_number=payer_cr_number or "",
            payer_user=payer_user,
            payer_name_en=name_en,
            payer_name_ar=name_ar,
            amount_baisa=fee.amount_baisa * quantity,
            created_at=now,
            expires_at=now + validity,
        )
        InvoiceLine.objects.create(
            invoice=invoice,
            fee=fee,
            description_en=fee.name_en,
            description_ar=fee.name_ar,
            quantity=quantity,
            unit_baisa=fee.amount_baisa,
            amount_baisa=fee.amount_baisa * quantity,
        )
        record(
            actor=actor,
            action="invoice.created",
            obj=invoice,
            at=now,
            changes={"number": invoice.number, "amount_baisa": invoice.amount_baisa},
        )
    return invoice


def invoice_cancel(*, actor: Actor, now: dt.datetime, invoice: Invoice, reason: str) -> Invoice:
    with transaction.atomic():
        _transition(invoice, S.CANCELLED, closed_at=now, status_reason=required_reason(reason))
        record(
            actor=actor,
            action="invoice.cancelled",
            obj=invoice,
            at=now,
            changes={"status": [S.UNPAID, S.CANCELLED], "reason": reason},
        )
    return invoice


def invoices_expire(*, actor: Actor, now: dt.datetime) -> int:
    """Expire every unpaid invoice whose time is up; returns how many."""
    due = Invoice.objects.filter(status=S.UNPAID, expires_at__lte=now)
    return states.sweep(
        due,
        S.EXPIRED,
        table=TRANSITIONS,
        error=InvoiceStatusConflict,
        actor=actor,
        action="invoice.expired",
        at=now,
        closed_at=now,
    )


# --- Payments from every channel ---------------------------------------------------------------


def _receipt_fields(invoice: Invoice, payment: Payment) -> list[DocumentField]:
    line = invoice.lines.all()[0]
    paid = payment.received_at.astimezone(MUSCAT).strftime("%d/%m/%Y %H:%M")
    method = Payment.Method(payment.method).label
    return [
        DocumentField.of("invoice", _("Invoice number"), invoice.number),
        DocumentField.of("payer", _("Payer"), invoice.payer_name_en, invoice.payer_name_ar),
        DocumentField.of("service", _("Service"), line.description_en, line.description_ar),
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
            _publish(invoice, "invoice.paid", now=now, channel=channel, receipt=receipt.code)
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
            PaymentSession.objects.filter(token=session_token, status="OPEN").update(
                status=PaymentSession.Status.FAILED
            )
            answer = CallbackAnswer("DECLINED", 200)
        else:
            session = PaymentSession.objects.filter(token=session_token).first()
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
            if session:
                PaymentSession.objects.filter(pk=session.pk).update(
                    status=PaymentSession.Status.SUCCEEDED
                )
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
    if session.status != PaymentSession.Status.OPEN:
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


# --- Refunds --------------------------------------------------------------------------------


def _refunding_officer(actor: Actor) -> User:
    """Money goes back only on the word of a ministry officer or administrator."""
    user = User.objects.filter(pk=actor.user_id).first() if actor.user_id else None
    if user is None or user.role not in (Role.OFFICER, Role.ADMINISTRATOR):
        raise RefundNotAllowed(_("Only a ministry officer can refund a payment."))
    return user


def invoice_refund(
    *, actor: Actor, now: dt.datetime, invoice: Invoice, amount_baisa: int, reason: str
) -> Refund:
    """Give back all or part of a paid invoice; ministry officers and administrators only."""
    user = _refunding_officer(actor)
    reason = required_reason(reason)
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if amount_baisa <= 0 or amount_baisa > invoice.refundable_baisa:
            raise RefundTooLarge(
                _("A refund must be more than zero and at most %(left)s."),
                left=format_omr(invoice.refundable_baisa),
            )
        refunded = invoice.refunded_baisa + amount_baisa
        to = S.REFUNDED if refunded == invoice.amount_baisa else S.PARTIALLY_REFUNDED
        _transition(invoice, to, refunded_baisa=refunded, status_reason=reason)
        refund = Refund.objects.create(
            invoice=invoice,
            amount_baisa=amount_baisa,
            reason=reason,
            refunded_by_user_id=user.pk,
            refunded_at=now,
        )
        record(
            actor=actor,
            action="invoice.refunded",
            obj=invoice,
            at=now,
            changes={"amount_baisa": amount_baisa, "status": to, "reason": reason},
        )
        _publish(
            invoice,
            "invoice.refunded",
            now=now,
            refund_baisa=amount_baisa,
            refunded_baisa=invoice.refunded_baisa,
        )
    return refund


def payment_refund_settle(
    *, actor: Actor, now: dt.datetime, payment: Payment, reason: str
) -> Payment:
    """Record that money which could not be applied (late, already paid, wrong amount, unknown
    invoice) was given back; officers and administrators only, once per payment."""
    user = _refunding_officer(actor)
    reason = required_reason(reason)
    with transaction.atomic():
        settled = Payment.objects.filter(
            pk=payment.pk, refund_due=True, refund_settled_at__isnull=True
        ).update(refund_settled_at=now, refund_settled_by_user_id=user.pk, refund_reason=reason)
        if not settled:
            payment.refresh_from_db()
            if not payment.refund_due:
                raise NoRefundDue(
                    _("Payment %(reference)s was applied to its invoice: nothing is due back."),
                    reference=payment.transaction_id,
                )
            raise RefundAlreadySettled(
                _("The refund of payment %(reference)s was already settled."),
                reference=payment.transaction_id,
            )
        payment.refresh_from_db()
        record(
            actor=actor,
            action="payment.refund_settled",
            obj=payment,
            at=now,
            changes={
                "amount_baisa": payment.amount_baisa,
                "outcome": payment.outcome,
                "reason": reason,
            },
        )
    return payment


# --- Reconciliation ------------------------------------------------------------------------------


def _parse_settlement(csv_text: str) -> dict[str, int]:
    reader = csv.DictReader(io.StringIO(csv_text))
    if reader.fieldnames != SETTLEMENT_COLUMNS:
        raise BadSettlementFile(
            _("The settlement file must have the columns %(columns)s."),
            columns=", ".join(SETTLEMENT_COLUMNS),
        )
    rows: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        try:
            rows[row["transaction_id"]] = rials_to_baisa(row["amount_omr"])
        except (ArithmeticError, ValueError) as error:
            raise BadSettlementFile(
                _("Line %(line)s of the settlement file has a bad amount."), line=line
            ) from error
    return rows


def settlement_import(
    *, actor: Actor, now: dt.datetime, gateway: str, settlement_date: dt.date, csv_text: str
) -> SettlementReport:
    """Match a gateway's daily settlement file against the payments we received that day
    (Muscat time). Importing the same file again returns the first report."""
    digest = hashlib.sha256(csv_text.encode()).hexdigest()
    theirs = _parse_settlement(csv_text)
    with transaction.atomic():
        first = SettlementReport.objects.filter(
            gateway=gateway, settlement_date=settlement_date, file_sha256=digest
        ).first()
        if first:
            return first
        start = dt.datetime.combine(settlement_date, dt.time(), tzinfo=MUSCAT)
        ours_that_day = dict(
            Payment.objects.filter(
                channel=gateway, received_at__gte=start, received_at__lt=start + dt.timedelta(1)
            ).values_list("transaction_id", "amount_baisa")
        )
        known = dict(
            Payment.objects.filter(channel=gateway, transaction_id__in=list(theirs)).values_list(
                "transaction_id", "amount_baisa"
            )
        )
        mismatches = [
            {"transaction_id": txn, "ours": known[txn], "gateway": amount}
            for txn, amount in sorted(theirs.items())
            if txn in known and known[txn] != amount
        ]
        report = SettlementReport.objects.create(
            gateway=gateway,
            settlement_date=settlement_date,
            imported_at=now,
            file_sha256=digest,
            matched=sum(1 for txn, amount in theirs.items() if known.get(txn) == amount),
            missing_ours=sorted(txn for txn in theirs if txn not in known),
            missing_gateway=sorted(txn for txn in ours_that_day if txn not in theirs),
            amount_mismatches=mismatches,
        )
        record(
            actor=actor,
            action="settlement.imported",
            obj=report,
            at=now,
            changes={
                "matched": report.matched,
                "missing_ours": len(report.missing_ours),
                "missing_gateway": len(report.missing_gateway),
                "amount_mismatches": len(mismatches),
            },
        )
    return report
