"""Background work of the labour cards app: the daily run."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from manpower.core.actor import Actor
from manpower.notifications import services as notifications

from . import conf, selectors, services


def run_daily(*, now: dt.datetime) -> dict[str, int]:
    """Complete paid requests and transfers that the `invoice_paid` receiver missed, close
    transfers whose fee lapsed, expire cards past their date, and tell each employer which
    cards expire within the renewal window (one notice a day: a second run the same day sends
    none)."""
    actor = Actor.system("labourcards-daily")
    completed = services.card_requests_settle_paid(actor=actor, now=now)
    transfers = services.transfers_settle_paid(actor=actor, now=now)
    lapsed = services.transfers_close_lapsed(actor=actor, now=now)
    expired = services.cards_expire(actor=actor, now=now)
    today = timezone.localdate(now)
    reminders = selectors.reminders_by_employer(today=today)
    for employer, cards in reminders.items():
        _remind(employer, cards, today=today, now=now)
    households = sum(1 for employer in reminders if employer.household)
    return {
        "completed": completed,
        "transfers_completed": transfers,
        "transfers_lapsed": lapsed,
        "expired": expired,
        "reminded_establishments": len(reminders) - households,
        "reminded_households": households,
        "reminded_cards": sum(len(cards) for cards in reminders.values()),
    }


@task()
def labourcards_daily() -> dict[str, int]:
    """Schedule it once a day (or run `manage.py labourcards_daily`)."""
    return run_daily(now=timezone.now())


def _remind(employer, cards: list, *, today: dt.date, now: dt.datetime) -> None:
    """One notice to the employer (an establishment's representatives, or the household's
    account) listing its cards due for renewal; keyed by employer and day, so that the daily
    run repeated the same day tells nobody twice."""
    texts = {
        "body": notifications.message(
            _(
                "These labour cards expire within %(days)s days; renew them on your labour "
                "cards page:\n%(cards)s"
            ),
            days=conf.RENEWAL_WINDOW_DAYS.value,
            cards="\n".join(f"{card.number} — {card.expiry_date:%d/%m/%Y}" for card in cards),
        ),
        "link": reverse("labourcards:cards", args=[employer.key]),
        "now": now,
    }
    establishment = employer.establishment
    if establishment is None:
        notifications.notify_household(
            household=employer.household,
            subject=notifications.message(
                _("Labour cards of your household workers due for renewal")
            ),
            key=f"labourcards.renewal:household:{employer.household.pk}:{today.isoformat()}",
            **texts,
        )
        return
    notifications.notify_establishment(
        establishment=establishment,
        subject=notifications.message(
            _("Labour cards due for renewal at %(establishment)s"),
            establishment=notifications.localised(establishment.name_ar, establishment.name_en),
        ),
        key=f"labourcards.renewal:{establishment.pk}:{today.isoformat()}",
        **texts,
    )
