"""The labour card rules that change by ministerial decision: each a setting with its default.

The fees themselves (issue, renewal, the late renewal fee per month, the departure form, the
transfer) are rows of payments' fee schedule, changed by staff; only the rules are here.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from manpower.core.conf import Setting

# Reasons for which a worker may move without the current employer's consent (the ministry's
# circular of 29 July 2021, and unpaid wages); TRANSFER_REASONS_WITHOUT_CONSENT may narrow or
# extend the list.
TRANSFER_REASONS = {
    "PERMIT_EXPIRED_NO_CONTRACT": _("The permit expired and there is no current contract"),
    "CONTRACT_EXPIRED": _("The contract expired"),
    "DISMISSED": _("The employer dismissed the worker"),
    "COURT_ORDER": _("A court ordered it"),
    "FIRM_CLOSED": _("The employer closed or went bankrupt"),
    "UNPAID_WAGES": _("The employer did not pay the wages"),
    "WAGE_COMPLAINT": _("The worker has an open complaint about wages against the employer"),
    "LABOUR_JUDGMENT": _("A labour court judged for the worker, ordering a transfer or dues"),
    "WPS_NON_COMPLIANT": _("The employer failed the wage protection checks for months running"),
    "ABSCONDING_REVOKED": _("An absconding report against the worker was revoked"),
}

VALIDITY_MONTHS = Setting(
    "LABOURCARDS_VALIDITY_MONTHS", 24, "Validity of an issued or renewed labour card."
)
RENEWAL_WINDOW_DAYS = Setting(
    "LABOURCARDS_RENEWAL_WINDOW_DAYS",
    30,
    "A card can be renewed from this many days before it expires; reminders cover the same days.",
)
LATE_FEE_CAP_BAISA = Setting(
    "LABOURCARDS_LATE_FEE_CAP_BAISA",
    500_000,
    "Cap of the late renewal fee (MD 602/2025); the fee per month is the CARD_LATE_RENEWAL fee.",
)
TRANSFER_REASONS_WITHOUT_CONSENT = Setting(
    "LABOURCARDS_TRANSFER_REASONS_WITHOUT_CONSENT",
    list(TRANSFER_REASONS),
    "Reasons for which a worker may move to another employer without the current one's consent.",
)
