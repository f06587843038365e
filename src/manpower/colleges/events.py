"""The technical colleges' events published to the integration outbox, in the caller's
transaction. docs/events.md lists each event type with its subject and payload keys."""

from __future__ import annotations

import datetime as dt

from manpower.integration.services import publish_event

from .models import Student

PAYLOADS: dict[str, tuple[str, ...]] = {
    "graduate.consented": (
        "civil_number",
        "college_code",
        "programme_code",
        "qualification_level",
        "specialisation_en",
        "specialisation_ar",
        "graduated_date",
        "consented_at",
    ),
}


def graduate_consented(*, student: Student, now: dt.datetime) -> None:
    """Published when a graduate agrees to be registered as a job seeker: what the register
    needs of their qualification."""
    programme = student.programme
    payload = {
        "civil_number": student.civil_number,
        "college_code": student.college.code,
        "programme_code": programme.code,
        "qualification_level": programme.level,
        "specialisation_en": programme.specialisation_en,
        "specialisation_ar": programme.specialisation_ar,
        "graduated_date": student.graduated_date.isoformat(),
        "consented_at": student.job_seeker_consent_at.isoformat(),
    }
    assert tuple(payload) == PAYLOADS["graduate.consented"]
    publish_event(
        subject=f"student:{student.pk}",
        event_type="graduate.consented",
        payload=payload,
        now=now,
    )
