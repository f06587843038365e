"""The contract rules that change by ministerial decision: each a setting with its default.

The national minimum wage is the project-wide `NATIONAL_MINIMUM_WAGE_BAISA` (an environment
variable of `manpower.settings`, also used by the synthetic data); it is read here, not declared.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from manpower.core.conf import Setting

# Lawful grounds on which an employer ends a contract (Labour Law, Royal Decree 53/2023);
# TERMINATION_GROUNDS may narrow or extend the list a deployment offers.
GROUNDS = {
    "PROBATION": _("The worker did not pass the probation period"),
    "SERIOUS_MISCONDUCT": _("A serious breach by the worker (the Labour Law's listed grounds)"),
    "POOR_PERFORMANCE": _("Poor performance after written warnings"),
    "INCAPACITY": _("The worker is medically unable to do the work"),
    "ECONOMIC_REASONS": _("Economic reasons approved by the Ministry"),
    "FIXED_TERM_ENDED": _("The fixed term of the contract ended"),
    "FIRM_CLOSED": _("The establishment closed"),
}

PROBATION_MAX_MONTHS = Setting(
    "CONTRACTS_PROBATION_MAX_MONTHS", 6, "Longest probation period a contract may set."
)
START_DATE_MAX_DAYS_PAST = Setting(
    "CONTRACTS_START_DATE_MAX_DAYS_PAST",
    30,
    "A contract is registered at most this many days after the work started.",
)
FULL_TIME_WEEKLY_HOURS = Setting(
    "CONTRACTS_FULL_TIME_WEEKLY_HOURS",
    40,
    "Working hours a week from which a contract is full time (one at a time per worker).",
)
MAX_WEEKLY_HOURS = Setting(
    "CONTRACTS_MAX_WEEKLY_HOURS", 48, "Most working hours a week a contract may set."
)
NOTICE_DAYS = Setting(
    "CONTRACTS_NOTICE_DAYS", 30, "Notice period of a contract that sets none, and of a resignation."
)
TERMINATION_GROUNDS = Setting(
    "CONTRACTS_TERMINATION_GROUNDS",
    list(GROUNDS),
    "Lawful grounds an employer may give for terminating a worker's service.",
)
OBJECTION_DAYS = Setting(
    "CONTRACTS_OBJECTION_DAYS",
    30,
    "Days after a termination within which the worker may object.",
)


def minimum_wage_baisa() -> int:
    """The national minimum basic wage of a national worker."""
    return settings.NATIONAL_MINIMUM_WAGE_BAISA
