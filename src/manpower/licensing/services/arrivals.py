"""A reserved visa used: the worker arrived, is registered and starts work with the licence's
holder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError
from manpower.core.identifiers import normalise_passport_number, validate_passport_number
from manpower.registry import services as registry_services
from manpower.registry.models import Person
from manpower.registry.services import employment_start

from .. import conf, events
from ..models import VisaReservation
from .transitions import VISA_TRANSITIONS, StatusConflict, _move
from .visas import Answer, VisaNotFound, _fingerprint, _repeat, _reservation, _reserved_to_used

V = VisaReservation.Status


class WorkerDoesNotMatchVacancy(Conflict):
    code = "worker_does_not_match_vacancy"


class InvalidWorkerData(DomainError):
    code = "invalid_worker_data"
    status = 422


@dataclass(frozen=True)
class Arrival:
    passport_number: str
    nationality: str
    full_name_en: str
    date_of_birth: dt.date
    gender: str
    arrival_date: dt.date
    border_post: str
    basic_wage_baisa: int | None = None


def _arriving_person(actor: Actor, arrival: Arrival, now: dt.datetime) -> Person:
    """The worker by passport: one seen before is the same person, else a new one."""
    try:
        validate_passport_number(arrival.passport_number)
    except ValidationError as error:
        first = error.error_list[0]
        raise InvalidWorkerData(
            first.message, code="invalid_passport_number", **(first.params or {})
        ) from error
    if arrival.date_of_birth >= arrival.arrival_date or not arrival.full_name_en.strip():
        raise InvalidWorkerData(_("Give the worker's name and a date of birth before arrival."))
    return registry_services.person_register_arrival(
        actor=actor,
        nationality_code=arrival.nationality,
        passport_number=arrival.passport_number,
        name_en=arrival.full_name_en.strip(),
        birth_date=arrival.date_of_birth,
        gender=arrival.gender,
        now=now,
    )


def worker_arrive(*, actor: Actor, visa_number: str, arrival: Arrival, now: dt.datetime) -> Answer:
    """The worker entered the country: register the person, start the employment with the
    licence holder (the establishment, or the household of a private licence), and move the
    vacancy from reserved to used, in one transaction."""
    arrival = Arrival(
        **{
            **arrival.__dict__,
            "passport_number": normalise_passport_number(arrival.passport_number),
        }
    )
    fingerprint = _fingerprint(arrival.__dict__)
    reservation = _reservation(visa_number)
    if reservation is None:
        raise VisaNotFound(_("There is no visa %(visa)s."), visa=visa_number)
    if reservation.status != V.RESERVED:
        return _repeat(reservation, fingerprint, "arrival_hash")
    vacancy = reservation.vacancy
    if (arrival.nationality, arrival.gender) != (vacancy.nationality_id, vacancy.gender):
        raise WorkerDoesNotMatchVacancy(
            _(
                "Visa %(visa)s is for a worker of nationality %(nationality)s and gender "
                "%(gender)s."
            ),
            visa=visa_number,
            nationality=vacancy.nationality_id,
            gender=vacancy.gender,
        )
    wage = arrival.basic_wage_baisa or conf.ARRIVAL_DEFAULT_WAGE_BAISA.value
    try:
        with transaction.atomic():
            person = _arriving_person(actor, arrival, now)
            _move(
                reservation,
                VISA_TRANSITIONS,
                V.ARRIVED,
                arrived_at=now,
                worker=person,
                arrival_hash=fingerprint,
                arrival_date=arrival.arrival_date,
                border_post=arrival.border_post[:60],
            )
            _reserved_to_used(vacancy.pk)
            licence = vacancy.licence
            employment_start(
                actor=actor,
                person=person,
                establishment=licence.establishment,
                household=licence.household,
                occupation=vacancy.occupation,
                start_date=arrival.arrival_date,
                basic_wage_baisa=wage,
                now=now,
            )
            audit.record(
                actor=actor,
                action="visa.arrived",
                obj=reservation,
                at=now,
                changes={"status": [V.RESERVED, V.ARRIVED], "worker": person.pk},
            )
            events.worker_arrived(reservation=reservation, now=now)
    except StatusConflict:
        # The same arrival was recorded concurrently and committed first.
        return _repeat(_reservation(visa_number), fingerprint, "arrival_hash")
    return Answer(reservation, created=True)
