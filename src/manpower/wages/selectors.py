"""Every read of salary files, scoped to who asks: an establishment's representatives (and the
Sanad operators it authorised) see its files, ministry staff see all, a partner agency sees the
files it sent. A file outside the scope is not found, so its existence is not disclosed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import reduce
from operator import or_
from typing import NamedTuple

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import Department
from manpower.core.csv_report import csv_pieces
from manpower.core.errors import NotFound
from manpower.core.models import EconomicActivity, Governorate
from manpower.registry import selectors as registry
from manpower.registry.models import Employment, Establishment

from . import conf, sif
from .models import (
    Exemption,
    LineError,
    MonthlyCompliance,
    SalaryArchive,
    SalaryFile,
    SalaryLine,
    Sanction,
)


class SalaryFileNotFound(NotFound):
    code = "salary_file_not_found"


def _not_found(file_id) -> SalaryFileNotFound:
    return SalaryFileNotFound(_("No salary file %(id)s was found in your account."), id=file_id)


def files_of_establishment(*, establishment: Establishment) -> QuerySet[SalaryFile]:
    return SalaryFile.objects.filter(establishment=establishment).select_related("bank")


def files_for_user(*, user) -> QuerySet[SalaryFile]:
    return SalaryFile.objects.filter(
        establishment__in=registry.establishments_visible_to(user)
    ).select_related("bank", "establishment")


def file_for_user(*, user, file_id: int) -> SalaryFile:
    found = files_for_user(user=user).filter(pk=file_id).first()
    if found is None:
        raise _not_found(file_id)
    return found


def file_of_establishment(*, user, establishment: Establishment, file_id: int) -> SalaryFile:
    """A file of `establishment` (which the caller has already been found to see)."""
    found = file_for_user(user=user, file_id=file_id)
    if found.establishment_id != establishment.pk:
        raise _not_found(file_id)
    return found


def file_for_partner(*, label: str, file_id: int) -> SalaryFile:
    """A file the calling agency (its actor's label, `partner:<code>`) sent."""
    found = (
        SalaryFile.objects.select_related("bank", "establishment")
        .filter(pk=file_id, submitted_by_label=label)
        .first()
    )
    if found is None:
        raise _not_found(file_id)
    return found


class SalaryArchiveNotFound(NotFound):
    code = "salary_archive_not_found"


def archive_for_partner(*, label: str, archive_id: int) -> SalaryArchive:
    """An archive the calling agency sent; another's is not found."""
    found = SalaryArchive.objects.filter(pk=archive_id, submitted_by_label=label).first()
    if found is None:
        raise SalaryArchiveNotFound(
            _("No salary file archive %(id)s was found in your account."), id=archive_id
        )
    return found


def archive_by_sha256(sha256: str) -> SalaryArchive:
    """The archive of these bytes (for the file exchange, which has checked its agency's)."""
    found = SalaryArchive.objects.filter(sha256=sha256).first()
    if found is None:
        raise SalaryArchiveNotFound(_("No salary file archive with these contents was found."))
    return found


def archive_summary(archive: SalaryArchive) -> dict:
    """What every channel says of an archive (the API answers and the domain event)."""
    return {
        "file_name": archive.file_name,
        "status": archive.status,
        "files_total": archive.files_total,
        "files_checked": archive.files_checked,
        "lines_total": archive.lines_total,
        "refused_count": len(archive.refused),
    }


def archive_files(*, archive: SalaryArchive) -> QuerySet[SalaryFile]:
    return archive.files.select_related("establishment", "bank").order_by("pk")


def file_summary(salary_file: SalaryFile) -> dict:
    """What every channel says of a file (the API answers and the domain event)."""
    return {
        "file_name": salary_file.file_name,
        "cr_number": salary_file.establishment.cr_number,
        "bank_code": salary_file.bank.code,
        "salary_year": salary_file.salary_year,
        "salary_month": salary_file.salary_month,
        "status": salary_file.status,
        "lines_total": salary_file.lines_total,
        "error_count": salary_file.error_count,
    }


def file_errors(*, salary_file: SalaryFile) -> QuerySet[LineError]:
    return LineError.objects.filter(file=salary_file).order_by("line_number", "id")


REPORT_COLUMNS = (
    ("line_number", _("Line")),
    ("field", _("Field")),
    ("employee_id", _("Employee ID")),
    ("code", _("Code")),
    ("message_ar", "الخطأ"),
    ("message_en", "Error"),
)


def error_report_csv(*, salary_file: SalaryFile) -> Iterator[str]:
    """The per-line error report, both languages side by side; the file's own errors (line
    empty) first."""
    return csv_pieces(file_errors(salary_file=salary_file), REPORT_COLUMNS)


# --- Compliance -------------------------------------------------------------------------------


def months_of_establishment(*, establishment: Establishment) -> QuerySet[MonthlyCompliance]:
    """The establishment's judged months, newest first."""
    return MonthlyCompliance.objects.filter(establishment=establishment).order_by(
        "-salary_year", "-salary_month", "-id"
    )


def sanctions_of_establishment(*, establishment: Establishment) -> QuerySet[Sanction]:
    return Sanction.objects.filter(establishment=establishment).order_by("-taken_at", "-id")


def free_transfer_months() -> int:
    return conf.FREE_TRANSFER_MONTHS.value


def non_compliant_months_running(*, establishment_id: int) -> int:
    """How many of the establishment's latest months, one after another, were non-compliant."""
    running, expected = 0, None
    months = MonthlyCompliance.objects.filter(establishment_id=establishment_id).order_by(
        "-salary_year", "-salary_month"
    )
    for year, month, compliant in months.values_list(
        "salary_year", "salary_month", "compliant"
    ).iterator():
        index = year * 12 + month
        if compliant or (expected is not None and index != expected):
            break
        running, expected = running + 1, index - 1
    return running


def workers_free_to_transfer(*, establishment_id: int | None) -> bool:
    """The establishment's workers may move without its consent: it has been non-compliant
    `WAGES_FREE_TRANSFER_MONTHS` months running (labour cards' `WPS_NON_COMPLIANT` reason)."""
    if establishment_id is None:
        return False
    return non_compliant_months_running(establishment_id=establishment_id) >= (
        free_transfer_months()
    )


def month_errors(*, compliance: MonthlyCompliance) -> QuerySet[LineError]:
    """What to fix for a month: the errors of the establishment's checked files of that month."""
    return LineError.objects.filter(
        file__establishment_id=compliance.establishment_id,
        file__salary_year=compliance.salary_year,
        file__salary_month=compliance.salary_month,
    ).order_by("file_id", "line_number", "id")


class NotComplianceOfficer(NotFound):
    """A page of wage protection staff asked for by someone else: not disclosed."""

    code = "not_found"


def require_wps_officer(user) -> None:
    """Ministry staff of wage protection (or of no department, such as administrators)."""
    if not (
        user.is_authenticated
        and user.is_ministry_staff
        and user.department in ("", Department.WAGE_PROTECTION)
    ):
        raise NotComplianceOfficer(_("This page is for wage protection officers."))


def latest_judged_month() -> tuple[int, int] | None:
    found = (
        MonthlyCompliance.objects.order_by("-salary_year", "-salary_month")
        .values_list("salary_year", "salary_month")
        .first()
    )
    return tuple(found) if found else None


# What the officers' counts group by: a column of the establishment (the sector is the ISIC
# section above its economic activity).
GROUPINGS = {
    "size": "establishment__size",
    "governorate": "establishment__governorate_id",
    "sector": "establishment__activity__parent_id",
}


def non_compliant_for_officer(
    *, user, year: int, month: int, size: str = "", governorate: str = "", sector: str = ""
) -> QuerySet[MonthlyCompliance]:
    """A month's non-compliant establishments, worst first, for wage protection staff, filtered
    by size, governorate (code) and sector (economic activity section)."""
    require_wps_officer(user)
    rows = MonthlyCompliance.objects.filter(
        salary_year=year, salary_month=month, compliant=False
    ).select_related("establishment", "establishment__governorate")
    if size:
        rows = rows.filter(establishment__size=size)
    if governorate:
        rows = rows.filter(establishment__governorate_id=governorate)
    if sector:
        rows = rows.filter(establishment__activity__parent_id=sector)
    return rows.order_by("share_permyriad", "establishment_id")


def _group_names(by: str) -> dict[str, str]:
    if by == "size":
        return {value: str(label) for value, label in Establishment.Size.choices}
    model = Governorate if by == "governorate" else EconomicActivity
    return {row.pk: row.name for row in model.objects.all()}


def non_compliant_counts(*, user, year: int, month: int, by: str) -> list[dict]:
    """Per size, governorate or sector of the month: its code and name, how many
    establishments were judged and how many were non-compliant."""
    require_wps_officer(user)
    column = GROUPINGS[by]
    names = _group_names(by)
    rows = (
        MonthlyCompliance.objects.filter(salary_year=year, salary_month=month)
        .order_by()
        .values(column)
        .annotate(judged=Count("id"), failing=Count("id", filter=Q(compliant=False)))
        .order_by(column)
    )
    return [
        {
            "code": row[column],
            "name": names.get(row[column], row[column]),
            "failing": row["failing"],
            "judged": row["judged"],
        }
        for row in rows
    ]


def salary_history(*, user) -> QuerySet[SalaryLine]:
    """The signed-in worker's own salary lines, from the checked files, newest month first."""
    civil_number = getattr(user, "civil_number", "")
    if not civil_number:
        return SalaryLine.objects.none()
    return (
        SalaryLine.objects.filter(
            person__civil_number=civil_number, file__status=SalaryFile.Status.CHECKED
        )
        .select_related("file__establishment")
        .order_by("-file__salary_year", "-file__salary_month", "-file_id", "line_number")
    )


class WageMonth(NamedTuple):
    year: int
    month: int
    paid: bool

    @property
    def label(self) -> str:
        """As the pages show a salary month: 10/2026."""
        return f"{self.month:02d}/{self.year}"


def _months_back(before: dt.date, count: int) -> list[tuple[int, int]]:
    """The `count` complete months up to `before` (its own month only if it is the last day),
    newest first."""
    year, month = before.year, before.month
    if sif.month_bounds(year, month)[1] != before:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months = []
    for _step in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def wage_months_paid(
    *, employment: Employment, before: dt.date, today: dt.date, count: int
) -> list[WageMonth]:
    """Of the worker's last `count` complete salary months up to `before` (a last working
    day), those the Wage Protection System holds the establishment to by `today`, oldest first,
    each with whether a checked file of that establishment for the month pays the worker (a
    line with a net salary). A month is left out, as the compliance check leaves it out, when
    its wages are not due yet (`WAGES_PAYMENT_DEADLINE_DAYS` after its end), when the worker
    was a new hire of its last days (`WAGES_NEW_HIRE_EXEMPT_DAYS`) or when an officer exempted
    the worker for part of it. A rejected file, or another establishment's, proves nothing."""
    from .services.compliance import due_date  # not at the top: the services import these

    new_hire = dt.timedelta(days=conf.NEW_HIRE_EXEMPT_DAYS.value)
    exemptions = list(
        Exemption.objects.filter(employment=employment).values_list("start_date", "end_date")
    )
    held = []
    for year, month in reversed(_months_back(before, count)):
        first, last = sif.month_bounds(year, month)
        if due_date(year, month) > today or employment.start_date > last - new_hire:
            continue
        if any(start <= last and end >= first for start, end in exemptions):
            continue
        held.append((year, month))
    if not held:
        return []
    paid = set(
        SalaryLine.objects.filter(
            reduce(or_, (Q(file__salary_year=y, file__salary_month=m) for y, m in held)),
            person_id=employment.person_id,
            file__establishment_id=employment.establishment_id,
            file__status=SalaryFile.Status.CHECKED,
            net_baisa__gt=0,
        ).values_list("file__salary_year", "file__salary_month")
    )
    return [WageMonth(year, month, (year, month) in paid) for year, month in held]


# What an establishment does about each kind of error, shown beside the month's errors.
FIXES = {
    "worker_missing": _(
        "Pay these workers of yours, or ask the ministry to record why they need not be paid "
        "(unpaid leave, a dispute, a suspension of work)."
    ),
    "net_below_wage": _("Pay at least the basic wage registered in the worker's contract."),
    "basic_below_wage": _("Pay at least the basic wage registered in the worker's contract."),
    "paid_late": _("Pay wages within the days allowed after the end of the month."),
    "worker_unknown": _("Check the worker's civil or resident card number."),
    "worker_other_employer": _("Pay only your own workers; this worker is registered elsewhere."),
    "worker_not_employed": _("Register the worker's employment before paying them."),
}
FIX_OTHERWISE = _("Correct the line and ask your bank to send the file again.")


def month_error_summary(*, compliance: MonthlyCompliance) -> list[dict]:
    """The month's errors by code, most frequent first, each with what to do about it."""
    rows = (
        month_errors(compliance=compliance)
        .order_by()
        .values("code")
        .annotate(count=Count("id"))
        .order_by("-count", "code")
    )
    return [
        {"code": row["code"], "count": row["count"], "fix": FIXES.get(row["code"], FIX_OTHERWISE)}
        for row in rows
    ]


class EmploymentNotFound(NotFound):
    code = "employment_not_found"


def employment_to_exempt(*, user, cr_number: str, civil_number: str):
    """The worker's employment at the establishment, for a wage protection officer."""
    require_wps_officer(user)
    employment = (
        registry.employments_of_person(civil_number=civil_number.strip())
        .filter(establishment__cr_number=cr_number.strip())
        .first()
    )
    if employment is None:
        raise EmploymentNotFound(
            _("Worker %(civil)s is not employed by the establishment %(cr)s."),
            civil=civil_number,
            cr=cr_number,
        )
    return employment


def exemptions_recorded(*, user) -> QuerySet[Exemption]:
    require_wps_officer(user)
    return Exemption.objects.select_related(
        "employment__person", "employment__establishment"
    ).order_by("-recorded_at", "-id")
