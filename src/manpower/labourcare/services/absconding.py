"""Work-abandonment ("absconding") reports under MD 270/2018: the employer files one online at
least a week after the worker's last working day, with proof of the last months' salaries and
the return-ticket undertaking; a labour-care officer approves or rejects it; the worker may
object within the objection period, and the officer upholds the objection (the report is
revoked and the worker may move employer) or finds it unjustified (the worker is fined).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import User
from manpower.accounts.permissions import StaffAction, require_staff_action
from manpower.contracts import selectors as contracts
from manpower.core import audit, states
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError, required_reason
from manpower.labourcards import selectors as labourcards
from manpower.labourcards import services as labourcards_services
from manpower.payments.services import invoice_create
from manpower.registry.models import Employment
from manpower.wages import selectors as wages

from .. import conf, events, storage
from ..models import AbscondingObjection, AbscondingReport, DisputeRecord
from ..selectors import complaints
from .inspections import inspection_open_for_reports

R = AbscondingReport.Status
P = AbscondingReport.ProofSource
O = AbscondingObjection.Status  # noqa: E741

REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    R.SUBMITTED: frozenset({R.APPROVED, R.REJECTED}),
    R.APPROVED: frozenset({R.REVOKED}),
    R.REJECTED: frozenset(),
    R.REVOKED: frozenset(),
}
OBJECTION_TRANSITIONS: dict[str, frozenset[str]] = {
    O.SUBMITTED: frozenset({O.UPHELD, O.UNJUSTIFIED}),
    O.UPHELD: frozenset(),
    O.UNJUSTIFIED: frozenset(),
}
FINE_FEE = "ABSCONDING_OBJECTION_FINE"  # RO 1.000 a unit: the fine is billed in whole rials


class ReportRefused(Conflict):
    code = "absconding_report_refused"


class TooEarly(DomainError):
    code = "absconding_too_early"
    status = 422


class ProofRequired(DomainError):
    code = "salary_proof_required"
    status = 422


class ProofInvalid(DomainError):
    code = "salary_proof_invalid"
    status = 422


class ProofTooLarge(DomainError):
    code = "file_too_large"
    status = 413


class UndertakingRequired(DomainError):
    code = "return_ticket_undertaking_required"
    status = 422


class ReportPending(Conflict):
    code = "absconding_report_pending"


class ReportClosed(Conflict):
    code = "absconding_report_closed"


class ObjectionLate(Conflict):
    code = "objection_period_over"


class ObjectionExists(Conflict):
    code = "objection_exists"


class ObjectionClosed(Conflict):
    code = "objection_closed"


class FineOutOfRange(DomainError):
    code = "fine_out_of_range"
    status = 422


# --- The salary proof ----------------------------------------------------------------------------


def proof_dir() -> Path:
    folder = Path(conf.ABSCONDING_FILE_DIR.value or Path(settings.VAR_DIR) / "labourcare")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _store_proof(chunks: Iterable[bytes]) -> str:
    """Keep the proof on disk under its SHA-256 (outside the database rows) and return the
    digest; refused, and nothing kept, when it is too big or is not a PDF by its content."""
    limit = conf.ABSCONDING_PROOF_MAX_BYTES.value
    return storage.keep(
        chunks,
        folder=proof_dir(),
        limit=limit,
        accepted=frozenset({"application/pdf"}),
        too_large=ProofTooLarge(
            _("The salary proof is larger than %(limit)d MB."), limit=limit // (1024 * 1024)
        ),
        refused=ProofInvalid(_("The salary proof must be a PDF file.")),
    ).sha256


def proof_path(report: AbscondingReport) -> Path:
    """Where the report's salary proof is kept (the selector checks who may read it)."""
    return proof_dir() / report.salary_proof_sha256


# --- The rules -----------------------------------------------------------------------------------


def in_country_since(employment: Employment) -> dt.date:
    """The worker's first day with an employer in the country: the ledger's earliest start."""
    return min(e.start_date for e in employment.person.employments.all())


def proof_waived(*, employment: Employment, today: dt.date) -> bool:
    """No salary proof is asked for a worker who has been in the country under a month."""
    days = conf.ABSCONDING_PROOF_WAIVED_DAYS.value
    return (today - in_country_since(employment)).days < days


