"""The payment deadline and the monthly compliance of every establishment.

Wages are due `WAGES_PAYMENT_DEADLINE_DAYS` after the wage period (the salary month) ends; a
file dated later pays each of its (non-exempt) workers late, a line error like any other. A
month's compliance is, per establishment, the share of its ledger workers (the exempt left out)
paid correctly and on time: with a line of a checked file of that month that has no error. It
is computed for every establishment of a month at once, in one grouped query over the ledger.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from manpower.core.actor import Actor
from manpower.registry.models import Employment

from .. import conf, sif
from ..models import LineError, MonthlyCompliance, SalaryFile, SalaryLine
from .exemptions import exempt_in


def due_date(year: int, month: int) -> dt.date:
    """The last day the month's wages may be paid on time."""
    return sif.month_bounds(year, month)[1] + dt.timedelta(days=conf.PAYMENT_DEADLINE_DAYS.value)


def not_exempt_lines(lines, first: dt.date, last: dt.date):
    """`lines` (matched to an employment) whose worker is not exempt in the month."""
    exempt = Employment.objects.filter(exempt_in(first, last), pk=OuterRef("employment_id"))
    return lines.filter(employment__isnull=False).exclude(Exists(exempt))


def late_payment_findings(salary_file: SalaryFile, year: int, month: int) -> list[sif.Finding]:
    """A `paid_late` error on each non-exempt worker's line when the file's date (the bank's
    payment date in its name) is after the month's due date."""
    due = due_date(year, month)
    if salary_file.name_date <= due:
        return []
    first, last = sif.month_bounds(year, month)
    lines = not_exempt_lines(SalaryLine.objects.filter(file=salary_file), first, last)
    params = {"paid": salary_file.name_date.strftime("%d/%m/%Y"), "due": due.strftime("%d/%m/%Y")}
    return [
        sif.Finding(
            line_number,
            "Salary Month",
            "paid_late",
            _("Paid on %(paid)s, after the due date of %(due)s."),
            params,
            employee_id,
        )
        for line_number, employee_id in lines.order_by("line_number").values_list(
            "line_number", "employee_id"
        )
    ]


def month_figures(year: int, month: int):
    """Per establishment of the ledger: its workers in the month, the exempt among them, and
    the others paid correctly and on time; one grouped query."""
    first, last = sif.month_bounds(year, month)
    exempt = exempt_in(first, last)
    correct_line = SalaryLine.objects.filter(
        employment_id=OuterRef("pk"),
        file__status=SalaryFile.Status.CHECKED,
        file__salary_year=year,
        file__salary_month=month,
    ).exclude(
        Exists(
            LineError.objects.filter(
                file_id=OuterRef("file_id"), line_number=OuterRef("line_number")
            )
        )
    )
    return (
        Employment.objects.filter(start_date__lte=last, establishment__isnull=False)
        .exclude(end_date__lt=first)
        .order_by()
        .values("establishment_id")
        .annotate(
            total=Count("id"),
            exempt=Count("id", filter=exempt),
            paid=Count("id", filter=~exempt & Q(Exists(correct_line))),
        )
    )


def compliance_compute(*, actor: Actor, year: int, month: int, now: dt.datetime) -> int:
    """(Re)compute the month's compliance of every establishment with workers to pay; how many
    rows. The month's old rows are replaced in the same transaction, so readers see the old
    figures or the new, never half."""
    threshold = conf.COMPLIANT_PERMYRIAD.value
    rows = []
    for figures in month_figures(year, month).iterator(chunk_size=10_000):
        workers = figures["total"] - figures["exempt"]
        if workers <= 0:
            continue
        share = figures["paid"] * 10_000 // workers
        rows.append(
            MonthlyCompliance(
                establishment_id=figures["establishment_id"],
                salary_year=year,
                salary_month=month,
                workers=workers,
                paid_ok=figures["paid"],
                exempt=figures["exempt"],
                share_permyriad=share,
                compliant=share >= threshold,
                computed_at=now,
            )
        )
    with transaction.atomic():
        MonthlyCompliance.objects.filter(salary_year=year, salary_month=month).delete()
        MonthlyCompliance.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
