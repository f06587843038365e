"""What a licence application is billed: the fee row of its kind, adjusted by the Omanisation
share, invoiced through payments."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from manpower.core.actor import Actor
from manpower.payments import services as payments

from .. import conf
from ..models import Kind, LicenceApplication


def _fee_percent(kind: str, omanisation_met: bool) -> int:
    if kind == Kind.PRIVATE:
        return 100
    if omanisation_met:
        return conf.FEE_PERCENT_OMANISATION_MET.value
    return conf.FEE_PERCENT_OMANISATION_NOT_MET.value


def _fee_service_code(*, actor: Actor, kind: str, percent: int, now: dt.datetime) -> str:
    """The payments service code billed: the base fee, or a fee of `percent` of it.

    Payments bills whole fees only, so an adjusted fee is its own fee row (code
    `<base>_<percent>PCT`), added when the base fee or the percent changed since it was set.
    """
    base_code = conf.FEE_SERVICE_CODES.value[kind]
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
            effective_from_date=today,
        )
    return code


def _bill(actor: Actor, application: LicenceApplication, now: dt.datetime) -> str:
    code = _fee_service_code(
        actor=actor, kind=application.kind, percent=application.fee_percent, now=now
    )
    invoice = payments.invoice_create(
        actor=actor,
        now=now,
        service_code=code,
        payer_cr_number=application.establishment.cr_number if application.establishment else None,
        payer_user=application.applicant if application.kind == Kind.PRIVATE else None,
        quantity=application.granted_total,
    )
    return invoice.number
