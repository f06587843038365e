"""The licensing rules that change by ministerial decision: each a setting with this default.

DOMAIN-RULES.md gives the values; docs/licensing.md lists every setting.
"""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings

DEFAULTS = {
    # Work permit (the employer's licence to bring a worker): 24 months, not renewable.
    "LICENSING_WORK_PERMIT_MONTHS": 24,
    # Household licences: domestic occupations only (ISCO-08 unit codes) and a cap per household.
    "LICENSING_PRIVATE_OCCUPATIONS": ["9111", "5152", "8322", "5322"],
    "LICENSING_PRIVATE_MAX_PER_HOUSEHOLD": 4,
    # Required share of nationals by ISIC Rev.4 section; "default" for the other sections.
    "LICENSING_OMANISATION_SHARES": {"F": 0.10, "K": 0.60, "default": 0.15},
    # Occupations reserved for nationals (ISCO-08 unit codes): HR managers, office clerks,
    # receptionists, bookkeeping clerks.
    "LICENSING_RESERVED_OCCUPATIONS": ["1212", "4110", "4226", "4311"],
    # Larger requests, and requests with a check that could not be completed, go to an officer.
    "LICENSING_AUTO_APPROVE_MAX_WORKERS": 10,
    # Fee: the payments service code per kind, and the percent of it charged by Omanisation.
    "LICENSING_FEE_SERVICE_CODES": {
        "COMMERCIAL": "LICENCE_COMMERCIAL",
        "PRIVATE": "LICENCE_PRIVATE",
    },
    "LICENSING_FEE_PERCENT_OMANISATION_MET": 70,
    "LICENSING_FEE_PERCENT_OMANISATION_NOT_MET": 200,
    # The basic wage recorded at arrival when the police send none (baisa).
    "LICENSING_ARRIVAL_DEFAULT_WAGE_BAISA": 100_000,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


def required_national_share(activity_code: str, parent_code: str | None) -> Fraction:
    """The required share for an establishment's activity (a division counts as its section)."""
    shares = setting("LICENSING_OMANISATION_SHARES")
    for code in (activity_code, parent_code):
        if code and code in shares:
            return Fraction(str(shares[code]))
    return Fraction(str(shares.get("default", 0)))
