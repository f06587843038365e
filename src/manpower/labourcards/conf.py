"""The labour card rules that change by ministerial decision: each a setting with its default.

The fees themselves (issue, renewal, the late renewal fee per month, the departure form, the
transfer) are rows of payments' fee schedule, changed by staff; only the rules are here.
"""

from __future__ import annotations

from manpower.core.conf import Setting

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
    (
        "PERMIT_EXPIRED_NO_CONTRACT",
        "CONTRACT_EXPIRED",
        "DISMISSED",
        "COURT_ORDER",
        "FIRM_CLOSED",
        "UNPAID_WAGES",
    ),
    "Reasons for which a worker may move to another employer without the current one's consent.",
)
