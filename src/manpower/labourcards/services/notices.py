"""Notices of a transfer of services to the employers it concerns."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from manpower.notifications import services as notifications

from ..models import Transfer

T = Transfer.Status

# Who is told of a transfer in each status (its current or new employer), and what.
TRANSFER_NOTICES = {
    T.AWAITING_CONSENT: (
        "current",
        _("A transfer of your worker %(worker)s awaits your consent"),
        _(
            "%(new)s asks that %(worker)s (%(number)s) move to it. Consent or refuse on your "
            "labour cards page."
        ),
    ),
    T.COMPLETED: (
        "new",
        _("Transfer of %(worker)s completed"),
        _(
            "%(worker)s (%(number)s) now works for %(new)s. Request the worker's labour card "
            "on your labour cards page."
        ),
    ),
    T.REFUSED: (
        "new",
        _("Transfer of %(worker)s refused"),
        _("%(current)s refused to let %(worker)s (%(number)s) move to %(new)s."),
    ),
}


def _notify_transfer(transfer: Transfer, now: dt.datetime) -> None:
    """A transfer waiting for consent is told to the current employer; a completed or refused
    one to the new employer. Other steps are the new employer's own, so they tell nobody."""
    if transfer.status not in TRANSFER_NOTICES:
        return
    to, subject, body = TRANSFER_NOTICES[transfer.status]
    old = transfer.from_employment
    person = old.person
    employers = {"current": old.establishment, "new": transfer.to_establishment}
    params = {
        "worker": notifications.localised(person.name_ar, person.name_en),
        "number": person.civil_number or person.passport_number,
        **{
            role: notifications.localised(employer.name_ar, employer.name_en)
            for role, employer in employers.items()
        },
    }
    establishment = employers[to]
    notifications.notify_establishment(
        establishment=establishment,
        subject=notifications.message(subject, **params),
        body=notifications.message(body, **params),
        link=reverse("labourcards:cards", args=[establishment.cr_number]) + "#transfers-title",
        now=now,
    )
