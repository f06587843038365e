"""Contracts' answer to integration's `queued_check_answered`: when social insurance, back after
an outage, answers a check queued for a worker, the worker's waiting contracts are decided at
once. An entry point, like a view: it reads the clock and acts as the system; the daily run
(`manage.py contracts_daily`) is the safety net."""

from __future__ import annotations

from manpower.core.actor import Actor

from . import services
from .services.contracts import INSURANCE_CHECK


def settle_waiting_contracts(sender, *, check_name: str, key: str, answer, now, **kwargs) -> None:
    if check_name != INSURANCE_CHECK:
        return
    services.contracts_insurance_settle(
        actor=Actor.system("insurance-answered"), now=now, civil_number=key, answer=answer
    )
