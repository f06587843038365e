"""Reading and judging an Oman Salary Information File (SIF), without the database.

A SIF is one employer's payroll for one month (DOMAIN-RULES.md "Wage Protection System"): an
employer header row, then one row per employee, each optionally preceded by a row of labels.
These functions say what is wrong as `Finding`s; the services store the lines and findings and
add what only the database can tell (the employment ledger).
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from manpower.core.errors import DomainError

HEADER_FIELDS = (
    "Employer CR-NO",
    "Payer CR-NO",
    "Payer Bank Short Name",
    "Payer Account Number",
    "Salary Year",
    "Salary Month",
    "Total Salaries",
    "Number Of Records",
    "Payment Type",
)
LINE_FIELDS = (
    "Employee ID Type",
    "Employee ID",
    "Reference Number",
    "Employee Name",
    "Employee BIC Code",
    "Employee Account",
    "Salary Frequency",
    "Number Of Working Days",
    "Net Salary",
    "Basic Salary",
    "Extra Hours",
    "Extra Income",
    "Deductions",
    "Social Security Deductions",
    "Notes",
)
# The money columns of a line and the SalaryLine field each is kept in (baisa).
MONEY_FIELDS = {
    "Net Salary": "net_baisa",
    "Basic Salary": "basic_baisa",
    "Extra Income": "extra_income_baisa",
    "Deductions": "deductions_baisa",
    "Social Security Deductions": "social_security_baisa",
}

_NAME = re.compile(
    r"SIF_(?P<cr>[0-9A-Za-z]{1,17})_(?P<bank>[A-Z]{1,4})_(?P<date>[0-9]{8})_(?P<serial>[0-9]{3})"
    r"\.csv",
    re.IGNORECASE,
)
_MONEY = re.compile(r"(?P<whole>[0-9]{1,12})(?:\.(?P<fraction>[0-9]{1,3}))?")
_IBAN_OM_LENGTH = 23
_IBAN_LETTERS = str.maketrans({chr(code): str(code - 55) for code in range(65, 91)})  # A=10


class FileNameInvalid(DomainError):
    code = "sif_name_invalid"
    status = 422


@dataclass(frozen=True)
class FileName:
    cr: str
    bank: str
    date: dt.date
    serial: int


def parse_file_name(name: str) -> FileName:
    """The parts of `SIF_<CR>_<BANK>_<YYYYMMDD>_<NNN>.csv`; refused when it is not that."""
    match = _NAME.fullmatch(name.strip())
    refusal = FileNameInvalid(
        _(
            "The file name %(name)s is not of the form SIF_<CR>_<BANK>_<YYYYMMDD>_<NNN>.csv "
            "(serial 001 to 999)."
        ),
        name=name[:100],
    )
    if not match or match["serial"] == "000":
        raise refusal
    try:
        date = dt.datetime.strptime(match["date"], "%Y%m%d").date()
    except ValueError:
        raise refusal from None
    return FileName(
        cr=match["cr"], bank=match["bank"].upper(), date=date, serial=int(match["serial"])
    )


@dataclass(frozen=True)
class Finding:
    """One thing wrong: `line` is the file's line number (None for the whole file)."""

    line: int | None
    field: str
    code: str
    message: Any
    params: dict = field(default_factory=dict)
    employee_id: str = ""


def is_label_row(row: list[str]) -> bool:
    first = row[0].strip().casefold() if row else ""
    return first.startswith(("employer", "employee"))