def salary_proof_source(
    *, employment: Employment, last_working_date: dt.date, today: dt.date, uploaded: bool
) -> tuple[str, list[str]]:
    """Where the report's salary proof comes from, and the salary months ("2026-10") the Wage
    Protection System shows paid: none is asked for a worker in the country under a month;
    otherwise the WPS proves it when the establishment's checked files pay the worker every
    month it holds the establishment to (`wages.wage_months_paid`); an uploaded PDF stands in
    for missing months only while `ABSCONDING_PDF_PROOF_ACCEPTED`. Refused, naming the
    missing months, otherwise."""
    if proof_waived(employment=employment, today=today):
        return P.WAIVED, []
    count = conf.ABSCONDING_SALARY_PROOF_MONTHS.value
    months = wages.wage_months_paid(
        employment=employment, before=last_working_date, today=today, count=count
    )
    paid = [f"{m.year}-{m.month:02d}" for m in months if m.paid]
    missing = ", ".join(m.label for m in months if not m.paid)
    if not missing:
        return P.WPS, paid
    if not conf.ABSCONDING_PDF_PROOF_ACCEPTED.value:
        raise ProofRequired(
            _(
                "The Wage Protection System shows no salary paid to the worker by this employer "
                "for %(months)s: the salaries of the last %(count)d months must be paid through "
                "it before the report is filed."
            ),
            months=missing,
            count=count,
        )
    if not uploaded:
        raise ProofRequired(
            _(
                "The Wage Protection System shows no salary paid to the worker by this employer "
                "for %(months)s: attach proof of the last %(count)d months' salaries (a PDF)."
            ),
            months=missing,
            count=count,
        )
    return P.UPLOAD, paid


def refusal(
    *, employment: Employment, last_working_date: dt.date, now: dt.datetime
) -> DomainError | None:
    """Why a report on this worker is refused, if it is (MD 270/2018): a criminal or debt
    dispute before the absence, legal leave, an accepted resignation or transfer, or the
    worker's open complaint about wages against this employer (no retaliation)."""
    if complaints.worker_has_open_wage_complaint(
        civil_number=employment.person.civil_number,
        establishment_id=employment.establishment_id,
        filed_before=now,
    ):
        return ReportRefused(
            _(
                "The worker has an open complaint about wages against the employer, so a "
                "work-abandonment report cannot be filed while it is open."
            ),
            code="wage_complaint_open",
        )
    if DisputeRecord.objects.filter(
        employment=employment, started_date__lte=last_working_date
    ).exists():
        return ReportRefused(
            _(
                "A criminal case or debt claim between the employer and the worker began before "
                "the absence, so a work-abandonment report cannot be filed."
            )
        )
    card = labourcards.open_card_of(employment_id=employment.pk)
    if card is None:
        return ReportRefused(_("The worker has no valid labour card with this employer."))
    if card.worker_status == card.WorkerStatus.LEGAL_LEAVE:
        return ReportRefused(_("The worker is on legal leave."))
    if card.worker_status == card.WorkerStatus.LEFT_WORKPLACE:
        return ReportPending(_("A work-abandonment report on this worker is already approved."))
    if contracts.resignation_recorded(employment_id=employment.pk):
        return ReportRefused(_("The worker's resignation has already been accepted."))
    if labourcards.transfer_agreed(employment_id=employment.pk):
        return ReportRefused(_("The worker's transfer to another employer was already agreed."))
    return None


def _report_number() -> str:
    return "AB-" + secrets.token_hex(5).upper()


def _report_pending() -> ReportPending:
    return ReportPending(_("A work-abandonment report on this worker is already open."))


