"""The police's side of labour cards on the partner API (scope `police`): a worker's departure
at a border post, and a worker's card and employer for residence renewals.

Listed where the partner API is assembled (integration/urls.py); every exchange lands in the
message log like every partner operation. A departure is idempotent on (person, date).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from manpower.core.actor import Actor
from manpower.integration.api import POLICE_ERRORS, POLICE_KEY

from . import selectors, services

# The scope is checked with the key, before the body is read.
router = Router(tags=["police"], auth=POLICE_KEY)


class DepartureIn(Schema):
    passport_number: str = Field("", max_length=12)
    resident_card_number: str = Field("", max_length=12)
    departure_date: dt.date
    border_post: str = Field(min_length=1, max_length=100)


class CardStatus(Schema):
    number: str
    status: str


class DepartureOut(Schema):
    resident_card_number: str | None
    passport_number: str
    departure_date: dt.date
    border_post: str
    employment_ended: bool
    employer_cr_number: str | None  # None for a household employer, too
    labour_card: CardStatus | None


class Employer(Schema):
    kind: str  # "establishment", or "household" for a domestic worker on a private licence
    cr_number: str | None
    civil_number: str | None
    name_en: str
    name_ar: str


class CardOut(Schema):
    number: str
    status: str
    kind: str
    expiry_date: dt.date


class WorkerOut(Schema):
    resident_card_number: str
    name_en: str
    name_ar: str
    nationality: str
    employer: Employer | None
    labour_card: CardOut | None


@router.post(
    "/departures",
    response={201: DepartureOut, **POLICE_ERRORS},
    summary="A worker left the country: the employment ends, the labour card is cancelled "
    "(scope: police; a repeat returns the first answer)",
    operation_id="police_departure_record",
    url_name="police-departure",
)
def police_departure(request, payload: DepartureIn):
    result = services.police_departure_record(
        actor=Actor.for_partner(request),
        now=timezone.now(),
        departure_date=payload.departure_date,
        border_post=payload.border_post,
        passport_number=payload.passport_number,
        resident_card_number=payload.resident_card_number,
    )
    return Status(201, result.answer)


@router.get(
    "/workers/{resident_card_number}",
    response={200: WorkerOut, **POLICE_ERRORS},
    summary="A worker's labour card and employer, for residence renewals (scope: police)",
    operation_id="police_worker_status",
    url_name="police-worker",
)
def police_worker(request, resident_card_number: str):
    return selectors.police_worker_status(resident_card_number=resident_card_number)
