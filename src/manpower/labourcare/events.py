"""The labour-care events published to the integration outbox, in the caller's transaction; the
judicial agency (CASE_AGENCY) subscribes to them. docs/events.md lists each type with its keys.
"""

from __future__ import annotations

import datetime as dt

from manpower.integration.services import publish_event

from .models import LabourCase

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

PAYLOADS: dict[str, tuple[str, ...]] = {"labour_case.referred": CASE_KEYS}


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
