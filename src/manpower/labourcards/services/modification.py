"""Data modification: correcting a worker's data, and the worker's status on the card."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.core.models import Nationality
from manpower.registry import services as registry

from ..models import LabourCard
from .cards import (
    C,
    CardStatusConflict,
    InvalidIdentifier,
    _card_document_refresh,
    _check_employment_active,
    _check_number_free,
    _passport_number,
    resident_number,
)


class NothingChanged(DomainError):
    code = "nothing_changed"


# --- Data modification ---------------------------------------------------------------------------

PERSON_FIELDS = ("name_ar", "name_en", "civil_number", "passport_number", "nationality")


@dataclass(frozen=True)
class Modification:
    person_changes: dict
    worker_status_changed: bool


def worker_data_modify(
    *,
    actor: Actor,
    now: dt.datetime,
    card: LabourCard,
    name_ar: str | None = None,
    name_en: str | None = None,
    civil_number: str | None = None,
    passport_number: str | None = None,
    nationality: Nationality | None = None,
    worker_status: str | None = None,
) -> Modification:
    """Correct a worker's data; what is not given stays. The audit log keeps the previous
    values, and an issued card is printed again with the new ones."""
    if card.status == C.CANCELLED:
        raise CardStatusConflict(_("Labour card %(number)s is cancelled."), number=card.number)
    _check_employment_active(card.employment)
    person = card.employment.person
    wanted: dict = {}
    if name_ar is not None:
        wanted["name_ar"] = name_ar.strip()
    if name_en is not None:
        if not name_en.strip():
            raise InvalidIdentifier(_("The name in English cannot be empty."))
        wanted["name_en"] = name_en.strip()
    if civil_number is not None and civil_number.strip():
        wanted["civil_number"] = resident_number(civil_number)
        _check_number_free(person, wanted["civil_number"])
    if passport_number is not None and passport_number.strip():
        wanted["passport_number"] = _passport_number(passport_number)
    if nationality is not None:
        if nationality.code == "OMN":
            raise InvalidIdentifier(_("A national does not need a labour card."))
        wanted["nationality"] = nationality
    values = {name: value for name, value in wanted.items() if getattr(person, name) != value}
    if worker_status is not None and worker_status not in LabourCard.WorkerStatus.values:
        raise InvalidIdentifier(_("Choose the worker's status from the list."))
    status_changes = worker_status is not None and worker_status != card.worker_status
    if not values and not status_changes:
        raise NothingChanged(_("Nothing was changed: the data is the same as before."))
    with transaction.atomic():
        changes = (
            registry.person_update(actor=actor, now=now, person=person, values=values)
            if values
            else {}
        )
        if status_changes:
            before = card.worker_status
            LabourCard.objects.filter(pk=card.pk).update(worker_status=worker_status)
            card.worker_status = worker_status
            audit.record(
                actor=actor,
                action="labourcard.worker_status_changed",
                obj=card,
                at=now,
                changes={"worker_status": [before, worker_status]},
            )
        if changes and card.status == C.ACTIVE:
            card.employment.person.refresh_from_db()
            _card_document_refresh(actor=actor, now=now, card=card, reason="data modification")
    return Modification(person_changes=changes, worker_status_changed=status_changes)
