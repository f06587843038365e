"""Refunds: money given back on the word of a ministry officer."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import Role, User
from manpower.core.actor import Actor
from manpower.core.audit import record
from manpower.core.errors import Conflict, DomainError, PermissionDenied, required_reason
from manpower.core.money import format_omr

from .. import events
from ..models import (
    Invoice,
    Payment,
    Refund,
)
from .invoices import S, _transition


class RefundNotAllowed(PermissionDenied):
    code = "refund_not_allowed"


class RefundTooLarge(DomainError):
    code = "refund_too_large"


class NoRefundDue(Conflict):
    code = "no_refund_due"


class RefundAlreadySettled(Conflict):
    code = "refund_already_settled"


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
        events.invoice_refunded(invoice=invoice, refund_baisa=amount_baisa, now=now)
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
