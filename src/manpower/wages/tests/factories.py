"""Rows of the Wage Protection System as its checks leave them, for other apps' tests (and
the browser tests) that need a worker's salary paid through it."""

from __future__ import annotations

import datetime as dt
import secrets

from manpower.core.actor import Channel
from manpower.wages.models import Bank, SalaryFile, SalaryLine


def salary_paid(
    employment,
    year: int,
    month: int,
    *,
    establishment=None,
    status: str = SalaryFile.Status.CHECKED,
    net_baisa: int = 325_000,
) -> SalaryLine:
    """A salary file of `establishment` (by default the worker's) for the month, checked (or
    `status`), with one line paying the worker, matched to the ledger."""
    establishment = establishment or employment.establishment
    bank = Bank.objects.order_by("code").first()
    paid_on = dt.date(year, month, 28)
    serial = (
        1
        + SalaryFile.objects.filter(
            name_cr=establishment.cr_number, name_bank=bank.code, name_date=paid_on
        ).count()
    )
    salary_file = SalaryFile.objects.create(
        establishment=establishment,
        bank=bank,
        file_name=f"SIF_{establishment.cr_number}_{bank.code}_{paid_on:%Y%m%d}_{serial:03d}.csv",
        name_cr=establishment.cr_number,
        name_bank=bank.code,
        name_date=paid_on,
        name_serial=serial,
        sha256=secrets.token_hex(32),
        size_bytes=100,
        stored_name="paid.csv",
        salary_year=year,
        salary_month=month,
        status=status,
        lines_total=1,
        lines_checked=1,
        channel=Channel.PARTNER,
        submitted_by_label="bank",
        received_at=dt.datetime.combine(paid_on, dt.time(6), tzinfo=dt.UTC),
        checked_at=dt.datetime.combine(paid_on, dt.time(7), tzinfo=dt.UTC),
    )
    return SalaryLine.objects.create(
        file=salary_file,
        line_number=1,
        id_type=SalaryLine.IdType.CIVIL,
        employee_id=employment.person.civil_number,
        id_ok=True,
        net_baisa=net_baisa,
        basic_baisa=net_baisa,
        person=employment.person,
        employment=employment,
    )
