"""Notices to the holder of an application or licence: subject and text of each, e-mailed to the
establishment's representatives or the household's users after commit."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from manpower.notifications import services as notifications

from ..models import Licence, LicenceApplication

A = LicenceApplication.Status
L = Licence.Status


# Subject and text of each notice; every parameter is given, each text uses those it names.
NOTICES = {
    "approved": (
        _("Licence application %(number)s approved"),
        _(
            "Your licence application %(number)s was approved. Workers granted: "
            "%(granted)s.\nPay invoice %(invoice)s to receive the licence."
        ),
    ),
    "reduced": (
        _("Licence application %(number)s approved for fewer workers"),
        _(
            "Your licence application %(number)s was approved for fewer workers than "
            "asked: %(granted)s of %(requested)s.\nReason: %(reason)s\n"
            "Pay invoice %(invoice)s to receive the licence."
        ),
    ),
    "rejected": (
        _("Licence application %(number)s rejected"),
        _("Your licence application %(number)s was rejected.\nReason: %(reason)s"),
    ),
    "issued": (
        _("Licence %(number)s issued"),
        _(
            "Licence %(number)s was issued, valid from %(start)s until %(end)s. Workers "
            "allowed: %(workers)s. Its PDF is on the licence's page."
        ),
    ),
    "cancelled": (
        _("Licence %(number)s cancelled by the ministry"),
        _(
            "The ministry cancelled licence %(number)s: no new visa can be reserved against "
            "it; visas already reserved may still be used.\nReason: %(reason)s"
        ),
    ),
}


def _notify_holder(holder, notice: str, params: dict, *, link: str, now: dt.datetime) -> None:
    """Tell the representatives of the establishment, or the users of the household, that an
    application or licence (`holder`) changed; the e-mails leave after commit."""
    subject, body = NOTICES[notice]
    texts = {
        "subject": notifications.message(subject, **params),
        "body": notifications.message(body, **params),
        "link": link,
        "now": now,
    }
    if holder.establishment_id:
        notifications.notify_establishment(establishment=holder.establishment, **texts)
    else:
        notifications.notify_household(household=holder.household, **texts)


def _decision_reason(application: LicenceApplication):
    """The officer's reason, or the eligibility notes of an automatic decision."""
    if application.decision_reason:
        return application.decision_reason
    notes = application.notes
    return notifications.localised(
        " ".join(note["ar"] for note in notes), " ".join(note["en"] for note in notes)
    )


def _notify_decision(application: LicenceApplication, now: dt.datetime) -> None:
    """Approved (for all or fewer workers) or rejected; one waiting for an officer tells
    nothing yet."""
    if application.status not in (A.AWAITING_PAYMENT, A.REJECTED):
        return
    granted, requested = application.granted_total, application.requested_total
    if application.status == A.REJECTED:
        notice = "rejected"
    else:
        notice = "reduced" if granted < requested else "approved"
    params = {
        "number": application.number,
        "granted": granted,
        "requested": requested,
        "reason": _decision_reason(application),
        "invoice": application.invoice_number,
    }
    link = reverse("licensing:application", args=[application.number])
    _notify_holder(application, notice, params, link=link, now=now)


def _notify_licence(licence: Licence, now: dt.datetime) -> None:
    """Issued, or cancelled by the ministry (the holder who cancels needs no notice)."""
    params = {
        "number": licence.number,
        "reason": licence.cancel_reason,
        "workers": licence.application.granted_total,
        "start": licence.valid_from.strftime("%d/%m/%Y"),
        "end": licence.valid_until.strftime("%d/%m/%Y"),
    }
    notice = "cancelled" if licence.status == L.CANCELLED else "issued"
    link = reverse("licensing:licence", args=[licence.number])
    _notify_holder(licence, notice, params, link=link, now=now)
