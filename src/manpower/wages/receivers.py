"""Wages' answer to payments' `invoice_paid`: a paid fine is recorded at once, and the
establishment's suspension lifted when its latest month is compliant."""

from __future__ import annotations

from manpower.core.actor import Actor

from . import services


def fine_paid(sender, *, number: str, service_code: str, paid_at, **_ignored) -> None:
    if service_code != services.sanctions.FINE_FEE:
        return
    services.sanction_fine_paid(
        actor=Actor.system("wps-fine"), invoice_number=number, paid_at=paid_at
    )
