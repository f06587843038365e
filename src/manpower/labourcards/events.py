"""The labour card events published to the integration outbox, in the caller's transaction.

docs/events.md lists each event type with its subject and payload keys.
"""

from __future__ import annotations

import datetime as dt

from manpower.integration.services import publish_event

from .models import LabourCard

CARD_KEYS = ("card_number", "status", "kind", "expiry_date", "civil_number", "cr_number")

PAYLOADS: dict[str, tuple[str, ...]] = {
    "labourcard.issued": CARD_KEYS,
    "labourcard.renewed": CARD_KEYS,
    "labourcard.cancelled": (*CARD_KEYS, "reason"),
}


def _publish(card: LabourCard, event_type: str, *, now: dt.datetime, **details) -> None:
    establishment = card.employment.establishment  # None for a household's worker
    payload = {
        "card_number": card.number,
        "status": card.status,
        "kind": card.kind,
        "expiry_date": card.expiry_date.isoformat(),
        "civil_number": card.employment.person.civil_number,
        "cr_number": establishment.cr_number if establishment else None,
        **details,
    }
    assert tuple(payload) == PAYLOADS[event_type], event_type
    publish_event(
        subject=f"labourcard:{card.number}", event_type=event_type, payload=payload, now=now
    )


def labourcard_issued(*, card: LabourCard, now: dt.datetime) -> None:
    """Published when a paid issue request has made the card (ACTIVE)."""
    _publish(card, "labourcard.issued", now=now)


def labourcard_renewed(*, card: LabourCard, now: dt.datetime) -> None:
    """Published when a paid renewal has extended the card's validity."""
    _publish(card, "labourcard.renewed", now=now)


def labourcard_cancelled(*, card: LabourCard, reason: str, now: dt.datetime) -> None:
    """Published when the card is cancelled: the worker departed (`DEPARTED`) or was
    transferred to another employer (`TRANSFERRED`)."""
    _publish(card, "labourcard.cancelled", now=now, reason=reason)
