"""The Wage Protection System's events published to the integration outbox, in the caller's
transaction. docs/events.md lists each event type with its subject and payload keys."""

from __future__ import annotations

import datetime as dt

from manpower.integration.services import publish_event

from .models import SalaryFile
from .selectors import file_summary

PAYLOADS: dict[str, tuple[str, ...]] = {
    "salary_file.checked": (
        "file_name",
        "cr_number",
        "bank_code",
        "salary_year",
        "salary_month",
        "status",
        "lines_total",
        "error_count",
    ),
}


def salary_file_checked(*, salary_file: SalaryFile, now: dt.datetime) -> None:
    """Published when a salary file's checks are done: CHECKED (its lines judged, with or
    without errors) or REJECTED (its employer row is wrong)."""
    payload = file_summary(salary_file)
    assert tuple(payload) == PAYLOADS["salary_file.checked"]
    publish_event(
        subject=f"salary_file:{salary_file.pk}",
        event_type="salary_file.checked",
        payload=payload,
        now=now,
    )
