"""The contract events published to the integration outbox, in the caller's transaction; social
insurance subscribes to them. docs/events.md lists each event type with its subject and keys.
"""

from __future__ import annotations

import datetime as dt

from manpower.integration.services import publish_event

from .models import Contract, EndOfService

CONTRACT_KEYS = (
    "contract_number",
    "status",
    "kind",
    "civil_number",
    "cr_number",
    "occupation_code",
    "start_date",
    "end_date",
    "basic_wage_baisa",
    "allowances_baisa",
)
END_KEYS = ("kind", "civil_number", "cr_number", "contract_number", "last_day_date", "reason")

PAYLOADS: dict[str, tuple[str, ...]] = {
    "contract.accepted": CONTRACT_KEYS,
    "contract.amended": CONTRACT_KEYS,
    "employment.end_notified": END_KEYS,
    "employment.ended": END_KEYS,
}


def _contract(contract: Contract, event_type: str, *, now: dt.datetime) -> None:
    payload = {
        "contract_number": contract.number,
        "status": contract.status,
        "kind": contract.kind,
        "civil_number": contract.person.civil_number,
        "cr_number": contract.establishment.cr_number,
        "occupation_code": contract.occupation_id,
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat() if contract.end_date else None,
        "basic_wage_baisa": contract.basic_wage_baisa,
        "allowances_baisa": contract.allowances_baisa,
    }
    assert tuple(payload) == PAYLOADS[event_type], event_type
    publish_event(
        subject=f"contract:{contract.number}", event_type=event_type, payload=payload, now=now
    )


def contract_accepted(*, contract: Contract, now: dt.datetime) -> None:
    """Published when the worker and social insurance (or an officer) have accepted it: the
    employment is in the ledger."""
    _contract(contract, "contract.accepted", now=now)


def contract_amended(*, contract: Contract, now: dt.datetime) -> None:
    """Published when the worker confirmed new terms (wage, occupation, hours)."""
    _contract(contract, "contract.amended", now=now)


def _end(end: EndOfService, event_type: str, *, now: dt.datetime) -> None:
    employment = end.employment
    payload = {
        "kind": end.kind,
        "civil_number": employment.person.civil_number,
        "cr_number": employment.establishment.cr_number if employment.establishment else None,
        "contract_number": end.contract.number if end.contract_id else None,
        "last_day_date": end.last_day.isoformat(),
        "reason": end.reason_code,
    }
    assert tuple(payload) == PAYLOADS[event_type], event_type
    publish_event(
        subject=f"employment:{employment.pk}", event_type=event_type, payload=payload, now=now
    )


def employment_end_notified(*, end: EndOfService, now: dt.datetime) -> None:
    """Published when a resignation or a termination is submitted, with the last working day."""
    _end(end, "employment.end_notified", now=now)


def employment_ended(*, end: EndOfService, now: dt.datetime) -> None:
    """Published when the employment has ended in the ledger on its last day."""
    _end(end, "employment.ended", now=now)
