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
    {"COMMERCIAL": "LICENCE_COMMERCIAL", "PRIVATE": "LICENCE_PRIVATE"},
    "The payments fee row billed per worker, by licence kind.",
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
