"""The licensing rules that change by ministerial decision: each a `Setting` with its default
(DOMAIN-RULES.md gives the values) and a line on what it means; code reads `conf.X.value`.
"""

from __future__ import annotations

from fractions import Fraction

from manpower.core.conf import Setting

WORK_PERMIT_MONTHS = Setting(
    "LICENSING_WORK_PERMIT_MONTHS", 24, "Validity of a work permit (not renewable)."
)
PRIVATE_OCCUPATIONS = Setting(
    "LICENSING_PRIVATE_OCCUPATIONS",
    ["9111", "5152", "8322", "5322"],
    "Occupations (ISCO-08 unit codes) a household may recruit: domestic workers only.",
)
PRIVATE_MAX_PER_HOUSEHOLD = Setting(
    "LICENSING_PRIVATE_MAX_PER_HOUSEHOLD",
    4,
    "Most workers a household may hold licences for (active licences and open applications).",
)
OMANISATION_SHARES = Setting(
    "LICENSING_OMANISATION_SHARES",
    {"F": 0.10, "K": 0.60, "default": 0.15},
    "Required share of nationals by ISIC Rev.4 section or division; `default` for the others.",
)
MINIMUM_NATIONALS = Setting(
    "LICENSING_MINIMUM_NATIONALS",
    1,
    "Nationals an establishment must employ, whatever its share, to recruit or be certified.",
)
MINIMUM_NATIONALS_EXEMPT_SIZES = Setting(
    "LICENSING_MINIMUM_NATIONALS_EXEMPT_SIZES",
    [],
    "Establishment sizes (MICRO, SMALL, MEDIUM, LARGE) exempt from the minimum of nationals.",
)
OMANISATION_CERTIFICATE_VALID_DAYS = Setting(
    "LICENSING_OMANISATION_CERTIFICATE_VALID_DAYS",
    90,
    "Days an Omanisation compliance certificate is valid, the day of issue included.",
)
RESERVED_OCCUPATIONS = Setting(
    "LICENSING_RESERVED_OCCUPATIONS",
    ["1212", "4110", "4226", "4311"],
    "Occupations reserved for nationals (ISCO-08 unit codes).",
)
AUTO_APPROVE_MAX_WORKERS = Setting(
    "LICENSING_AUTO_APPROVE_MAX_WORKERS",
    10,
    "Largest fully checked request approved without an officer.",
)
FEE_SERVICE_CODES = Setting(
    "LICENSING_FEE_SERVICE_CODES",
    {
        "PRIVATE": "LICENCE_PRIVATE",
        "FIRST": "LICENCE_COMMERCIAL",
        "SECOND": "LICENCE_COMMERCIAL_SECOND",
        "THIRD": "LICENCE_COMMERCIAL_THIRD",
        "INVESTOR": "LICENCE_COMMERCIAL_INVESTOR",
        "NON_PROFIT": "LICENCE_COMMERCIAL_NON_PROFIT",
    },
    "The payments fee row billed per worker, by fee category (PRIVATE: households).",
)
OCCUPATION_FEE_CATEGORIES = Setting(
    "LICENSING_OCCUPATION_FEE_CATEGORIES",
    {"1": "FIRST", "2": "FIRST", "3": "SECOND", "4": "SECOND", "default": "THIRD"},
    "Fee category of a commercial worker by ISCO-08 code prefix (longest wins); `default` else.",
)
INVESTOR_OCCUPATIONS = Setting(
    "LICENSING_INVESTOR_OCCUPATIONS",
    ["1120"],
    "Investor professions (ISCO-08 unit codes): the investor fee, no Omanisation adjustment.",
)
NON_PROFIT_LEGAL_FORMS = Setting(
    "LICENSING_NON_PROFIT_LEGAL_FORMS",
    [],
    "Establishment legal forms billed the non-profit fee for every worker.",
)
FEE_PERCENT_OMANISATION_MET = Setting(
    "LICENSING_FEE_PERCENT_OMANISATION_MET",
    70,
    "Percent of the commercial fee billed when the establishment meets its Omanisation share.",
)
FEE_PERCENT_OMANISATION_NOT_MET = Setting(
    "LICENSING_FEE_PERCENT_OMANISATION_NOT_MET",
    200,
    "Percent of the commercial fee billed when the establishment does not meet its share.",
)
ARRIVAL_DEFAULT_WAGE_BAISA = Setting(
    "LICENSING_ARRIVAL_DEFAULT_WAGE_BAISA",
    100_000,
    "Basic wage (baisa) recorded at arrival when the police send none.",
)


def required_national_share(activity_code: str, parent_code: str | None) -> Fraction:
    """The required share for an establishment's activity (a division counts as its section)."""
    shares = OMANISATION_SHARES.value
    for code in (activity_code, parent_code):
        if code and code in shares:
            return Fraction(str(shares[code]))
    return Fraction(str(shares.get("default", 0)))
