"""Reads of invoices, scoped to the payer: the person billed, or a representative of the
establishment billed. Anyone else is told the invoice does not exist."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import Role
from manpower.core.dates import MUSCAT
from manpower.core.errors import NotFound
from manpower.documents.selectors import document_pdf
from manpower.registry.models import Establishment

from .models import Invoice, PaymentSession, SandboxCharge

SETTLEMENT_COLUMNS = ["transaction_id", "invoice_number", "amount_omr", "settled_at"]


class InvoiceNotFound(NotFound):
    code = "invoice_not_found"


class SessionNotFound(NotFound):
    code = "payment_session_not_found"


class ReceiptNotIssued(NotFound):
    code = "receipt_not_issued"


def invoices_payable_by(user) -> QuerySet[Invoice]:
    if not user.is_authenticated:
        return Invoice.objects.none()
    represented = Establishment.objects.filter(representatives__user=user).values("cr_number")
    return Invoice.objects.filter(Q(payer_user=user) | Q(payer_cr_number__in=represented))


def payable_invoice_numbers(
    *, payer_cr_number: str, service_code: str, now: dt.datetime
) -> list[str]:
    """The establishment's invoices for a service that can still be paid."""
    return list(
        Invoice.objects.filter(
            payer_cr_number=payer_cr_number,
            service_code=service_code,
            status=Invoice.Status.UNPAID,
            expires_at__gt=now,
        )
        .order_by("created_at", "id")
        .values_list("number", flat=True)
    )


def invoice_for_payer(*, user, number: str) -> Invoice:
    invoice = invoices_payable_by(user).prefetch_related("lines").filter(number=number).first()
    if invoice is None:
        raise InvoiceNotFound(_("No invoice %(number)s was found in your account."), number=number)
    return invoice


INVOICE_NUMBER = re.compile(r"INV-[0-9A-F]{10}")


def invoice_at_counter(*, user, number: str) -> Invoice:
    """Any invoice, by its number, for a Sanad operator: the payer brings the number to the
    counter. Nobody else finds one here."""
    number = number.strip().upper()
    invoice = None
    if (
        user.is_authenticated
        and user.role == Role.SANAD_OPERATOR
        and INVOICE_NUMBER.fullmatch(number)
    ):
        invoice = Invoice.objects.prefetch_related("lines").filter(number=number).first()
    if invoice is None:
        raise InvoiceNotFound(
            _("No invoice has the number %(number)s. Check it with the payer."), number=number[:40]
        )
    return invoice


def _receipt_pdf(invoice: Invoice) -> bytes:
    if not invoice.receipt_code:
        raise ReceiptNotIssued(_("Invoice %(number)s has no receipt yet."), number=invoice.number)
    return document_pdf(code=invoice.receipt_code)


def receipt_pdf_for_payer(*, user, number: str) -> bytes:
    return _receipt_pdf(invoice_for_payer(user=user, number=number))


def receipt_pdf_at_counter(*, user, number: str) -> bytes:
    return _receipt_pdf(invoice_at_counter(user=user, number=number))


def session_by_token(token: str) -> PaymentSession:
    session = PaymentSession.objects.select_related("invoice").filter(token=token).first()
    if session is None:
        raise SessionNotFound(_("This payment page does not exist."))
    return session


def sandbox_settlement_csv(*, settlement_date: dt.date) -> str:
    """The sandbox bank's view of a day: every accepted charge, in the settlement format."""
    start = dt.datetime.combine(settlement_date, dt.time(), tzinfo=MUSCAT)
    charges = SandboxCharge.objects.filter(
        succeeded=True, charged_at__gte=start, charged_at__lt=start + dt.timedelta(days=1)
    ).order_by("charged_at", "id")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SETTLEMENT_COLUMNS)
    for charge in charges:
        rials, baisa = divmod(charge.amount_baisa, 1000)
        writer.writerow(
            [
                charge.transaction_id,
                charge.invoice_number,
                f"{rials}.{baisa:03d}",
                charge.charged_at.astimezone(dt.UTC).isoformat(),
            ]
        )
    return out.getvalue()
