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

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from manpower.core import conf
from manpower.core.errors import DomainError
from manpower.core.identifiers import validate_civil_number, validate_passport_number

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
_HOURS = re.compile(r"(?P<whole>[0-9]{1,6})(?:\.(?P<fraction>[0-9]{1,2}))?")
_BIC = re.compile(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
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


def _is_label_row(row: list[str]) -> bool:
    first = row[0].strip().casefold() if row else ""
    return first.startswith(("employer", "employee"))


def rows(text_lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each non-blank row, label rows left out."""
    reader = csv.reader(text_lines)
    for row in reader:
        if not any(cell.strip() for cell in row) or _is_label_row(row):
            continue
        yield reader.line_num, row


def money_baisa(text: str) -> int | None:
    """`12.345` rials as 12345 baisa; None when not a non-negative amount of at most 3 decimals."""
    match = _MONEY.fullmatch(text.strip())
    if not match:
        return None
    return int(match["whole"]) * 1000 + int((match["fraction"] or "").ljust(3, "0"))


def hours_centi(text: str) -> int | None:
    match = _HOURS.fullmatch(text.strip())
    if not match:
        return None
    return int(match["whole"]) * 100 + int((match["fraction"] or "").ljust(2, "0"))


def iban_valid(account: str) -> bool:
    """An Omani IBAN: 23 characters whose mod-97 check (ISO 13616) gives 1."""
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


class LineChecker:
    """Judges the employee rows one at a time, remembering what the whole file needs (the
    workers seen, the sum of net salaries)."""

    def __init__(self, *, bics: set[str]):
        self.bic8s = {bic[:8] for bic in bics}
        # What surely passes core's identifier validators (digits without a leading zero, of
        # the lengths the settings allow; ICAO passport characters), so that only the other
        # IDs pay for the validator that words the error.
        shortest, longest = conf.CIVIL_NUMBER_MIN_LENGTH.value, conf.CIVIL_NUMBER_MAX_LENGTH.value
        self.surely_valid = {
            "C": re.compile(f"[1-9][0-9]{{{shortest - 1},{longest - 1}}}"),
            "P": re.compile("[A-Z0-9]{1,9}"),
        }
        self.seen: dict[tuple[str, str], int] = {}
        self.total_net_baisa = 0
        self.count = 0

    def check(self, line: int, row: list[str]) -> tuple[dict, list[Finding]]:
        """The row's values for a SalaryLine and what is wrong with them."""
        self.count += 1
        findings: list[Finding] = []
        cells = [cell.strip() for cell in row]
        employee_id = cells[1][:17] if len(cells) > 1 else ""

        def wrong(field_name, code, message, **params):
            findings.append(Finding(line, field_name, code, message, params, employee_id))

        if len(cells) == len(LINE_FIELDS) - 1:
            cells.append("")  # no Notes column
        if len(cells) != len(LINE_FIELDS):
            wrong(
                "line",
                "line_fields",
                _("The line has %(count)d fields; it should have %(expected)d."),
                count=len(cells),
                expected=len(LINE_FIELDS),
            )
            return {"line_number": line, "employee_id": employee_id}, findings
        values = dict(zip(LINE_FIELDS, cells, strict=True))
        id_type = values["Employee ID Type"].upper()
        id_ok = self._check_id(id_type, values["Employee ID"], wrong)
        if id_ok:
            key = (id_type, values["Employee ID"])
            if key in self.seen:
                wrong(
                    "Employee ID",
                    "worker_twice",
                    _("This worker is already paid on line %(first)d of the file."),
                    first=self.seen[key],
                )
            else:
                self.seen[key] = line
        name = values["Employee Name"]
        if not name or len(name) > 70:
            wrong(
                "Employee Name",
                "name_invalid",
                _("The employee's name is required, at most 70 characters."),
            )
        self._check_bank_account(values["Employee BIC Code"], values["Employee Account"], wrong)
        if values["Salary Frequency"].upper() not in ("M", "B"):
            wrong(
                "Salary Frequency",
                "frequency_invalid",
                _("The salary frequency is M (monthly) or B (bi-weekly)."),
            )
        days = values["Number Of Working Days"]
        working_days = int(days) if days.isdigit() and int(days) <= 31 else None
        if working_days is None:
            wrong(
                "Number Of Working Days",
                "working_days_invalid",
                _("The number of working days is a whole number from 0 to 31."),
            )
        parsed = {
            "line_number": line,
            "id_type": id_type[:1],
            "employee_id": employee_id,
            "id_ok": id_ok,
            "reference": values["Reference Number"][:40],
            "employee_name": name[:70],
            "bic": values["Employee BIC Code"][:11].upper(),
            "account": values["Employee Account"][:30],
            "frequency": values["Salary Frequency"][:1].upper(),
            "working_days": working_days,
            "notes": values["Notes"][:200],
        }
        for column, attribute in MONEY_FIELDS.items():
            parsed[attribute] = money_baisa(values[column])
            if parsed[attribute] is None:
                wrong(
                    column,
                    "money_invalid",
                    _("%(field)s is not an amount in rials with at most 3 decimals."),
                    field=column,
                )
        parsed["extra_hours_centi"] = hours_centi(values["Extra Hours"] or "0")
        if parsed["extra_hours_centi"] is None:
            wrong(
                "Extra Hours",
                "hours_invalid",
                _("Extra hours are a number of hours with at most 2 decimals."),
            )
        if parsed["net_baisa"] is not None:
            self.total_net_baisa += parsed["net_baisa"]
            if parsed["net_baisa"] == 0 and not values["Notes"]:
                wrong(
                    "Notes",
                    "notes_required",
                    _("Say in Notes why the net salary is 0."),
                )
        return parsed, findings

    def _check_id(self, id_type: str, employee_id: str, wrong) -> bool:
        if id_type not in ("C", "P"):
            wrong(
                "Employee ID Type",
                "id_type_invalid",
                _("The ID type is C (civil or resident card number) or P (passport)."),
            )
            return False
        if len(employee_id) > 17:
            wrong("Employee ID", "id_too_long", _("The employee ID has at most 17 characters."))
            return False
        if self.surely_valid[id_type].fullmatch(employee_id):
            return True
        validate = validate_civil_number if id_type == "C" else validate_passport_number
        try:
            validate(employee_id)
        except ValidationError as error:
            wrong("Employee ID", "id_invalid", error.message, **(error.params or {}))
            return False
        return True

    def _check_bank_account(self, bic: str, account: str, wrong) -> None:
        bic = bic.upper()
        if not _BIC.fullmatch(bic):
            wrong(
                "Employee BIC Code",
                "bic_invalid",
                _("The BIC code has 8 or 11 letters and digits (e.g. BMUSOMRX)."),
            )
        elif bic[:8] not in self.bic8s:
            wrong(
                "Employee BIC Code",
                "bic_unknown",
                _("The BIC code %(bic)s is not of a bank that pays wages."),
                bic=bic,
            )
        if not account or len(account) > 30:
            wrong(
                "Employee Account",
                "account_invalid",
                _("The employee's account is required, at most 30 characters."),
            )
        elif account.upper().startswith("OM") and not iban_valid(account):
            wrong(
                "Employee Account",
                "iban_invalid",
                _("The account %(account)s is not a valid Omani IBAN (its check digits fail)."),
                account=account,
            )

    def totals(self, header: Header) -> list[Finding]:
        """What the header says of the whole file that the lines contradict."""
        findings = []
        if header.total_baisa is not None and header.total_baisa != self.total_net_baisa:
            findings.append(
                Finding(
                    header.line,
                    "Total Salaries",
                    "total_mismatch",
                    _(
                        "Total Salaries is %(total)s but the net salaries of the lines add up "
                        "to %(sum)s."
                    ),
                    {"total": rials(header.total_baisa), "sum": rials(self.total_net_baisa)},
                )
            )
        if header.records is not None and header.records != self.count:
            findings.append(
                Finding(
                    header.line,
                    "Number Of Records",
                    "records_mismatch",
                    _("Number Of Records is %(records)d but the file has %(count)d lines."),
                    {"records": header.records, "count": self.count},
                )
            )
        return findings


def rials(baisa: int) -> str:
    return f"{baisa // 1000}.{baisa % 1000:03d}"
