"""The domain events licensing publishes to the outbox, each in the caller's transaction.

`PAYLOADS` is the one list of event types and their payload keys (docs/events.md shows it);
each function builds one event's payload and checks it against that list.
"""

from __future__ import annotations

import datetime as dt

from manpower.integration.services import StatementEvent, event_in_statement, publish_event

from .models import Licence, OmanisationCertificate, VisaReservation

PAYLOADS: dict[str, tuple[str, ...]] = {
    "licence.issued": ("licence_number", "kind", "cr_number", "status", "valid_until_date"),
    "licence.changed": (
        "licence_number",
        "kind",
        "cr_number",
        "status",
        "valid_until_date",
        "released_count",
    ),
    "visa.reserved": ("visa_number", "licence_number", "status", "reserved_at"),
    "visa.cancelled": ("visa_number", "licence_number", "status", "cancelled_at"),
    "worker.arrived": (
        "visa_number",
        "licence_number",
        "cr_number",
        "passport_number",
        "nationality",
        "arrival_date",
    ),
    "omanisation_certificate.issued": (
        "certificate_number",
        "cr_number",
        "nationals_count",
        "workforce_count",
        "valid_from_date",
        "valid_until_date",
    ),
}


def _publish(*, subject: str, event_type: str, payload: dict, now: dt.datetime) -> None:
    assert tuple(payload) == PAYLOADS[event_type], event_type
    publish_event(subject=subject, event_type=event_type, payload=payload, now=now)


def _licence_payload(licence: Licence) -> dict:
    return {
        "licence_number": licence.number,
        "kind": licence.kind,
        "cr_number": licence.establishment.cr_number if licence.establishment_id else None,
        "status": licence.status,
        "valid_until_date": licence.valid_until.isoformat(),
    }


def licence_issued(*, licence: Licence, now: dt.datetime) -> None:
    """The fee was paid and the licence issued: its vacancies can be reserved for visas."""
    _publish(
        subject=f"licence:{licence.number}",
        event_type="licence.issued",
        payload=_licence_payload(licence),
        now=now,
    )


def licence_changed(*, licence: Licence, released_count: int, now: dt.datetime) -> None:
    """The holder gave up vacancies (`released_count`), or the licence was cancelled (by the
    holder when nothing was left in use, or by the ministry)."""
    _publish(
        subject=f"licence:{licence.number}",
        event_type="licence.changed",
        payload={**_licence_payload(licence), "released_count": released_count},
        now=now,
    )


def _visa_reserved(*, visa_number: str, licence_number: str, now: dt.datetime) -> dict:
    payload = {
        "visa_number": visa_number,
        "licence_number": licence_number,
        "status": VisaReservation.Status.RESERVED,
        "reserved_at": now.astimezone(dt.UTC).isoformat(),
    }
    assert tuple(payload) == PAYLOADS["visa.reserved"]
    return {"subject": f"visa:{visa_number}", "event_type": "visa.reserved", "payload": payload}


def visa_reserved(*, visa_number: str, licence_number: str, now: dt.datetime) -> None:
    """The police reserved a licence's vacancy for a visa (a repeat publishes nothing)."""
    _publish(
        **_visa_reserved(visa_number=visa_number, licence_number=licence_number, now=now), now=now
    )


def visa_reserved_in_statement(
    *, visa_number: str, licence_number: str, source: str, now: dt.datetime
) -> StatementEvent:
    """`visa_reserved`, written by the PostgreSQL statement whose CTE `source` returns the
    reservation it stored (none, a repeat or a refusal: nothing is published)."""
    event = _visa_reserved(visa_number=visa_number, licence_number=licence_number, now=now)
    return event_in_statement(**event, source=source, now=now)


def visa_cancelled(*, reservation: VisaReservation, now: dt.datetime) -> None:
    """The police cancelled a visa not yet used: its vacancy is free again."""
    _publish(
        subject=f"visa:{reservation.visa_number}",
        event_type="visa.cancelled",
        payload={
            "visa_number": reservation.visa_number,
            "licence_number": reservation.vacancy.licence.number,
            "status": reservation.status,
            "cancelled_at": now.astimezone(dt.UTC).isoformat(),
        },
        now=now,
    )


def worker_arrived(*, reservation: VisaReservation, now: dt.datetime) -> None:
    """The worker of a reserved visa entered the country and started work with the holder."""
    licence = reservation.vacancy.licence
    worker = reservation.worker
    _publish(
        subject=f"licence:{licence.number}",
        event_type="worker.arrived",
        payload={
            "visa_number": reservation.visa_number,
            "licence_number": licence.number,
            "cr_number": licence.establishment.cr_number if licence.establishment_id else None,
            "passport_number": worker.passport_number,
            "nationality": worker.nationality_id,
            "arrival_date": reservation.arrival_date.isoformat(),
        },
        now=now,
    )


def omanisation_certificate_issued(
    *, certificate: OmanisationCertificate, now: dt.datetime
) -> None:
    """An establishment that meets its Omanisation share was certified: agencies that ask for
    the certificate may accept it until `valid_until_date`."""
    _publish(
        subject=f"omanisation_certificate:{certificate.number}",
        event_type="omanisation_certificate.issued",
        payload={
            "certificate_number": certificate.number,
            "cr_number": certificate.establishment.cr_number,
            "nationals_count": certificate.nationals,
            "workforce_count": certificate.workforce,
            "valid_from_date": certificate.valid_from.isoformat(),
            "valid_until_date": certificate.valid_until.isoformat(),
        },
        now=now,
    )
