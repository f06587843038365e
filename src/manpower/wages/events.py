"""The Wage Protection System's events published to the integration outbox, in the caller's
transaction. docs/events.md lists each event type with its subject and payload keys."""

from __future__ import annotations

import datetime as dt

from manpower.integration.services import publish_event, publish_events

from .models import SalaryArchive, SalaryFile
from .selectors import archive_summary, file_summary

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
    "salary_archive.checked": (
        "file_name",
        "status",
        "files_total",
        "files_checked",
        "lines_total",
        "refused_count",
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


def salary_files_checked(*, salary_files: list[SalaryFile], now: dt.datetime) -> None:
    """`salary_file.checked` for each file of a batch (an archive's), written together."""
    publish_events(
        events=[
            (f"salary_file:{salary_file.pk}", "salary_file.checked", file_summary(salary_file))
            for salary_file in salary_files
        ],
        now=now,
    )


def salary_archive_checked(*, archive: SalaryArchive, now: dt.datetime) -> None:
    """Published when an archive's files are all checked (CHECKED), or when the archive could
    not be opened (REJECTED); each file has its own `salary_file.checked`."""
    payload = archive_summary(archive)
    assert tuple(payload) == PAYLOADS["salary_archive.checked"]
    publish_event(
        subject=f"salary_archive:{archive.pk}",
        event_type="salary_archive.checked",
        payload=payload,
        now=now,
    )