def rows(text_lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each non-blank row, label rows left out."""
    reader = csv.reader(text_lines)
    for row in reader:
        if not any(cell.strip() for cell in row) or is_label_row(row):
            continue
        yield reader.line_num, row


def money_baisa(text: str) -> int | None:
    """`12.345` rials as 12345 baisa; None when not a non-negative amount of at most 3 decimals."""
    match = _MONEY.fullmatch(text.strip())
    if not match:
        return None
    return int(match["whole"]) * 1000 + int((match["fraction"] or "").ljust(3, "0"))


def iban_valid(account: str) -> bool:
    """An Omani IBAN: 23 characters whose mod-97 check (ISO 13616) gives 1 (one value; the
    line rules compute the same over a column, `lines._iban_remainder`)."""
    if len(account) != _IBAN_OM_LENGTH or not account.isalnum() or not account.isascii():
        return False
    rearranged = (account[4:] + account[:4]).upper()
    return int(rearranged.translate(_IBAN_LETTERS)) % 97 == 1


@dataclass
class Header:
    line: int
    employer_cr: str = ""
    bank_code: str = ""
    salary_year: int | None = None
    salary_month: int | None = None
    total_baisa: int | None = None
    records: int | None = None

    @property
    def month_valid(self) -> bool:
        return self.salary_year is not None and self.salary_month is not None


def check_header(
    line: int,
    row: list[str],
    *,
    name: FileName,
    bank_codes: set[str],
    payment_types: Iterable[str],
    today: dt.date,
) -> tuple[Header, list[Finding]]:
    """The employer row: its values and what is wrong with them."""
    header = Header(line=line)
    findings: list[Finding] = []

    def wrong(field_name, code, message, **params):
        findings.append(Finding(line, field_name, code, message, params))

    if len(row) != len(HEADER_FIELDS):
        wrong(
            "header",
            "header_fields",
            _("The employer row has %(count)d fields; it should have %(expected)d."),
            count=len(row),
            expected=len(HEADER_FIELDS),
        )
        return header, findings
    cr, _payer_cr, bank, _account, year, month, total, records, payment_type = (
        cell.strip() for cell in row
    )
    header.employer_cr, header.bank_code = cr, bank.upper()
    if cr != name.cr:
        wrong(
            "Employer CR-NO",
            "header_cr_mismatch",
            _("The employer's CR number %(cr)s is not the one in the file name (%(name_cr)s)."),
            cr=cr[:17],
            name_cr=name.cr,
        )
    if header.bank_code not in bank_codes:
        wrong(
            "Payer Bank Short Name",
            "bank_unknown",
            _("The bank short code %(bank)s is not one of the banks that pay wages."),
            bank=bank[:10],
        )
    if year.isdigit() and month.isdigit() and 2000 <= int(year) <= 9999 and 1 <= int(month) <= 12:
        if (int(year), int(month)) > (today.year, today.month):
            wrong(
                "Salary Month",
                "salary_month_future",
                _("The salary month %(month)s/%(year)s has not come yet."),
                month=month,
                year=year,
            )
        else:
            header.salary_year, header.salary_month = int(year), int(month)
    else:
        wrong(
            "Salary Month",
            "salary_month_invalid",
            _("The salary year and month (%(year)s, %(month)s) are not a valid month."),
            year=year[:10],
            month=month[:10],
        )
    header.total_baisa = money_baisa(total)
    if header.total_baisa is None:
        wrong(
            "Total Salaries",
            "money_invalid",
            _("%(field)s is not an amount in rials with at most 3 decimals."),
            field="Total Salaries",
        )
    header.records = int(records) if records.isdigit() else None
    if header.records is None:
        wrong(
            "Number Of Records",
            "records_invalid",
            _("The number of records is not a whole number."),
        )
    if payment_type.casefold() not in {kind.casefold() for kind in payment_types}:
        wrong(
            "Payment Type",
            "payment_type_invalid",
            _("The payment type %(value)s is not one of: %(allowed)s."),
            value=payment_type[:20],
            allowed=", ".join(payment_types),
        )
    return header, findings


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def totals(header: Header, *, count: int, total_net_baisa: int) -> list[Finding]:
    """What the header says of the whole file that its `count` lines, whose net salaries add
    up to `total_net_baisa`, contradict."""
    findings = []
    if header.total_baisa is not None and header.total_baisa != total_net_baisa:
        findings.append(
            Finding(
                header.line,
                "Total Salaries",
                "total_mismatch",
                _(
                    "Total Salaries is %(total)s but the net salaries of the lines add up "
                    "to %(sum)s."
                ),
                {"total": rials(header.total_baisa), "sum": rials(total_net_baisa)},
            )
        )
    if header.records is not None and header.records != count:
        findings.append(
            Finding(
                header.line,
                "Number Of Records",
                "records_mismatch",
                _("Number Of Records is %(records)d but the file has %(count)d lines."),
                {"records": header.records, "count": count},
            )
        )
    return findings


def rials(baisa: int) -> str:
    return f"{baisa // 1000}.{baisa % 1000:03d}"
