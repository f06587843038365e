"""Expiry: the daily job marks the cards past their date as expired."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from manpower.core import states
from manpower.core.actor import Actor

from ..models import LabourCard
from .cards import TRANSITIONS, C, CardStatusConflict


def cards_expire(*, actor: Actor, now: dt.datetime) -> int:
    """Mark every active card past its date as expired; returns how many."""
    due = LabourCard.objects.filter(status=C.ACTIVE, expiry_date__lt=timezone.localdate(now))
    return states.sweep(
        due,
        C.EXPIRED,
        table=TRANSITIONS,
        error=CardStatusConflict,
        actor=actor,
        action="labourcard.expired",
        at=now,
    )
