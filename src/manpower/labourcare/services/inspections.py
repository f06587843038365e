"""Inspections of establishments: opened when an establishment files too many work-abandonment
reports (or by a labour-care officer), assigned to an inspector with a visit date, and closed
with findings and a result. Non-compliant on the reports rule stops the establishment's
services for `INSPECTION_SANCTION_DAYS` (the registry's sanction); the daily job restores them.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import Role, User
from manpower.accounts.permissions import StaffAction, require_staff_action, staff_actions
from manpower.core import audit, states
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError, required_reason
from manpower.registry import selectors as registry_selectors
from manpower.registry import services as registry
from manpower.registry.models import Establishment

from .. import conf, events
from ..models import AbscondingReport, Inspection

S = Inspection.Status
INSPECTION_TRANSITIONS: dict[str, frozenset[str]] = {
    S.OPEN: frozenset({S.ASSIGNED}),
    S.ASSIGNED: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
}


class InspectionClosed(Conflict):
    code = "inspection_closed"


class NotAnInspector(DomainError):
    code = "not_an_inspector"
    status = 422


class NotYourInspection(DomainError):
    code = "not_your_inspection"
    status = 403


class InvalidInspection(DomainError):
    code = "invalid_inspection"
    status = 422


def _number() -> str:
    return "IN-" + secrets.token_hex(5).upper()


def _open(*, actor: Actor, now: dt.datetime, establishment: Establishment, reason: str, note: str):
    inspection = Inspection.objects.create(
        number=_number(),
        establishment=establishment,
        reason=reason,
        note=note,
        status=S.OPEN,
        opened_at=now,
    )
    audit.record(
        actor=actor,
        action="inspection.opened",
        obj=inspection,
        at=now,
        changes={"status": [None, S.OPEN], "reason": [None, reason], "note": [None, note]},
    )
    return inspection


def reports_counts(*, establishment: Establishment, now: dt.datetime) -> tuple[int, int]:
    """The establishment's reports filed in the last 30 and 365 days (all of them: approved,
    rejected or waiting; a report is a report when filed)."""
    reports = AbscondingReport.objects.filter(establishment=establishment)
    month = reports.filter(submitted_at__gt=now - dt.timedelta(days=30)).count()
    year = reports.filter(submitted_at__gt=now - dt.timedelta(days=365)).count()
    return month, year


def inspection_open_for_reports(
    *, actor: Actor, now: dt.datetime, establishment: Establishment
) -> Inspection | None:
    """In the caller's transaction (a report just filed): open an inspection when the
    establishment has reached `INSPECTION_REPORTS_IN_MONTH` reports in 30 days or
    `INSPECTION_REPORTS_IN_YEAR` in 365, unless one for that reason is already open. The
    establishment's row is locked so that concurrent reports count each other; the unique index
    keeps one open inspection even so."""
    Establishment.objects.select_for_update().filter(pk=establishment.pk).first()
    month, year = reports_counts(establishment=establishment, now=now)
    if (
        month < conf.INSPECTION_REPORTS_IN_MONTH.value
        and year < conf.INSPECTION_REPORTS_IN_YEAR.value
    ):
        return None
    open_reasons = [S.OPEN, S.ASSIGNED]
    reason = Inspection.Reason.ABSCONDING_REPORTS
    if Inspection.objects.filter(
        establishment=establishment, reason=reason, status__in=open_reasons
    ).exists():
        return None
    try:
        with transaction.atomic():
            return _open(
                actor=actor,
                now=now,
                establishment=establishment,
                reason=reason,
                note="",
            )
    except IntegrityError:
        return None  # a concurrent report opened it


def inspection_open(
    *, actor: Actor, now: dt.datetime, establishment: Establishment, note: str
) -> Inspection:
    """A labour-care officer opens an inspection of an establishment, saying why."""
    require_staff_action(actor=actor, action=StaffAction.MANAGE_INSPECTIONS)
    note = required_reason(note)
    with transaction.atomic():
        return _open(
            actor=actor,
            now=now,
            establishment=establishment,
            reason=Inspection.Reason.OFFICER,
            note=note,
        )


def inspectors() -> list[User]:
    """Who may be assigned an inspection: active staff whom the table lets inspect."""
    return [
        user
        for user in User.objects.filter(role=Role.INSPECTOR, is_active=True).order_by(
            "username", "id"
        )
        if StaffAction.INSPECT in staff_actions(user)
    ]


def inspection_assign(
    *,
    actor: Actor,
    now: dt.datetime,
    inspection: Inspection,
    inspector: User,
    visit_date: dt.date,
) -> Inspection:
    """A labour-care officer assigns an inspector and the date of the visit."""
    require_staff_action(actor=actor, action=StaffAction.MANAGE_INSPECTIONS)
    if StaffAction.INSPECT not in staff_actions(inspector):
        raise NotAnInspector(_("%(name)s is not an inspector."), name=inspector.get_username())
    if visit_date < timezone.localdate(now):
        raise InvalidInspection(_("The visit date cannot be in the past."))
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        states.transition(
            inspection,
            S.ASSIGNED,
            table=INSPECTION_TRANSITIONS,
            error=InspectionClosed,
            inspector=inspector,
            visit_date=visit_date,
        )
        audit.record(
            actor=actor,
            action="inspection.assigned",
            obj=inspection,
            at=now,
            changes={
                "status": [S.OPEN, S.ASSIGNED],
                "inspector": [None, inspector.get_username()],
                "visit_date": [None, visit_date.isoformat()],
            },
        )
    return inspection


def _suspend(*, actor: Actor, now: dt.datetime, inspection: Inspection) -> bool:
    """Stop the establishment's services for the inspection's sanction; whether the suspension
    is then the sanction's to lift: it suspended the establishment, or it takes over from an
    earlier sanction still running (which leaves the lift to it). An establishment found
    suspended otherwise (by hand) is left as it is, and so stays when the sanction ends."""
    establishment = inspection.establishment
    if registry.establishment_sanction_suspend(
        actor=actor,
        establishment=establishment,
        reason=f"Inspection {inspection.number}: non-compliant (work-abandonment "
        f"reports), services stopped until {inspection.services_stopped_until.isoformat()}",
        now=now,
    ):
        return True
    if not registry_selectors.suspended_by_sanction(establishment=establishment):
        return False
    return bool(
        Inspection.objects.filter(
            establishment=establishment, suspension_held=True, services_restored_at__isnull=True
        )
        .exclude(pk=inspection.pk)
        .update(suspension_held=False)
    )


def inspection_complete(
    *, actor: Actor, now: dt.datetime, inspection: Inspection, result: str, findings: str
) -> Inspection:
    """The assigned inspector records the findings and the result. An establishment sent to
    inspection by its reports and found non-compliant has its services stopped."""
    user = require_staff_action(actor=actor, action=StaffAction.INSPECT)
    findings = required_reason(findings, max_length=5000)
    if result not in Inspection.Result.values:
        raise InvalidInspection(_("Choose the result from the list."))
    if inspection.inspector_id != user.pk:
        raise NotYourInspection(_("This inspection is assigned to another inspector."))
    today = timezone.localdate(now)
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        sanction = (
            result == Inspection.Result.NON_COMPLIANT
            and inspection.reason == Inspection.Reason.ABSCONDING_REPORTS
        )
        until = today + dt.timedelta(days=conf.INSPECTION_SANCTION_DAYS.value) if sanction else None
        states.transition(
            inspection,
            S.COMPLETED,
            table=INSPECTION_TRANSITIONS,
            error=InspectionClosed,
            result=result,
            findings=findings,
            completed_at=now,
            services_stopped_until=until,
        )
        if sanction:
            inspection.suspension_held = _suspend(actor=actor, now=now, inspection=inspection)
            inspection.save(update_fields=["suspension_held"])
        changes = {
            "status": [S.ASSIGNED, S.COMPLETED],
            "result": [None, result],
            "services_stopped_until": [None, until.isoformat() if until else None],
        }
        if sanction:
            changes["suspension_held"] = [False, inspection.suspension_held]
        audit.record(
            actor=actor, action="inspection.completed", obj=inspection, at=now, changes=changes
        )
        events.inspection_completed(inspection=inspection, now=now)
    return inspection


def sanctions_lift_due(*, actor: Actor, now: dt.datetime) -> int:
    """The daily job: end the sanctions whose time is over, and restore the services of the
    establishments whose suspension they held (not one suspended by hand meanwhile, nor one
    whose suspension another sanction took over); returns how many were restored. Each in its
    own transaction, so one failure leaves the others."""
    today = timezone.localdate(now)
    due = Inspection.objects.filter(
        services_stopped_until__lte=today, services_restored_at__isnull=True
    ).select_related("establishment")
    lifted = 0
    for inspection in due.order_by("pk").iterator():
        with transaction.atomic():
            ending = Inspection.objects.filter(pk=inspection.pk, services_restored_at__isnull=True)
            if not ending.update(services_restored_at=now):
                continue
            # Read again under the row's lock: a later sanction may have taken the suspension.
            held = Inspection.objects.filter(pk=inspection.pk, suspension_held=True).exists()
            restored = held and registry.establishment_sanction_lift(
                actor=actor,
                establishment=inspection.establishment,
                reason=f"Inspection {inspection.number}: the stop of services is over",
                now=now,
            )
            lifted += restored
            audit.record(
                actor=actor,
                action="inspection.services_restored",
                obj=inspection,
                at=now,
                changes={
                    "services_restored_at": [None, now.isoformat()],
                    "establishment_reactivated": restored,
                },
            )
    return lifted
