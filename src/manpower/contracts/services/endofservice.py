"""The end of a worker's service, national or not: a resignation by the worker with the
contract's notice period, or a termination by the employer on a lawful ground, which the
worker may object to. The employment of the ledger ends on the last working day (at once when
that day has come, else by the daily run); social insurance is told by outbox events.

A termination of a non-national by the employer is the fact that lets a transfer of services go
ahead without the old employer's consent (`selectors.terminated_by_employer`, read by labour
cards).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.core import audit, states
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError, required_reason
from manpower.documents import selectors as documents
from manpower.documents.services import document_cancel
from manpower.registry import services as registry
from manpower.registry.models import Employment

from .. import conf, events
from ..models import Contract, EndOfService
from .common import (
    END_TRANSITIONS,
    S,
    message,
    move,
    notify_employer,
    notify_worker,
)

logger = logging.getLogger(__name__)

K = EndOfService.Kind


class EndAlreadySubmitted(Conflict):
    code = "end_of_service_already_submitted"


class EmploymentNotActive(Conflict):
    code = "employment_not_active"


class UnknownGround(DomainError):
    code = "unknown_termination_ground"
    status = 422


class InvalidLastDay(DomainError):
    code = "invalid_last_day"


class ObjectionClosed(Conflict):
    code = "objection_closed"


def _contract_of(employment: Employment) -> Contract | None:
    return Contract.objects.filter(employment=employment).first()


def _submit(
    *,
    actor: Actor,
    now: dt.datetime,
    employment: Employment,
    kind: str,
    last_day: dt.date,
    notice_days: int,
    reason_code: str = "",
    reason: str = "",
) -> EndOfService:
    if employment.status != Employment.Status.ACTIVE:
        raise EmploymentNotActive(_("This employment has already ended."))
    if last_day < employment.start_date:
        raise InvalidLastDay(_("The last working day cannot be before the work started."))
    today = timezone.localdate(now)
    deadline = (
        today + dt.timedelta(days=conf.OBJECTION_DAYS.value) if kind == K.TERMINATION else None
    )
    try:
        with transaction.atomic():
            end = EndOfService.objects.create(
                kind=kind,
                employment=employment,
                contract=_contract_of(employment),
                reason_code=reason_code,
                reason=reason,
                notice_days=notice_days,
                last_day=last_day,
                channel=actor.channel,
                submitted_at=now,
                objection_deadline=deadline,
            )
            audit.record(
                actor=actor,
                action=f"{kind.lower()}.submitted",
                obj=end,
                at=now,
                changes={
                    "employment": [None, employment.pk],
                    "last_day": [None, last_day.isoformat()],
                    "reason_code": [None, reason_code],
                    **({"reason": [None, reason]} if reason else {}),
                },
            )
            events.employment_end_notified(end=end, now=now)
            if last_day <= today:
                _end_employment(actor=actor, now=now, end=end)
    except IntegrityError as exc:
        raise EndAlreadySubmitted(
            _("A resignation or termination of this employment is already recorded.")
        ) from exc
    return end


def resignation_submit(
    *, actor: Actor, now: dt.datetime, employment: Employment, reason: str = ""
) -> EndOfService:
    """The worker resigns; the last working day is after the contract's notice period (the
    default notice without a contract), and the employer is told."""
    contract = _contract_of(employment)
    notice = contract.notice_days if contract else conf.NOTICE_DAYS.value
    last_day = max(timezone.localdate(now) + dt.timedelta(days=notice), employment.start_date)
    end = _submit(
        actor=actor,
        now=now,
        employment=employment,
        kind=K.RESIGNATION,
        last_day=last_day,
        notice_days=notice,
        reason=reason.strip()[:500],
    )
    if employment.establishment_id:
        notify_employer(
            employment.establishment,
            subject=message(_("A worker resigned")),
            body=message(
                _("%(worker)s resigned; the last working day is %(day)s."),
                worker=employment.person.name_en,
                day=last_day.strftime("%d/%m/%Y"),
            ),
            link="",
            now=now,
            key=f"resignation:{end.pk}",
        )
    return end


def termination_submit(
    *,
    actor: Actor,
    now: dt.datetime,
    employment: Employment,
    ground: str,
    last_day: dt.date,
    reason: str = "",
) -> EndOfService:
    """The employer ends the worker's service on a lawful ground; the worker is told and may
    object within the objection period."""
    if ground not in conf.TERMINATION_GROUNDS.value:
        raise UnknownGround(
            _("%(ground)s is not a lawful ground for terminating a worker's service."),
            ground=ground,
        )
    today = timezone.localdate(now)
    if last_day < today:
        raise InvalidLastDay(_("The last working day cannot be in the past."))
    if last_day > today + dt.timedelta(days=365):
        raise InvalidLastDay(_("The last working day must be within a year."))
    end = _submit(
        actor=actor,
        now=now,
        employment=employment,
        kind=K.TERMINATION,
        last_day=last_day,
        notice_days=(last_day - today).days,
        reason_code=ground,
        reason=reason.strip()[:500],
    )
    notify_worker(
        employment.person,
        subject=message(_("Your employer ended your service")),
        body=message(
            _(
                "Your employer ended your service (%(ground)s); the last working day is "
                "%(day)s. You may object until %(deadline)s on your contracts page."
            ),
            ground=conf.GROUNDS.get(ground, ground),
            day=last_day.strftime("%d/%m/%Y"),
            deadline=end.objection_deadline.strftime("%d/%m/%Y"),
        ),
        link="",
        now=now,
        key=f"termination:{end.pk}",
    )
    return end


def termination_object(
    *, actor: Actor, now: dt.datetime, end: EndOfService, objection: str
) -> EndOfService:
    """The worker objects to a termination within the objection period; officers see it (it
    becomes a labour complaint once the labour-care app exists)."""
    objection = required_reason(objection, max_length=4000)
    with transaction.atomic():
        end = EndOfService.objects.select_for_update().get(pk=end.pk)
        if end.kind != K.TERMINATION:
            raise ObjectionClosed(_("Only a termination by the employer can be objected to."))
        if end.objected_at is not None:
            raise ObjectionClosed(_("You have already objected to this termination."))
        if timezone.localdate(now) > end.objection_deadline:
            raise ObjectionClosed(
                _("The objection period ended on %(day)s."),
                day=end.objection_deadline.strftime("%d/%m/%Y"),
            )
        EndOfService.objects.filter(pk=end.pk).update(objection=objection, objected_at=now)
        end.refresh_from_db()
        audit.record(
            actor=actor,
            action="termination.objected",
            obj=end,
            at=now,
            changes={"objection": [None, objection]},
        )
        if end.employment.establishment_id:
            notify_employer(
                end.employment.establishment,
                subject=message(_("A worker objected to a termination")),
                body=message(
                    _("%(worker)s objected to the termination of their service."),
                    worker=end.employment.person.name_en,
                ),
                link="",
                now=now,
                key=f"termination.objected:{end.pk}",
            )
    return end


def _end_employment(*, actor: Actor, now: dt.datetime, end: EndOfService) -> None:
    """End the ledger's employment on the last day (unless something else, a transfer or a
    departure, ended it first) and the contract with it, in the caller's transaction."""
    employment = Employment.objects.select_for_update().get(pk=end.employment_id)
    if employment.status == Employment.Status.ACTIVE:
        registry.employment_end(actor=actor, employment=employment, end_date=end.last_day, now=now)
    states.transition(
        end,
        EndOfService.Status.ENDED,
        table=END_TRANSITIONS,
        error=EndAlreadySubmitted,
        ended_at=now,
    )
    contract = Contract.objects.filter(employment=employment, status=S.ACCEPTED).first()
    if contract is not None:
        move(contract, S.ENDED)
        audit.record(
            actor=actor,
            action="contract.ended",
            obj=contract,
            at=now,
            changes={"status": [S.ACCEPTED, S.ENDED]},
        )
        if contract.document_code:
            document = documents.document_by_code(contract.document_code)
            document_cancel(actor=actor, now=now, document=document, reason="Contract ended")
    events.employment_ended(end=end, now=now)


def ends_of_service_apply(*, actor: Actor, now: dt.datetime) -> int:
    """End every employment whose last working day has come; returns how many (the daily run)."""
    done = 0
    due = EndOfService.objects.filter(
        status=EndOfService.Status.NOTICE, last_day__lte=timezone.localdate(now)
    )
    for end in due.order_by("last_day", "id").iterator():
        try:
            with transaction.atomic():
                _end_employment(actor=actor, now=now, end=end)
        except DomainError as error:
            logger.warning("End of service %s not applied: %s", end.pk, error.text("en"))
            continue
        done += 1
    return done
