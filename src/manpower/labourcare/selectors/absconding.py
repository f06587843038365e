"""Reads of work-abandonment reports, scoped to the reader: the employer sees its own
establishment's reports, the worker the reports about them, labour-care officers all."""

from __future__ import annotations

from pathlib import Path

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from manpower.accounts.permissions import StaffAction, staff_actions
from manpower.core.errors import NotFound
from manpower.registry import selectors as registry
from manpower.registry.models import Employment, Establishment

from .. import conf
from ..models import AbscondingObjection, AbscondingReport
from ..services.absconding import proof_path

REPORT_ROW = ("employment__person", "establishment", "objection")


class ReportNotFound(NotFound):
    code = "absconding_report_not_found"


class WorkerNotFound(NotFound):
    code = "worker_not_found"


def _not_found(number: str) -> ReportNotFound:
    return ReportNotFound(_("No work-abandonment report %(number)s for you."), number=number)


def establishment_for_user(*, user, cr_number: str) -> Establishment:
    return registry.establishment_for_user(user=user, cr_number=cr_number)


def reports_of_establishment(*, establishment: Establishment) -> QuerySet[AbscondingReport]:
    return (
        AbscondingReport.objects.filter(establishment=establishment)
        .select_related("employment__person", "establishment")
        .order_by("-submitted_at", "-id")
    )


def report_for_establishment(*, establishment: Establishment, number: str) -> AbscondingReport:
    report = reports_of_establishment(establishment=establishment).filter(number=number).first()
    if report is None:
        raise _not_found(number)
    return report


def employment_of_establishment(*, establishment: Establishment, employment_id: int) -> Employment:
    """One of the establishment's current non-national workers (a report's subject)."""
    employment = (
        registry.establishment_workers(establishment=establishment)
        .filter(pk=employment_id, person_is_national=False)
        .select_related("person")
        .first()
    )
    if employment is None:
        raise WorkerNotFound(_("This worker is not one of the establishment's current workers."))
    return employment


def reportable_workers(*, establishment: Establishment) -> QuerySet[Employment]:
    return (
        registry.establishment_workers(establishment=establishment)
        .filter(person_is_national=False)
        .select_related("person")
        .order_by("person__name_en", "id")
    )


def reports_of_worker(*, user) -> QuerySet[AbscondingReport]:
    """The reports about the signed-in worker (by the civil number of the account)."""
    if not user.is_authenticated or not user.civil_number:
        return AbscondingReport.objects.none()
    return (
        AbscondingReport.objects.filter(employment__person__civil_number=user.civil_number)
        .exclude(status=AbscondingReport.Status.SUBMITTED)
        .select_related(*REPORT_ROW)
        .order_by("-submitted_at", "-id")
    )


def report_for_worker(*, user, number: str) -> AbscondingReport:
    report = reports_of_worker(user=user).filter(number=number).first()
    if report is None:
        raise _not_found(number)
    return report


def require_officer(user) -> None:
    """Work-abandonment reports and the disputes that bar them are labour-care officers' work."""
    if StaffAction.DECIDE_ABSCONDING_REPORT not in staff_actions(user):
        raise NotFound(_("This page is for labour-care officers."))


def reports_waiting(*, user) -> QuerySet[AbscondingReport]:
    """The officer's queue: reports waiting for a decision, oldest first."""
    require_officer(user)
    return (
        AbscondingReport.objects.filter(status=AbscondingReport.Status.SUBMITTED)
        .select_related("employment__person", "establishment")
        .order_by("submitted_at", "id")
    )


def objections_waiting(*, user) -> QuerySet[AbscondingObjection]:
    require_officer(user)
    return (
        AbscondingObjection.objects.filter(status=AbscondingObjection.Status.SUBMITTED)
        .select_related("report__employment__person", "report__establishment")
        .order_by("submitted_at", "id")
    )


def report_for_officer(*, user, number: str) -> AbscondingReport:
    require_officer(user)
    report = (
        AbscondingReport.objects.filter(number=number)
        .select_related("employment__person", "establishment")
        .first()
    )
    if report is None:
        raise _not_found(number)
    return report


def objection_of(report: AbscondingReport) -> AbscondingObjection | None:
    return AbscondingObjection.objects.filter(report=report).first()


def proof_file(report: AbscondingReport) -> Path | None:
    """The report's salary proof on disk, for a reader a selector above let see the report."""
    return proof_path(report) if report.salary_proof_sha256 else None


def pdf_proof_accepted() -> bool:
    """Whether the report's page offers the PDF upload (`ABSCONDING_PDF_PROOF_ACCEPTED`)."""
    return conf.ABSCONDING_PDF_PROOF_ACCEPTED.value


def salary_proof_months() -> int:
    return conf.ABSCONDING_SALARY_PROOF_MONTHS.value
