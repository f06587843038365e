"""The job-market events published to the integration outbox, in the caller's transaction; the
Manpower Register subscribes to them (a published vacancy, a job seeker hired).
docs/events.md lists each event type with its subject and keys.
"""

from __future__ import annotations

import datetime as dt

from manpower.integration.services import publish_event

from .models import Candidacy, Vacancy

PAYLOADS: dict[str, tuple[str, ...]] = {
    "vacancy.published": (
        "vacancy_number",
        "cr_number",
        "occupation_code",
        "qualification_code",
        "governorate_code",
        "posts_count",
        "closing_date",
    ),
    "job_seeker.hired": (
        "application_number",
        "vacancy_number",
        "civil_number",
        "cr_number",
        "contract_number",
    ),
}


def vacancy_published(*, vacancy: Vacancy, now: dt.datetime) -> None:
    """Published when a vacancy appears in the search (at once, or after the review)."""
    payload = {
        "vacancy_number": vacancy.number,
        "cr_number": vacancy.establishment.cr_number,
        "occupation_code": vacancy.occupation_id,
        "qualification_code": vacancy.qualification_level_id,
        "governorate_code": vacancy.governorate_id,
        "posts_count": vacancy.posts,
        "closing_date": vacancy.closing_date.isoformat(),
    }
    assert tuple(payload) == PAYLOADS["vacancy.published"]
    publish_event(
        subject=f"vacancy:{vacancy.number}",
        event_type="vacancy.published",
        payload=payload,
        now=now,
    )


def job_seeker_hired(*, candidacy: Candidacy, now: dt.datetime) -> None:
    """Published when an employer hires a candidate: the register takes the seeker off."""
    payload = {
        "application_number": candidacy.number,
        "vacancy_number": candidacy.vacancy.number,
        "civil_number": candidacy.seeker.civil_number,
        "cr_number": candidacy.vacancy.establishment.cr_number,
        "contract_number": candidacy.contract_number,
    }
    assert tuple(payload) == PAYLOADS["job_seeker.hired"]
    publish_event(
        subject=f"application:{candidacy.number}",
        event_type="job_seeker.hired",
        payload=payload,
        now=now,
    )
