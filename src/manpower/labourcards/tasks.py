"""Background work of the labour cards app: the daily run."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from manpower.core.actor import Actor

from . import selectors, services

logger = logging.getLogger(__name__)


def run_daily(*, now: dt.datetime) -> dict[str, int]:
    """Complete paid requests, expire cards past their date, and tell each employer which
    cards expire within the renewal window (a logged notice until SMS/e-mail is wired)."""
    actor = Actor.system("labourcards-daily")
    completed = services.card_requests_settle_paid(actor=actor, now=now)
    expired = services.cards_expire(actor=actor, now=now)
    reminders = selectors.reminders_by_establishment(today=timezone.localdate(now))
    for establishment_id, cards in reminders.items():
        logger.info(
            "Labour cards due for renewal at establishment %s (CR %s): %s",
            establishment_id,
            cards[0].employment.establishment.cr_number,
            ", ".join(f"{card.number} until {card.expiry_date:%d/%m/%Y}" for card in cards),
        )
    return {
        "completed": completed,
        "expired": expired,
        "reminded_establishments": len(reminders),
        "reminded_cards": sum(len(cards) for cards in reminders.values()),
    }


@task()
def labourcards_daily() -> dict[str, int]:
    """Schedule it once a day (or run `manage.py labourcards_daily`)."""
    return run_daily(now=timezone.now())
