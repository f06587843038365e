"""Payments in the public API: the invoice as licensing's and labour cards' answers embed it.

Payments has no operations of its own yet: an invoice is paid on the portal page its
`payment_url` names.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from ninja import Field, Schema

from manpower.core.money import format_omr


class InvoiceOut(Schema):
    """An invoice to pay; labour cards' answers embed it too."""

    number: str
    status: str
    amount_baisa: int
    amount: str = Field(description="The amount as shown to people, e.g. `OMR 210.700`.")
    expires_at: dt.datetime
    paid_at: dt.datetime | None
    payment_url: str = Field(description="The portal's page of the invoice, where it is paid.")

    @staticmethod
    def resolve_amount(obj) -> str:
        return format_omr(obj.amount_baisa)

    @staticmethod
    def resolve_payment_url(obj, context) -> str:
        return context["request"].build_absolute_uri(reverse("payments:invoice", args=[obj.number]))
