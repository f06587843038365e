"""What a licence application is billed: per worker, the fee row of the worker's fee category
(by profession, or the establishment's non-profit form), adjusted by the Omanisation share
except for investors, invoiced through payments with one line per category."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from enum import StrEnum

from django.utils import timezone

from manpower.core.actor import Actor
from manpower.payments import services as payments

from .. import conf
from ..models import Kind, LicenceApplication


class FeeCategory(StrEnum):
    """The fee categories of DOMAIN-RULES.md; `conf.FEE_SERVICE_CODES` maps each to its fee row,
    whose name (on the invoice line) says the category in both languages."""

    PRIVATE = "PRIVATE"
    FIRST = "FIRST"
    SECOND = "SECOND"
    THIRD = "THIRD"
    INVESTOR = "INVESTOR"
    NON_PROFIT = "NON_PROFIT"


def _fee_category(occupation_code: str) -> str:
    """A commercial worker's fee category: investor, else by the longest ISCO-08 prefix."""
    if occupation_code in conf.INVESTOR_OCCUPATIONS.value:
        return FeeCategory.INVESTOR
    categories = conf.OCCUPATION_FEE_CATEGORIES.value
    for length in range(len(occupation_code), 0, -1):
        if occupation_code[:length] in categories:
            return categories[occupation_code[:length]]
    return categories["default"]


def _fee_percent(kind: str, omanisation_met: bool) -> int:
    if kind == Kind.PRIVATE:
        return 100
    if omanisation_met:
        return conf.FEE_PERCENT_OMANISATION_MET.value
    return conf.FEE_PERCENT_OMANISATION_NOT_MET.value


def _fee_service_code(*, actor: Actor, base_code: str, percent: int, now: dt.datetime) -> str:
    """The payments service code billed: the base fee, or a fee of `percent` of it.

    Payments bills whole fees only, so an adjusted fee is its own fee row (code
    `<base>_<percent>PCT`), added when the base fee or the percent changed since it was set.
    It takes effect on the base fee's date: one adjusted row per base row and percent, so a
    base fee changed the day an adjusted row was added does not collide with that row.
    """
    if percent == 100:
        return base_code
    today = timezone.localdate(now)
    base = payments.fee_effective(service_code=base_code, on_date=today)
    code, amount = f"{base_code}_{percent}PCT", base.amount_baisa * percent // 100
    try:
        current = payments.fee_effective(service_code=code, on_date=today).amount_baisa
    except payments.NoFee:
        current = None
    if current != amount:
        payments.fee_set(
            actor=actor,
            now=now,
            service_code=code,
            name_en=f"{base.name_en} ({percent}%: Omanisation share)",
            name_ar=f"{base.name_ar} ({percent}٪: نسبة التعمين)",
            amount_baisa=amount,
            effective_from_date=base.effective_from_date,
        )
    return code


def _billed_lines(application: LicenceApplication) -> Counter[str]:
    """Workers granted per fee category; a non-profit establishment's are all non-profit."""
    if application.kind == Kind.PRIVATE:
        return Counter({FeeCategory.PRIVATE: application.granted_total})
    non_profit = application.establishment.legal_form in conf.NON_PROFIT_LEGAL_FORMS.value
    billed: Counter[str] = Counter()
    for line in application.lines.all():
        if line.granted:
            category = FeeCategory.NON_PROFIT if non_profit else _fee_category(line.occupation_id)
            billed[category] += line.granted
    return billed


def _bill(actor: Actor, application: LicenceApplication, now: dt.datetime) -> str:
    """One invoice line per fee category granted; investors pay their fee as it is."""
    codes = conf.FEE_SERVICE_CODES.value
    lines = [
        (
            _fee_service_code(
                actor=actor,
                base_code=codes[category],
                percent=100 if category == FeeCategory.INVESTOR else application.fee_percent,
                now=now,
            ),
            workers,
        )
        for category, workers in _billed_lines(application).items()
    ]
    invoice = payments.invoice_create_lines(
        actor=actor,
        now=now,
        lines=lines,
        payer_cr_number=application.establishment.cr_number if application.establishment else None,
        payer_user=application.applicant if application.kind == Kind.PRIVATE else None,
    )
    return invoice.number
