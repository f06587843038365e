"""What labour care's work-abandonment reports change on the worker's card: an approved report
marks the worker as having left the workplace (transfers are then refused); a revoked one puts
the worker back to work and free to move employer without the employer's consent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import Conflict
from manpower.registry.models import Employment

from ..models import LabourCard
from .cards import _open_card

ABSCONDING_REVOKED = "ABSCONDING_REVOKED"
W = LabourCard.WorkerStatus


class NoOpenCard(Conflict):
    code = "no_open_labour_card"


def _set(
    *, actor: Actor, now: dt.datetime, employment: Employment, action: str, **values
) -> LabourCard:
    """The worker's open card with this employer, locked, changed and audited."""
    with transaction.atomic():
        card = _open_card(employment)
        if card is None:
            raise NoOpenCard(_("The worker has no valid labour card with this employer."))
        card = LabourCard.objects.select_for_update().get(pk=card.pk)
        before = audit.snapshot(card, list(values))
        LabourCard.objects.filter(pk=card.pk).update(**values)
        card.refresh_from_db()
        audit.record(
            actor=actor,
            action=action,
            obj=card,
            at=now,
            changes=audit.changes_between(before, audit.snapshot(card, list(values))),
        )
    return card


def worker_left_workplace(*, actor: Actor, now: dt.datetime, employment: Employment) -> LabourCard:
    """An absconding report was approved: the worker's status is 'left the workplace'."""
    return _set(
        actor=actor,
        now=now,
        employment=employment,
        action="labourcard.worker_left_workplace",
        worker_status=W.LEFT_WORKPLACE,
    )


def worker_absconding_revoked(
    *, actor: Actor, now: dt.datetime, employment: Employment
) -> LabourCard:
    """An absconding report was revoked on the worker's objection: back at work, and free to
    move to a new employer without the current one's consent (`ABSCONDING_REVOKED`)."""
    return _set(
        actor=actor,
        now=now,
        employment=employment,
        action="labourcard.absconding_revoked",
        worker_status=W.WORKING,
        freed_to_move_reason=ABSCONDING_REVOKED,
    )
