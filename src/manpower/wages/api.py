"""An establishment's salary files through the public API (the mobile app and the portal's
pages), read through the same selectors as the portal."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from ninja import Field, Query, Router, Schema

from manpower.accounts.api_auth import api_auth
from manpower.registry import selectors as registry

from . import selectors
from .schemas import SalaryFileOut, file_answer

router = Router(auth=api_auth, tags=["wages"])


def _answer(salary_file) -> dict:
    return file_answer(
        salary_file,
        status_url=reverse("api:wages-file", kwargs={"file_id": salary_file.pk}),
        report_url=reverse(
            "wages:report",
            kwargs={"cr": salary_file.establishment.cr_number, "file_id": salary_file.pk},
        ),
    )


LIST_LIMIT = 100
MONTHS_LIMIT = 24


@router.get("/wages/files", response=list[SalaryFileOut], url_name="wages-files")
def wages_file_list(request, cr: str):
    """The newest 100 salary files of one of the caller's establishments (`cr`)."""
    establishment = registry.establishment_for_user(user=request.user, cr_number=cr)
    files = selectors.files_of_establishment(establishment=establishment)
    return [_answer(found) for found in files.select_related("establishment")[:LIST_LIMIT]]


@router.get("/wages/files/{int:file_id}", response=SalaryFileOut, url_name="wages-file")
def wages_file(request, file_id: int):
    """One salary file: its status, progress and number of errors; another's is a 404."""
    return _answer(selectors.file_for_user(user=request.user, file_id=file_id))


class MonthOut(Schema):
    salary_year: int
    salary_month: int
    workers: int
    paid_ok: int
    exempt: int
    share_percent: str
    compliant: bool


class ComplianceOut(Schema):
    cr_number: str
    wps_suspended: bool
    months: list[MonthOut]


class SalaryLineOut(Schema):
    salary_year: int = Field(alias="file.salary_year")
    salary_month: int = Field(alias="file.salary_month")
    employer_cr: str = Field(alias="file.establishment.cr_number")
    net_baisa: int | None
    basic_baisa: int | None
    deductions_baisa: int | None
    paid_on: dt.date = Field(alias="file.name_date")


@router.get("/wages/compliance", response=ComplianceOut, url_name="wages-compliance")
def wages_compliance(request, cr: str):
    """The judged months of one of the caller's establishments (`cr`), newest first (24)."""
    establishment = registry.establishment_for_user(user=request.user, cr_number=cr)
    months = selectors.months_of_establishment(establishment=establishment)[:MONTHS_LIMIT]
    return {
        "cr_number": establishment.cr_number,
        "wps_suspended": establishment.wps_suspended,
        "months": list(months),
    }


@router.get("/wages/salary-history", response=list[SalaryLineOut], url_name="wages-salary-history")
def wages_salary_history(request, offset: int = Query(0, ge=0, le=100_000)):
    """The caller's own salary lines from the checked files, newest month first, 24 a page."""
    return list(selectors.salary_history(user=request.user)[offset : offset + 24])
