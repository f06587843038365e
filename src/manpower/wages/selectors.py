"""Every read of salary files, scoped to who asks: an establishment's representatives (and the
Sanad operators it authorised) see its files, ministry staff see all, a partner agency sees the
files it sent. A file outside the scope is not found, so its existence is not disclosed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from manpower.core.errors import NotFound
from manpower.registry import selectors as registry
from manpower.registry.models import Establishment

from .models import LineError, SalaryArchive, SalaryFile


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
    """The per-line error report as CSV text in pieces: UTF-8 with a BOM (so that Excel shows
    the Arabic), one row per error, both languages side by side; the file's own errors (line
    empty) first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flushed():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([str(label) for _attribute, label in REPORT_COLUMNS])
    yield "\ufeff" + flushed()
    rows = file_errors(salary_file=salary_file).values_list(
        *(attribute for attribute, _label in REPORT_COLUMNS)
    )
    for number, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        writer.writerow(["" if value is None else value for value in row])
        if number % 500 == 0:
            yield flushed()
    yield flushed()
