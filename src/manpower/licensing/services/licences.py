"""Issued licences: issue (with its PDF and outbox event), the holder's and the ministry's
cancellation, and expiry."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import User
from manpower.accounts.permissions import StaffAction, require_staff_action
from manpower.core import audit, states
from manpower.core.actor import Actor
from manpower.core.dates import add_months
from manpower.core.errors import required_reason
from manpower.documents.services import DocumentField, DocumentTable, document_issue

from .. import conf, events
from ..models import Gender, Kind, Licence, LicenceApplication, LicenceVacancy
from .notices import _notify_licence
from .transitions import APPLICATION_TRANSITIONS, LICENCE_TRANSITIONS, StatusConflict, _move

A = LicenceApplication.Status
L = Licence.Status


def _licence_issue(actor: Actor, application: LicenceApplication, now: dt.datetime) -> Licence:
    valid_from = timezone.localdate(now)
    with transaction.atomic():
        _move(application, APPLICATION_TRANSITIONS, A.ISSUED)
        licence = Licence.objects.create(
            number="WP-" + secrets.token_hex(5).upper(),
            application=application,
            kind=application.kind,
            establishment=application.establishment,
            household=application.household,
            valid_from=valid_from,
            valid_until=add_months(valid_from, conf.WORK_PERMIT_MONTHS.value)
            - dt.timedelta(days=1),
            issued_at=now,
        )
        lines = application.lines.filter(granted__gt=0).select_related("occupation", "nationality")
        LicenceVacancy.objects.bulk_create(
            LicenceVacancy(
                licence=licence,
                occupation=line.occupation,
                nationality=line.nationality,
                gender=line.gender,
                issued=line.granted,
            )
            for line in lines
        )
        document = document_issue(
            actor=actor,
            now=now,
            kind="LICENCE",
            subject_ref=licence.number,
            fields=_licence_fields(licence),
            tables=[_vacancy_table(licence)],
        )
        licence.document_code = document.code
        licence.save(update_fields=["document_code"])
        audit.record(
            actor=actor,
            action="licence.issued",
            obj=licence,
            at=now,
            changes={
                "application": [None, application.number],
                "valid_until": [None, licence.valid_until],
                "workers": [None, application.granted_total],
            },
        )
        events.licence_issued(licence=licence, now=now)
        _notify_licence(licence, now)
    return licence


def _holder_names(licence: Licence) -> tuple[str, str]:
    holder = licence.establishment or licence.household
    return holder.name_en, holder.name_ar


def _licence_fields(licence: Licence) -> list[DocumentField]:
    name_en, name_ar = _holder_names(licence)
    holder_id = (
        licence.establishment.cr_number if licence.establishment else licence.household.civil_number
    )
    return [
        DocumentField.of("number", _("Licence number"), licence.number),
        DocumentField.of("kind", _("Kind"), Kind(licence.kind).label),
        DocumentField.of("holder", _("Holder"), name_en, name_ar),
        DocumentField.of("holder_id", _("CR or civil number"), holder_id),
        DocumentField.of("valid_from", _("Valid from"), licence.valid_from.strftime("%d/%m/%Y")),
        DocumentField.of("valid_until", _("Valid until"), licence.valid_until.strftime("%d/%m/%Y")),
    ]


def _vacancy_table(licence: Licence) -> DocumentTable:
    vacancies = licence.vacancies.select_related("occupation", "nationality").order_by("id")
    return DocumentTable.of(
        "vacancies",
        _("Workers allowed"),
        [_("Occupation"), _("Nationality"), _("Gender"), _("Number")],
        [
            (
                (v.occupation.name_en, v.occupation.name_ar),
                (v.nationality.name_en, v.nationality.name_ar),
                Gender(v.gender).label,
                str(v.issued),
            )
            for v in vacancies
        ],
    )


# --- Licences --------------------------------------------------------------------------------


def licence_cancel_by_holder(
    *, actor: Actor, licence: Licence, reason: str, now: dt.datetime
) -> Licence:
    """The employer gives up the vacancies no visa was reserved for; the licence ends when none
    is reserved or used, else it keeps only those."""
    reason = required_reason(reason)
    with transaction.atomic():
        if licence.status != L.ACTIVE:
            raise StatusConflict(_("Only an active licence can be cancelled."))
        released = 0
        for vacancy in licence.vacancies.select_for_update().order_by("id"):
            released += vacancy.free
            LicenceVacancy.objects.filter(pk=vacancy.pk).update(issued=F("reserved") + F("used"))
        in_use = licence.vacancies.filter(issued__gt=0).exists()
        if not in_use:
            _move(licence, LICENCE_TRANSITIONS, L.CANCELLED, cancelled_at=now, cancel_reason=reason)
        audit.record(
            actor=actor,
            action="licence.vacancies_released" if in_use else "licence.cancelled",
            obj=licence,
            at=now,
            changes={"released": released, "status": licence.status, "reason": reason},
        )
        events.licence_changed(licence=licence, released_count=released, now=now)
    return licence


def licence_cancel_by_ministry(
    *, actor: Actor, licence: Licence, reason: str, now: dt.datetime
) -> Licence:
    """The ministry ends a licence: no new visa can be reserved; visas already reserved may
    still arrive."""
    require_staff_action(actor=actor, action=StaffAction.CANCEL_LICENCE)
    reason = required_reason(reason)
    with transaction.atomic():
        _move(licence, LICENCE_TRANSITIONS, L.CANCELLED, cancelled_at=now, cancel_reason=reason)
        audit.record(
            actor=actor,
            action="licence.cancelled",
            obj=licence,
            at=now,
            changes={"status": [L.ACTIVE, L.CANCELLED], "reason": reason, "by": "ministry"},
        )
        events.licence_changed(licence=licence, released_count=0, now=now)
        _notify_licence(licence, now)
    return licence


def licence_cancel(*, actor: Actor, licence: Licence, reason: str, now: dt.datetime) -> Licence:
    """One cancel button for every channel: ministry staff cancel the licence outright (if their
    role and department allow it), anyone else who sees the licence is its holder and gives up
    the vacancies not yet reserved."""
    user = User.objects.filter(pk=actor.user_id).first() if actor.user_id else None
    cancel = (
        licence_cancel_by_ministry
        if user is not None and user.is_ministry_staff
        else licence_cancel_by_holder
    )
    return cancel(actor=actor, licence=licence, reason=reason, now=now)


def licences_expire(*, actor: Actor, now: dt.datetime) -> int:
    """Mark every active licence past its last valid day expired; returns how many."""
    due = Licence.objects.filter(status=L.ACTIVE, valid_until__lt=timezone.localdate(now))
    return states.sweep(
        due,
        L.EXPIRED,
        table=LICENCE_TRANSITIONS,
        error=StatusConflict,
        actor=actor,
        action="licence.expired",
        at=now,
    )