def absconding_report_file(
    *,
    actor: Actor,
    now: dt.datetime,
    employment: Employment,
    last_working_date: dt.date,
    return_ticket_undertaken: bool,
    salary_proof: Iterable[bytes] | None = None,
) -> AbscondingReport:
    """The employer (its representative, or a Sanad operator for it) reports that a worker
    stopped working. Filed at least `ABSCONDING_MIN_DAYS_ABSENT` days after the last working
    day, with the return-ticket undertaking and, unless the worker has been in the country
    under a month, the last months' salaries paid through the Wage Protection System (or a PDF
    proof, see `salary_proof_source`). Crossing the establishment's threshold of reports opens
    an inspection in the same transaction."""
    today = timezone.localdate(now)
    if employment.status != Employment.Status.ACTIVE or employment.establishment_id is None:
        raise ReportRefused(_("The worker is not employed by an establishment."))
    if last_working_date > today:
        raise TooEarly(_("The last working day cannot be in the future."))
    days = conf.ABSCONDING_MIN_DAYS_ABSENT.value
    if (today - last_working_date).days < days:
        raise TooEarly(
            _("A report can be filed from %(date)s, %(days)d days after the last working day."),
            date=(last_working_date + dt.timedelta(days=days)).strftime("%d/%m/%Y"),
            days=days,
        )
    if not return_ticket_undertaken:
        raise UndertakingRequired(_("Undertake to pay the worker's return ticket."))
    if AbscondingReport.objects.filter(
        employment=employment, status__in=[R.SUBMITTED, R.APPROVED]
    ).exists():
        raise _report_pending()
    error = refusal(employment=employment, last_working_date=last_working_date, now=now)
    if error is not None:
        raise error
    source, months = salary_proof_source(
        employment=employment,
        last_working_date=last_working_date,
        today=today,
        uploaded=salary_proof is not None,
    )
    sha256 = _store_proof(salary_proof) if source == P.UPLOAD else ""
    try:
        with transaction.atomic():
            report = AbscondingReport.objects.create(
                number=_report_number(),
                employment=employment,
                establishment_id=employment.establishment_id,
                last_working_date=last_working_date,
                salary_proof_sha256=sha256,
                salary_proof_source=source,
                salary_proof_months=months,
                return_ticket_undertaken=True,
                channel=actor.channel,
                submitted_at=now,
            )
            audit.record(
                actor=actor,
                action="absconding_report.filed",
                obj=report,
                at=now,
                changes={
                    "status": [None, report.status],
                    "employment": employment.pk,
                    "last_working_date": last_working_date.isoformat(),
                    "salary_proof_source": source,
                    "salary_proof_months": months,
                },
            )
            inspection_open_for_reports(
                actor=actor, now=now, establishment=employment.establishment
            )
    except IntegrityError as exc:
        if "one_open_absconding_report_per_employment" not in str(exc) and (
            "labourcare_abscondingreport.employment_id" not in str(exc)
        ):
            raise
        raise _report_pending() from exc
    return report


def _move(obj, to: str, *, table, error, **fields) -> None:
    states.transition(obj, to, table=table, error=error, **fields)


def absconding_report_approve(
    *, actor: Actor, now: dt.datetime, report: AbscondingReport, reason: str = ""
) -> AbscondingReport:
    """A labour-care officer approves: the worker's status becomes 'left the workplace' (so no
    transfer), the police are told, and the worker's objection period starts."""
    require_staff_action(actor=actor, action=StaffAction.DECIDE_ABSCONDING_REPORT)
    deadline = timezone.localdate(now) + dt.timedelta(days=conf.ABSCONDING_OBJECTION_DAYS.value)
    with transaction.atomic():
        report = AbscondingReport.objects.select_for_update().get(pk=report.pk)
        _move(
            report,
            R.APPROVED,
            table=REPORT_TRANSITIONS,
            error=ReportClosed,
            decided_at=now,
            decision_reason=reason.strip()[:500],
            objection_deadline_date=deadline,
        )
        labourcards_services.worker_left_workplace(
            actor=actor, now=now, employment=report.employment
        )
        audit.record(
            actor=actor,
            action="absconding_report.approved",
            obj=report,
            at=now,
            changes={
                "status": [R.SUBMITTED, R.APPROVED],
                "objection_deadline_date": [None, deadline.isoformat()],
            },
        )
        events.absconding_report_approved(report=report, now=now)
    return report


def absconding_report_reject(
    *, actor: Actor, now: dt.datetime, report: AbscondingReport, reason: str
) -> AbscondingReport:
    """A labour-care officer rejects the report, saying why."""
    require_staff_action(actor=actor, action=StaffAction.DECIDE_ABSCONDING_REPORT)
    reason = required_reason(reason)
    with transaction.atomic():
        report = AbscondingReport.objects.select_for_update().get(pk=report.pk)
        _move(
            report,
            R.REJECTED,
            table=REPORT_TRANSITIONS,
            error=ReportClosed,
            decided_at=now,
            decision_reason=reason,
        )
        audit.record(
            actor=actor,
            action="absconding_report.rejected",
            obj=report,
            at=now,
            changes={"status": [R.SUBMITTED, R.REJECTED], "reason": [None, reason]},
        )
    return report


# --- The worker's objection ----------------------------------------------------------------------


