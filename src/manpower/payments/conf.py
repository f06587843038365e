"""The payment rules that change by decision: each a setting with its default. The fees are rows
of the fee schedule (`fee_set`), not settings."""

from __future__ import annotations

from manpower.core.conf import Setting

INVOICE_VALID_DAYS = Setting(
    "PAYMENTS_INVOICE_VALID_DAYS", 14, "Days an invoice may be paid; an unpaid one then expires."
)
