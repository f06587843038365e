"""The labour-care events published to the integration outbox, in the caller's transaction. The
judicial agency (CASE_AGENCY) subscribes to the court cases, the police to the work-abandonment
reports. docs/events.md lists each type with its subject and payload keys.
"""

from __future__ import annotations

import datetime as dt

from manpower.integration.services import publish_event

from .models import AbscondingReport, Inspection, LabourCase

CASE_KEYS = (
    "case_number",
    "complaint_number",
    "agency",
    "filed_by",
    "civil_number",
    "worker_name",
    "cr_number",
    "employer_name",
    "category",
    "description",
    "claimed_amount_baisa",
    "arose_date",
    "referral_reason",
    "evidence",
)

REPORT_KEYS = ("report_number", "status", "civil_number", "cr_number", "last_working_date")

PAYLOADS: dict[str, tuple[str, ...]] = {
    "labour_case.referred": CASE_KEYS,
    "absconding_report.approved": REPORT_KEYS,
    "absconding_report.revoked": REPORT_KEYS,
    "inspection.completed": ("inspection_number", "cr_number", "reason", "result"),
}


def labour_case_referred(*, case: LabourCase, evidence: list[dict], now: dt.datetime) -> None:
    """Published when an officer refers a complaint to court: the case file and the list of its
    evidence files (name, type, size, SHA-256 and where the court downloads each)."""
    complaint = case.complaint
    payload = {
        "case_number": case.number,
        "complaint_number": complaint.number,
        "agency": case.agency_code,
        "filed_by": complaint.filed_by,
        "civil_number": complaint.person.civil_number,
        "worker_name": complaint.person.name_en,
        "cr_number": complaint.establishment.cr_number,
        "employer_name": complaint.establishment.name_en,
        "category": complaint.category.code,
        "description": complaint.description,
        "claimed_amount_baisa": complaint.claimed_amount_baisa,
        "arose_date": complaint.arose_date.isoformat(),
        "referral_reason": complaint.outcome_reason,
        "evidence": evidence,
    }
    assert tuple(payload) == PAYLOADS["labour_case.referred"]
    publish_event(
        subject=f"labour_case:{case.number}",
        event_type="labour_case.referred",
        payload=payload,
        now=now,
    )


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