def absconding_objection_file(
    *, actor: Actor, now: dt.datetime, report: AbscondingReport, user: User, grounds: str
) -> AbscondingObjection:
    """The worker objects to an approved report, within the objection period; once."""
    grounds = grounds.strip()
    if not grounds or "\x00" in grounds:
        raise ObjectionClosed(
            _("Say why the report is wrong."), code="grounds_required", status=422
        )
    if report.status != R.APPROVED:
        raise ObjectionClosed(_("Only an approved report can be objected to."))
    if timezone.localdate(now) > report.objection_deadline_date:
        raise ObjectionLate(
            _("The objection period ended on %(date)s."),
            date=report.objection_deadline_date.strftime("%d/%m/%Y"),
        )
    try:
        with transaction.atomic():
            objection = AbscondingObjection.objects.create(
                report=report,
                filed_by=user,
                grounds=grounds[:5000],
                channel=actor.channel,
                submitted_at=now,
            )
            audit.record(
                actor=actor,
                action="absconding_objection.filed",
                obj=objection,
                at=now,
                changes={"status": [None, objection.status], "report": report.number},
            )
    except IntegrityError as exc:
        raise ObjectionExists(_("An objection to this report has already been made.")) from exc
    return objection


def absconding_objection_uphold(
    *, actor: Actor, now: dt.datetime, objection: AbscondingObjection, reason: str
) -> AbscondingObjection:
    """The officer finds the report false: it is revoked, the worker is back at work and may
    move to a new employer without the current one's consent, and the police are told."""
    require_staff_action(actor=actor, action=StaffAction.DECIDE_ABSCONDING_REPORT)
    reason = required_reason(reason)
    with transaction.atomic():
        objection = AbscondingObjection.objects.select_for_update().get(pk=objection.pk)
        _move(
            objection,
            O.UPHELD,
            table=OBJECTION_TRANSITIONS,
            error=ObjectionClosed,
            decided_at=now,
            decision_reason=reason,
        )
        report = objection.report
        _move(report, R.REVOKED, table=REPORT_TRANSITIONS, error=ReportClosed)
        labourcards_services.worker_absconding_revoked(
            actor=actor, now=now, employment=report.employment
        )
        audit.record(
            actor=actor,
            action="absconding_objection.upheld",
            obj=objection,
            at=now,
            changes={"status": [O.SUBMITTED, O.UPHELD], "reason": [None, reason]},
        )
        audit.record(
            actor=actor,
            action="absconding_report.revoked",
            obj=report,
            at=now,
            changes={"status": [R.APPROVED, R.REVOKED]},
        )
        events.absconding_report_revoked(report=report, now=now)
    return objection


def fine_range() -> tuple[int, int]:
    return (
        conf.ABSCONDING_OBJECTION_FINE_MIN_BAISA.value,
        conf.ABSCONDING_OBJECTION_FINE_MAX_BAISA.value,
    )


def absconding_objection_reject(
    *,
    actor: Actor,
    now: dt.datetime,
    objection: AbscondingObjection,
    reason: str,
    fine_baisa: int,
) -> AbscondingObjection:
    """The officer finds the objection unjustified: the report stands and the worker is billed
    the fine the officer sets within the range, in whole rials."""
    require_staff_action(actor=actor, action=StaffAction.DECIDE_ABSCONDING_REPORT)
    reason = required_reason(reason)
    low, high = fine_range()
    if not low <= fine_baisa <= high or fine_baisa % 1000:
        raise FineOutOfRange(
            _("The fine is a whole number of rials from RO %(low)d to RO %(high)d."),
            low=low // 1000,
            high=high // 1000,
        )
    with transaction.atomic():
        objection = AbscondingObjection.objects.select_for_update().get(pk=objection.pk)
        if objection.status != O.SUBMITTED:
            raise ObjectionClosed(_("This objection has already been decided."))
        invoice = invoice_create(
            actor=actor,
            now=now,
            service_code=FINE_FEE,
            payer_user=objection.filed_by,
            quantity=fine_baisa // 1000,
        )
        _move(
            objection,
            O.UNJUSTIFIED,
            table=OBJECTION_TRANSITIONS,
            error=ObjectionClosed,
            decided_at=now,
            decision_reason=reason,
            fine_baisa=fine_baisa,
            fine_invoice=invoice,
        )
        audit.record(
            actor=actor,
            action="absconding_objection.unjustified",
            obj=objection,
            at=now,
            changes={
                "status": [O.SUBMITTED, O.UNJUSTIFIED],
                "reason": [None, reason],
                "fine_baisa": [None, fine_baisa],
                "invoice": invoice.number,
            },
        )
    return objection
