"""Criminal cases and debt claims between an employer and a worker (MD 270/2018): a labour-care
officer records one from its police or court reference; one that began before a worker's absence
bars a work-abandonment report about it (`absconding.refusal`)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.accounts.permissions import StaffAction, require_staff_action
from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError
from manpower.registry.models import Employment

from ..models import DisputeRecord
from .complaints import clean_text


class InvalidDispute(DomainError):
    code = "invalid_dispute"
    status = 422


class DisputeExists(Conflict):
    code = "dispute_exists"


def _the_same(found: DisputeRecord, started_date: dt.date) -> DisputeRecord:
    """The record sent again (a double submission) is the first one; the same reference with
    another start date is a mistake the officer must see."""
    if found.started_date != started_date:
        raise DisputeExists(
            _("Case %(reference)s is already recorded for this worker, as begun on %(date)s."),
            reference=found.reference,
            date=found.started_date.strftime("%d/%m/%Y"),
        )
    return found


def dispute_record(
    *,
    actor: Actor,
    now: dt.datetime,
    employment: Employment,
    kind: str,
    started_date: dt.date,
    reference: str,
    description: str,
) -> DisputeRecord:
    """A labour-care officer records a criminal case or debt claim between the employer and the
    worker (it bars a work-abandonment report about an absence after it began). One record per
    case: the same case sent twice is recorded once."""
    user = require_staff_action(actor=actor, action=StaffAction.DECIDE_ABSCONDING_REPORT)
    if kind not in DisputeRecord.Kind.values:
        raise InvalidDispute(_("Choose the kind of dispute from the list."))
    if started_date > timezone.localdate(now):
        raise InvalidDispute(_("The date the case or claim began cannot be in the future."))
    reference = clean_text(
        reference, field=_("the police or court reference"), limit=40, error=InvalidDispute
    )
    description = clean_text(description, field=_("the note"), limit=500, error=InvalidDispute)
    same = DisputeRecord.objects.filter(employment=employment, kind=kind, reference=reference)
    found = same.first()
    if found is not None:
        return _the_same(found, started_date)
    try:
        with transaction.atomic():
            dispute = DisputeRecord.objects.create(
                employment=employment,
                kind=kind,
                started_date=started_date,
                reference=reference,
                description=description,
                recorded_at=now,
                recorded_by=user,
            )
            audit.record(
                actor=actor,
                action="dispute.recorded",
                obj=dispute,
                at=now,
                changes={
                    "kind": [None, kind],
                    "started_date": [None, started_date.isoformat()],
                    "reference": [None, reference],
                    "employment": employment.pk,
                },
            )
    except IntegrityError:  # the same case sent concurrently and committed first
        found = same.first()
        if found is None:
            raise
        return _the_same(found, started_date)
    return dispute
