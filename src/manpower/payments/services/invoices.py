"""Fees and invoices: the fee schedule, billing the fee in force, cancelling and expiring
invoices.

Invoice statuses move only along TRANSITIONS, with a conditional update so that two concurrent
payments cannot both mark an invoice paid.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import User
from manpower.core import states
from manpower.core.actor import Actor
from manpower.core.audit import record
from manpower.core.errors import Conflict, DomainError, NotFound, required_reason
from manpower.registry.models import Establishment

from .. import conf
from ..models import (
    Fee,
    Invoice,
    InvoiceLine,
)

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


def _transition(invoice: Invoice, to: str, **fields) -> None:
    states.transition(invoice, to, table=TRANSITIONS, error=InvoiceStatusConflict, **fields)


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
    """Bill one fee in force today, `quantity` times."""
    return invoice_create_lines(
        actor=actor,
        now=now,
        lines=[(service_code, quantity)],
        payer_cr_number=payer_cr_number,
        payer_user=payer_user,
    )


def invoice_create_lines(
    *,
    actor: Actor,
    now: dt.datetime,
    lines: list[tuple[str, int]],
    payer_cr_number: str | None = None,
    payer_user: User | None = None,
) -> Invoice:
    """Bill several fees in force today in one invoice, a line per (service code, quantity).

    The amounts are copied so later fee changes leave the invoice alone; the invoice's own
    service code is its first line's, the one its readers (signals, admin filters) go by.
    """
    name_en, name_ar = _payer_names(payer_cr_number=payer_cr_number, payer_user=payer_user)
    today = timezone.localdate(now)
    fees = [(fee_effective(service_code=code, on_date=today), quantity) for code, quantity in lines]
    validity = dt.timedelta(days=conf.INVOICE_VALID_DAYS.value)
    with transaction.atomic():
        invoice = Invoice.objects.create(
            number="INV-" + secrets.token_hex(5).upper(),
            service_code=lines[0][0],
            payer_cr_number=payer_cr_number or "",
            payer_user=payer_user,
            payer_name_en=name_en,
            payer_name_ar=name_ar,
            amount_baisa=sum(fee.amount_baisa * quantity for fee, quantity in fees),
            created_at=now,
            expires_at=now + validity,
        )
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=invoice,
                fee=fee,
                description_en=fee.name_en,
                description_ar=fee.name_ar,
                quantity=quantity,
                unit_baisa=fee.amount_baisa,
                amount_baisa=fee.amount_baisa * quantity,
            )
            for fee, quantity in fees
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
