"""Labour care's events published to the integration outbox, in the caller's transaction.

docs/events.md lists each event type with its subject and payload keys. The police subscribe to
the work-abandonment ones.
"""

from __future__ import annotations

import datetime as dt

from manpower.integration.services import publish_event

from .models import AbscondingReport, Inspection

REPORT_KEYS = ("report_number", "status", "civil_number", "cr_number", "last_working_date")

PAYLOADS: dict[str, tuple[str, ...]] = {
    "absconding_report.approved": REPORT_KEYS,
    "absconding_report.revoked": REPORT_KEYS,
    "inspection.completed": ("inspection_number", "cr_number", "reason", "result"),
}


def _publish_report(report: AbscondingReport, event_type: str, *, now: dt.datetime) -> None:
    payload = {
        "report_number": report.number,
        "status": report.status,
        "civil_number": report.employment.person.civil_number,
        "cr_number": report.establishment.cr_number,
        "last_working_date": report.last_working_date.isoformat(),
    }
    assert tuple(payload) == PAYLOADS[event_type], event_type
    publish_event(
        subject=f"absconding_report:{report.number}",
        event_type=event_type,
        payload=payload,
        now=now,
    )


def absconding_report_approved(*, report: AbscondingReport, now: dt.datetime) -> None:
    """Published when an officer approves a report: the police look for the worker."""
    _publish_report(report, "absconding_report.approved", now=now)


def absconding_report_revoked(*, report: AbscondingReport, now: dt.datetime) -> None:
    """Published when the worker's objection is upheld: the police stop looking."""
    _publish_report(report, "absconding_report.revoked", now=now)


def inspection_completed(*, inspection: Inspection, now: dt.datetime) -> None:
    """Published when an inspector records the result of a visit."""
    payload = {
        "inspection_number": inspection.number,
        "cr_number": inspection.establishment.cr_number,
        "reason": inspection.reason,
        "result": inspection.result,
    }
    assert tuple(payload) == PAYLOADS["inspection.completed"]
    publish_event(
        subject=f"inspection:{inspection.number}",
        event_type="inspection.completed",
        payload=payload,
        now=now,
    )
