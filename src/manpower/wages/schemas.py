"""The answer shapes of a salary file, shared by the partner API and the mobile/portal API."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from .selectors import archive_summary, file_summary


class SalaryFileOut(Schema):
    id: int
    file_name: str
    cr_number: str
    bank_code: str
    salary_year: int | None
    salary_month: int | None
    status: str
    lines_total: int
    lines_checked: int
    error_count: int
    received_at: dt.datetime
    checked_at: dt.datetime | None
    status_url: str
    report_url: str


class LineErrorOut(Schema):
    line_number: int | None
    field: str
    code: str
    employee_id: str
    message_ar: str
    message_en: str


def file_answer(salary_file, *, status_url: str, report_url: str) -> dict:
    return {
        "id": salary_file.pk,
        **file_summary(salary_file),
        "lines_checked": salary_file.lines_checked,
        "received_at": salary_file.received_at,
        "checked_at": salary_file.checked_at,
        "status_url": status_url,
        "report_url": report_url,
    }


class RefusedMember(Schema):
    name: str
    code: str
    message_ar: str
    message_en: str


class SalaryArchiveOut(Schema):
    id: int
    file_name: str
    status: str
    members_total: int
    members_read: int
    files_total: int
    files_checked: int
    lines_total: int
    lines_checked: int
    refused_count: int
    refused: list[RefusedMember]
    received_at: dt.datetime
    checked_at: dt.datetime | None
    status_url: str
    files_url: str


def archive_answer(archive, *, status_url: str) -> dict:
    return {
        "id": archive.pk,
        **archive_summary(archive),
        "members_total": archive.members_total,
        "members_read": archive.members_read,
        "lines_checked": archive.lines_checked,
        "refused": archive.refused,
        "received_at": archive.received_at,
        "checked_at": archive.checked_at,
        "status_url": status_url,
        "files_url": f"{status_url}/files",
    }
