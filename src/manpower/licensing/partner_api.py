"""Licensing on the partner API. The police's side of recruitment (scope `police`): reserve a
visa against a licence's vacancy, cancel it, and report the worker's arrival. Other agencies'
check of an establishment's Omanisation certificate (scope `registry`).

Listed where the partner API is assembled (integration/urls.py); every exchange lands in the
message log like every partner operation. Every call is idempotent on the visa number.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Path, Router, Schema, Status

from manpower.core.actor import Actor
from manpower.core.problems import Problem
from manpower.documents.selectors import document_by_code
from manpower.documents.services import verify_url
from manpower.integration.api import ERRORS, POLICE_ERRORS, POLICE_KEY, REGISTRY_KEY

from . import selectors, services
from .api import CrNumber

# The scope is checked with the key, before the body is read.
police = Router(tags=["police"], auth=POLICE_KEY)


class ReservationIn(Schema):
    licence_number: str = Field(min_length=1, max_length=16)
    occupation_code: str = Field(min_length=1, max_length=4)
    nationality: str = Field(min_length=1, max_length=3)
    gender: str = Field(min_length=1, max_length=1)
    visa_number: str = Field(min_length=1, max_length=20)


class ReservationOut(Schema):
    visa_number: str
    licence_number: str
    status: str


class ArrivalIn(Schema):
    visa_number: str = Field(min_length=1, max_length=20)
    passport_number: str = Field(min_length=1, max_length=12)
    nationality: str = Field(min_length=1, max_length=3)
    full_name_en: str = Field(min_length=1, max_length=200)
    date_of_birth: dt.date
    gender: str = Field(min_length=1, max_length=1)
    arrival_date: dt.date
    border_post: str = Field(max_length=60)
    basic_wage_baisa: int | None = None


class ArrivalOut(Schema):
    visa_number: str
    worker_id: int
    status: str


def _reservation_out(reservation, licence_number: str | None = None) -> dict:
    """`licence_number` when the caller knows it already: no query to read it back."""
    return {
        "visa_number": reservation.visa_number,
        "licence_number": licence_number or reservation.vacancy.licence.number,
        "status": reservation.status.lower(),
    }


@police.post(
    "/visa-reservations",
    response={200: ReservationOut, 201: ReservationOut, **POLICE_ERRORS},
    summary="Reserve a licence's vacancy for a visa (scope: police)",
    operation_id="police_visa_reserve",
    url_name="police-visa-reservations",
)
def visa_reserve(request, body: ReservationIn):
    answer = services.visa_reserve(
        actor=Actor.for_partner(request), now=timezone.now(), **body.dict()
    )
    # A repeat has the same licence number, or it would have been refused as a conflict.
    out = _reservation_out(answer.reservation, body.licence_number)
    return Status(201 if answer.created else 200, out)


@police.delete(
    "/visa-reservations/{visa_number}",
    response={200: ReservationOut, **POLICE_ERRORS},
    summary="Cancel a visa not yet used, freeing its vacancy (scope: police)",
    operation_id="police_visa_cancel",
    url_name="police-visa-reservation",
)
def visa_cancel(request, visa_number: str = Path(min_length=1, max_length=20)):
    reservation = services.visa_cancel(
        actor=Actor.for_partner(request), visa_number=visa_number, now=timezone.now()
    )
    return Status(200, _reservation_out(reservation))


@police.post(
    "/arrivals",
    response={200: ArrivalOut, 201: ArrivalOut, **POLICE_ERRORS},
    summary="A worker entered the country on a reserved visa (scope: police)",
    operation_id="police_arrival_record",
    url_name="police-arrivals",
)
def arrival(request, body: ArrivalIn):
    fields = body.dict()
    visa_number = fields.pop("visa_number")
    answer = services.worker_arrive(
        actor=Actor.for_partner(request),
        visa_number=visa_number,
        arrival=services.Arrival(**fields),
        now=timezone.now(),
    )
    reservation = answer.reservation
    return Status(
        201 if answer.created else 200,
        {
            "visa_number": reservation.visa_number,
            "worker_id": reservation.worker_id,
            "status": reservation.status.lower(),
        },
    )


# --- Other agencies: the Omanisation certificate (scope `registry`) ------------------------------

registry = Router(tags=["registry"], auth=REGISTRY_KEY)


class CertificateOut(Schema):
    number: str
    valid_from: dt.date
    valid_until: dt.date
    nationals: int = Field(description="Nationals employed when the certificate was issued.")
    workforce: int = Field(description="Workers employed when the certificate was issued.")
    verification_url: str = Field(description="The public page that checks the certificate.")


class OmanisationCheckOut(Schema):
    cr_number: str
    valid: bool = Field(description="The establishment holds a certificate valid today.")
    nationals: int = Field(description="Nationals employed today.")
    workforce: int = Field(description="Workers employed today.")
    share_percent: float = Field(description="Today's share of nationals, in percent.")
    required_share_percent: float = Field(description="The share its activity requires.")
    share_met: bool = Field(description="Today's figures meet the required share.")
    minimum_nationals: int = Field(description="Nationals every establishment must employ.")
    certificate: CertificateOut | None = Field(description="The valid certificate, if any.")


def _certificate_out(certificate) -> dict:
    return {
        "number": certificate.number,
        "valid_from": certificate.valid_from,
        "valid_until": certificate.valid_until,
        "nationals": certificate.nationals,
        "workforce": certificate.workforce,
        "verification_url": verify_url(document_by_code(certificate.document_code)),
    }


@registry.get(
    "/establishments/{cr_number}/omanisation-certificate",
    response={200: OmanisationCheckOut, **ERRORS, 422: Problem},
    summary="Whether an establishment holds a valid Omanisation certificate (scope: registry)",
    operation_id="registry_omanisation_certificate",
    url_name="omanisation-certificate",
)
def omanisation_certificate(request, cr_number: str = CrNumber):
    check = selectors.omanisation_certificate_check(cr_number=cr_number, now=timezone.now())
    standing = check.standing
    return {
        "cr_number": check.cr_number,
        "valid": check.valid,
        "nationals": standing.nationals,
        "workforce": standing.workforce,
        "share_percent": round(float(standing.share) * 100, 2),
        "required_share_percent": round(float(standing.required) * 100, 2),
        "share_met": standing.meets_share,
        "minimum_nationals": standing.minimum_nationals,
        "certificate": _certificate_out(check.certificate) if check.certificate else None,
    }
