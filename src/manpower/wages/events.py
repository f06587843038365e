"""The Wage Protection System's events published to the integration outbox, in the caller's
transaction. docs/events.md lists each event type with its subject and payload keys."""

from __future__ import annotations

import datetime as dt

from manpower.integration.services import publish_event, publish_events

from .models import SalaryArchive, SalaryFile, Sanction
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
    "wps_warning.issued": ("cr_number", "salary_year", "salary_month", "unpaid_count", "issued_at"),
    "wps_suspension.imposed": (
        "cr_number", "salary_year", "salary_month", "unpaid_count", "imposed_at",
    ),
    "wps_fine.imposed": (
        "cr_number", "salary_year", "salary_month", "unpaid_count", "repeat", "amount_baisa",
        "invoice_number", "imposed_at",
    ),
    "wps_suspension.lifted": ("cr_number", "lifted_at"),
}  # fmt: skip


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


def _sanction(*, event_type: str, sanction: Sanction, extra: dict, now: dt.datetime) -> None:
    """A step of the escalation ladder, its subject the establishment (whose steps and lift
    reach subscribers in order)."""
    cr_number = sanction.establishment.cr_number
    payload = {
        "cr_number": cr_number,
        "salary_year": sanction.salary_year,
        "salary_month": sanction.salary_month,
        "unpaid_count": sanction.unpaid_workers,
        **extra,
    }
    assert tuple(payload) == PAYLOADS[event_type]
    publish_event(
        subject=f"establishment:{cr_number}", event_type=event_type, payload=payload, now=now
    )


def _at(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).isoformat()


def wps_warning_issued(*, sanction: Sanction, now: dt.datetime) -> None:
    """Published when an establishment is warned for a month whose wages were not all paid
    correctly (the ladder's first step)."""
    _sanction(
        event_type="wps_warning.issued", sanction=sanction, extra={"issued_at": _at(now)}, now=now
    )


def wps_suspension_imposed(*, sanction: Sanction, now: dt.datetime) -> None:
    """Published when an establishment's new work-permit services are suspended for a month
    still not paid correctly (licensing refuses them until `wps_suspension.lifted`)."""
    _sanction(
        event_type="wps_suspension.imposed",
        sanction=sanction,
        extra={"imposed_at": _at(now)},
        now=now,
    )


def wps_fine_imposed(*, sanction: Sanction, now: dt.datetime) -> None:
    """Published when an establishment is fined per worker not paid correctly (doubled on a
    `repeat`), billed on the invoice named."""
    _sanction(
        event_type="wps_fine.imposed",
        sanction=sanction,
        extra={
            "repeat": sanction.repeat,
            "amount_baisa": sanction.amount_baisa,
            "invoice_number": sanction.invoice_number,
            "imposed_at": _at(now),
        },
        now=now,
    )


def wps_suspensions_lifted(*, cr_numbers: list[str], now: dt.datetime) -> None:
    """`wps_suspension.lifted` for each establishment whose suspension is lifted (its latest
    month compliant and its fines paid), written together."""
    publish_events(
        events=[
            (
                f"establishment:{cr}",
                "wps_suspension.lifted",
                {"cr_number": cr, "lifted_at": _at(now)},
            )
            for cr in cr_numbers
        ],
        now=now,
    )
