"""Departures reported by the police: the employment ends and the labour card is cancelled."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError
from manpower.registry import services as registry
from manpower.registry.models import Employment, Person

from ..models import PoliceDeparture
from ..selectors import WorkerNotFound
from .cards import _cancel_card, _open_card, _passport_number, resident_number


class IdentifierRequired(DomainError):
    code = "identifier_required"


class AmbiguousPassport(Conflict):
    code = "ambiguous_passport"


def _departing_person(*, passport_number: str, resident_card_number: str) -> Person:
    if bool(passport_number.strip()) == bool(resident_card_number.strip()):
        raise IdentifierRequired(_("Give either the passport number or the resident card number."))
    if resident_card_number.strip():
        number = resident_number(resident_card_number)
        person = Person.objects.filter(civil_number=number, is_national=False).first()
    else:
        number = _passport_number(passport_number)
        found = list(Person.objects.filter(passport_number=number, is_national=False)[:2])
        if len(found) > 1:
            raise AmbiguousPassport(
                _("More than one worker holds passport %(number)s; give the resident card number."),
                number=number,
            )
        person = found[0] if found else None
    if person is None:
        raise WorkerNotFound(_("No non-national worker with number %(number)s."), number=number)
    return person


@dataclass(frozen=True)
class DepartureResult:
    answer: dict
    duplicate: bool


def police_departure_record(
    *,
    actor: Actor,
    now: dt.datetime,
    departure_date: dt.date,
    border_post: str,
    passport_number: str = "",
    resident_card_number: str = "",
) -> DepartureResult:
    """The worker left the country: the employment ends and the labour card is cancelled.
    A report repeated for the same person and date returns the first answer."""
    person = _departing_person(
        passport_number=passport_number, resident_card_number=resident_card_number
    )
    first = PoliceDeparture.objects.filter(person=person, departure_date=departure_date).first()
    if first:
        return DepartureResult(first.answer, duplicate=True)
    try:
        with transaction.atomic():
            # One report at a time per person: the second waits here, then finds the first.
            Person.objects.select_for_update().filter(pk=person.pk).first()
            first = PoliceDeparture.objects.filter(
                person=person, departure_date=departure_date
            ).first()
            if first:
                return DepartureResult(first.answer, duplicate=True)
            employment = (
                Employment.objects.select_related("establishment", "household")
                .filter(person=person, status=Employment.Status.ACTIVE)
                .first()
            )
            card = _open_card(employment) if employment else None
            if employment:
                registry.employment_end(
                    actor=actor, employment=employment, end_date=departure_date, now=now
                )
            if card:
                _cancel_card(actor=actor, now=now, card=card, reason="DEPARTED")
            answer = {
                "resident_card_number": person.civil_number,
                "passport_number": person.passport_number,
                "departure_date": departure_date.isoformat(),
                "border_post": border_post,
                "employment_ended": employment is not None,
                # None for a household employer too: GET /workers/{number} names it.
                "employer_cr_number": employment.establishment.cr_number
                if employment and employment.establishment
                else None,
                "labour_card": {"number": card.number, "status": card.status} if card else None,
            }
            departure = PoliceDeparture.objects.create(
                person=person,
                departure_date=departure_date,
                border_post=border_post,
                received_at=now,
                answer=answer,
            )
            audit.record(
                actor=actor, action="person.departed", obj=departure, at=now, changes=answer
            )
    except IntegrityError:
        # The same report arrived concurrently and was stored first.
        first = PoliceDeparture.objects.get(person=person, departure_date=departure_date)
        return DepartureResult(first.answer, duplicate=True)
    return DepartureResult(answer, duplicate=False)
