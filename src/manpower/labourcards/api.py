"""Labour cards through the public API (the mobile app): an employer's cards, the paid requests
that issue, renew and print them, and transfers of services between establishments.

The employer is in the address, as on the portal: `/establishments/{cr_number}/…` for an
establishment the caller represents, `/household/…` for the caller's own household (its domestic
workers). Each operation reads through the selectors and writes through the services the portal's
pages call, so a rule cannot differ by channel; a card, request or transfer of another employer
is a 404 problem. A paid request answers with its invoices and the portal page where each is
paid; the payment completes the request, and `…/completion` asks again if it did not.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from manpower.accounts.api_auth import api_actor, api_auth
from manpower.core.actor import Actor
from manpower.core.api import CodeName, Pagination
from manpower.licensing.api import PDF_RESPONSE, CrNumber, pdf_response
from manpower.payments.api import InvoiceOut
from manpower.registry import selectors as registry
from manpower.registry.api import EstablishmentRef

from . import selectors, services
from .models import LabourCard

router = Router(auth=api_auth, tags=["labour cards"])

HOUSEHOLD = selectors.HOUSEHOLD
UNPAID = "UNPAID"


# --- Parsing -------------------------------------------------------------------------------------


def _actor(request, key: str) -> Actor:
    """The caller, acting for the employer in the address."""
    if key == HOUSEHOLD:
        return api_actor(request).acting_for("household", request.user.civil_number or "")
    return api_actor(request).acting_for("establishment", key)


def _employer_url(context, operation: str, **kwargs) -> str:
    """An address under the employer of the request's own address: every card and request an
    answer shows belongs to that employer."""
    cr_number = context["request"].resolver_match.kwargs.get("cr_number")
    if cr_number:
        return reverse(f"api:establishment_{operation}", kwargs={"cr_number": cr_number, **kwargs})
    return reverse(f"api:household_{operation}", kwargs=kwargs)


# --- Schemas -------------------------------------------------------------------------------------


class WorkerOut(Schema):
    """The worker of an employment (`employment_id` is the registry's worker id)."""

    employment_id: int
    name_ar: str
    name_en: str
    resident_card_number: str | None
    passport_number: str
    nationality: str = Field(description="ISO 3166 alpha-3 code.")

    @staticmethod
    def resolve_employment_id(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_name_ar(obj) -> str:
        return obj.person.name_ar

    @staticmethod
    def resolve_name_en(obj) -> str:
        return obj.person.name_en

    @staticmethod
    def resolve_resident_card_number(obj) -> str | None:
        return obj.person.civil_number

    @staticmethod
    def resolve_passport_number(obj) -> str:
        return obj.person.passport_number

    @staticmethod
    def resolve_nationality(obj) -> str:
        return obj.person.nationality_id


class WorkerWithoutCardOut(WorkerOut):
    occupation: CodeName
    start_date: dt.date


class CardOut(Schema):
    number: str
    kind: str
    status: str
    worker_status: str
    issued_at: dt.datetime
    expiry_date: dt.date
    renewed_at: dt.datetime | None
    due_for_renewal: bool
    worker: WorkerOut
    occupation: CodeName
    document_url: str | None = Field(description="The card PDF (this API), once printed.")

    @staticmethod
    def resolve_worker(obj):
        return obj.employment

    @staticmethod
    def resolve_occupation(obj):
        return obj.employment.occupation

    @staticmethod
    def resolve_document_url(obj, context) -> str | None:
        if not obj.document_code:
            return None
        return _employer_url(context, "card_document", number=obj.number)


class CardRequestOut(Schema):
    id: int
    kind: str
    status: str
    card_kind: str
    card_number: str | None
    worker: WorkerOut
    late_months: int
    requested_at: dt.datetime
    completed_at: dt.datetime | None
    invoices: list[InvoiceOut] = Field(description="The fee, and the late fee if any.")
    amount_due_baisa: int = Field(description="What is left to pay on the invoices.")
    document_url: str | None = Field(description="The departure form PDF, once paid.")

    @staticmethod
    def resolve_card_number(obj) -> str | None:
        return obj.card.number if obj.card else None

    @staticmethod
    def resolve_worker(obj):
        return obj.employment

    @staticmethod
    def resolve_invoices(obj) -> list:
        return [obj.invoice] + ([obj.late_invoice] if obj.late_invoice_id else [])

    @staticmethod
    def resolve_amount_due_baisa(obj) -> int:
        return sum(
            invoice.amount_baisa
            for invoice in CardRequestOut.resolve_invoices(obj)
            if invoice.status == UNPAID
        )

    @staticmethod
    def resolve_document_url(obj, context) -> str | None:
        if not obj.document_code:
            return None
        return _employer_url(context, "request_document", request_id=obj.pk)


class TransferOut(Schema):
    id: int
    status: str
    direction: Literal["in", "out"] = Field(
        description="`in`: the establishment asked for the worker; `out`: its worker is asked for."
    )
    worker: WorkerOut
    from_establishment: EstablishmentRef
    to_establishment: EstablishmentRef
    licence_number: str
    occupation: str = Field(description="ISCO-08 code of the new employment.")
    basic_wage_baisa: int
    reason: str = Field(description="The reason that needs no consent; empty when it is needed.")
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    invoice: InvoiceOut | None = Field(description="The transfer fee (for the new employer).")

    @staticmethod
    def resolve_direction(obj, context) -> str:
        cr_number = context["request"].resolver_match.kwargs["cr_number"]
        return "in" if obj.to_establishment.cr_number == cr_number else "out"

    @staticmethod
    def resolve_worker(obj):
        return obj.from_employment

    @staticmethod
    def resolve_from_establishment(obj):
        return obj.from_employment.establishment

    @staticmethod
    def resolve_occupation(obj) -> str:
        return obj.occupation_id

    @staticmethod
    def resolve_invoice(obj, context):
        # The fee is the new employer's business only, as on the portal.
        return obj.invoice if TransferOut.resolve_direction(obj, context) == "in" else None


class IssueIn(Schema):
    kind: LabourCard.Kind = Field(description="PRIVATE for a household's domestic worker.")
    resident_card_number: str = Field("", max_length=20, description="If the police issued it.")


class TransferIn(Schema):
    resident_card_number: str = Field(min_length=1, max_length=20)
    licence_number: str = Field(
        min_length=1, max_length=20, description="Your licence with a free vacancy."
    )
    occupation: str = Field(
        min_length=4, max_length=4, description="ISCO-08 unit code of the new job."
    )
    basic_wage_baisa: int = Field(ge=0)
    reason: str = Field(
        "",
        max_length=40,
        description="A reason that needs no consent (e.g. `UNPAID_WAGES`); empty to ask the "
        "current employer.",
    )


# --- Cards and card requests, for either kind of employer ---------------------------------------
#
# Each operation is written once as `_name(request, key, …)` for an employer `key` (a CR number
# or `household`), and exposed twice: `establishment_<name>` at /establishments/{cr_number}… and
# `household_<name>` at /household….

ESTABLISHMENT = "/establishments/{cr_number}"
HOUSEHOLD_PATH = "/household"
CARDS = "/labour-cards"
CARD = "/labour-cards/{number}"
WORKERS_WITHOUT_CARD = "/workers-without-card"
CARD_ISSUE = "/workers/{int:employment_id}/labour-card"
REQUESTS = "/card-requests"
REQUEST = "/card-requests/{int:request_id}"


def _cards(request, key: str, due_for_renewal: bool):
    employer = selectors.employer_for_user(user=request.user, key=key)
    today = timezone.localdate()
    if due_for_renewal:
        return selectors.cards_due_for_renewal(employer=employer, today=today)
    return selectors.cards_of_employer(employer=employer, today=today)


@router.get(ESTABLISHMENT + CARDS, response=list[CardOut])
@paginate(Pagination)
def establishment_cards(request, due_for_renewal: bool = False, cr_number: str = CrNumber):
    """Open cards (active or expired), soonest expiry first; `due_for_renewal=true` keeps those
    that can be renewed now."""
    return _cards(request, cr_number, due_for_renewal)


@router.get(HOUSEHOLD_PATH + CARDS, response=list[CardOut])
@paginate(Pagination)
def household_cards(request, due_for_renewal: bool = False):
    """Open cards (active or expired), soonest expiry first; `due_for_renewal=true` keeps those
    that can be renewed now."""
    return _cards(request, HOUSEHOLD, due_for_renewal)


def _card(request, key: str, number: str) -> LabourCard:
    return selectors.card_for_user(
        user=request.user, employer_key=key, number=number, today=timezone.localdate()
    )


@router.get(ESTABLISHMENT + CARD, response=CardOut)
def establishment_card(request, number: str, cr_number: str = CrNumber):
    return _card(request, cr_number, number)


@router.get(HOUSEHOLD_PATH + CARD, response=CardOut)
def household_card(request, number: str):
    return _card(request, HOUSEHOLD, number)


def _card_document(request, key: str, number: str):
    pdf = selectors.card_pdf_for_user(user=request.user, employer_key=key, number=number)
    return pdf_response(pdf, f"labour-card-{number}.pdf")


@router.get(ESTABLISHMENT + CARD + "/document", response={200: None}, openapi_extra=PDF_RESPONSE)
def establishment_card_document(request, number: str, cr_number: str = CrNumber):
    """The card's PDF, signed, with the QR code of its public verification page."""
    return _card_document(request, cr_number, number)


@router.get(HOUSEHOLD_PATH + CARD + "/document", response={200: None}, openapi_extra=PDF_RESPONSE)
def household_card_document(request, number: str):
    """The card's PDF, signed, with the QR code of its public verification page."""
    return _card_document(request, HOUSEHOLD, number)


def _card_request(service, request, key: str, number: str):
    """Open a paid request on one card (renewal, departure form)."""
    card = _card(request, key, number)
    return Status(201, service(actor=_actor(request, key), now=timezone.now(), card=card))


@router.post(ESTABLISHMENT + CARD + "/renewal", response={201: CardRequestOut})
def establishment_card_renewal(request, number: str, cr_number: str = CrNumber):
    """Bill the renewal (and the late fee of an expired card); the card is renewed when paid."""
    return _card_request(services.card_renewal_request, request, cr_number, number)


@router.post(HOUSEHOLD_PATH + CARD + "/renewal", response={201: CardRequestOut})
def household_card_renewal(request, number: str):
    """Bill the renewal (and the late fee of an expired card); the card is renewed when paid."""
    return _card_request(services.card_renewal_request, request, HOUSEHOLD, number)


@router.post(ESTABLISHMENT + CARD + "/departure-form", response={201: CardRequestOut})
def establishment_departure_form(request, number: str, cr_number: str = CrNumber):
    """Bill the departure form; it is printed when paid (`document_url` of the request)."""
    return _card_request(services.departure_form_request, request, cr_number, number)


@router.post(HOUSEHOLD_PATH + CARD + "/departure-form", response={201: CardRequestOut})
def household_departure_form(request, number: str):
    """Bill the departure form; it is printed when paid (`document_url` of the request)."""
    return _card_request(services.departure_form_request, request, HOUSEHOLD, number)


def _workers_without_card(request, key: str):
    employer = selectors.employer_for_user(user=request.user, key=key)
    return selectors.workers_without_card(employer=employer)


@router.get(ESTABLISHMENT + WORKERS_WITHOUT_CARD, response=list[WorkerWithoutCardOut])
@paginate(Pagination)
def establishment_workers_without_card(request, cr_number: str = CrNumber):
    """Non-national workers with no open card yet (just arrived, or transferred in)."""
    return _workers_without_card(request, cr_number)


@router.get(HOUSEHOLD_PATH + WORKERS_WITHOUT_CARD, response=list[WorkerWithoutCardOut])
@paginate(Pagination)
def household_workers_without_card(request):
    """Non-national workers with no open card yet (just arrived, or transferred in)."""
    return _workers_without_card(request, HOUSEHOLD)


def _card_issue(request, key: str, employment_id: int, payload: IssueIn):
    employment = selectors.employment_for_user(
        user=request.user, employer_key=key, employment_id=employment_id
    )
    card_request = services.card_issue_request(
        actor=_actor(request, key),
        now=timezone.now(),
        employment=employment,
        kind=payload.kind,
        resident_card_number=payload.resident_card_number,
    )
    return Status(201, card_request)


@router.post(ESTABLISHMENT + CARD_ISSUE, response={201: CardRequestOut})
def establishment_card_issue(
    request, employment_id: int, payload: IssueIn, cr_number: str = CrNumber
):
    """After arrival: bill the card fee; the card is issued when it is paid."""
    return _card_issue(request, cr_number, employment_id, payload)


@router.post(HOUSEHOLD_PATH + CARD_ISSUE, response={201: CardRequestOut})
def household_card_issue(request, employment_id: int, payload: IssueIn):
    """After arrival: bill the card fee; the card is issued when it is paid."""
    return _card_issue(request, HOUSEHOLD, employment_id, payload)


def _card_requests(request, key: str):
    employer = selectors.employer_for_user(user=request.user, key=key)
    return selectors.requests_of_employer(employer=employer)


@router.get(ESTABLISHMENT + REQUESTS, response=list[CardRequestOut])
@paginate(Pagination)
def establishment_card_requests(request, cr_number: str = CrNumber):
    """Paid requests (issue, renewal, departure form), newest first."""
    return _card_requests(request, cr_number)


@router.get(HOUSEHOLD_PATH + REQUESTS, response=list[CardRequestOut])
@paginate(Pagination)
def household_card_requests(request):
    """Paid requests (issue, renewal, departure form), newest first."""
    return _card_requests(request, HOUSEHOLD)


def _request(request, key: str, request_id: int):
    return selectors.request_for_user(user=request.user, employer_key=key, request_id=request_id)


@router.get(ESTABLISHMENT + REQUEST, response=CardRequestOut)
def establishment_request(request, request_id: int, cr_number: str = CrNumber):
    return _request(request, cr_number, request_id)


@router.get(HOUSEHOLD_PATH + REQUEST, response=CardRequestOut)
def household_request(request, request_id: int):
    return _request(request, HOUSEHOLD, request_id)


def _request_completion(request, key: str, request_id: int):
    services.card_request_complete(
        actor=_actor(request, key), now=timezone.now(), request=_request(request, key, request_id)
    )
    return _request(request, key, request_id)


@router.post(ESTABLISHMENT + REQUEST + "/completion", response=CardRequestOut)
def establishment_request_completion(request, request_id: int, cr_number: str = CrNumber):
    """Complete a paid request (the payment usually has); 409 `card_request_not_paid` before."""
    return _request_completion(request, cr_number, request_id)


@router.post(HOUSEHOLD_PATH + REQUEST + "/completion", response=CardRequestOut)
def household_request_completion(request, request_id: int):
    """Complete a paid request (the payment usually has); 409 `card_request_not_paid` before."""
    return _request_completion(request, HOUSEHOLD, request_id)


def _request_document(request, key: str, request_id: int):
    pdf = selectors.request_pdf_for_user(user=request.user, employer_key=key, request_id=request_id)
    return pdf_response(pdf, f"departure-form-{request_id}.pdf")


@router.get(ESTABLISHMENT + REQUEST + "/document", response={200: None}, openapi_extra=PDF_RESPONSE)
def establishment_request_document(request, request_id: int, cr_number: str = CrNumber):
    """The printed departure form of a paid request."""
    return _request_document(request, cr_number, request_id)


@router.get(
    HOUSEHOLD_PATH + REQUEST + "/document", response={200: None}, openapi_extra=PDF_RESPONSE
)
def household_request_document(request, request_id: int):
    """The printed departure form of a paid request."""
    return _request_document(request, HOUSEHOLD, request_id)


# --- Transfers of services (establishments only) -------------------------------------------------

TRANSFERS = ESTABLISHMENT + "/transfers"
TRANSFER = TRANSFERS + "/{int:transfer_id}"


@router.get(TRANSFERS, response=list[TransferOut], tags=["transfers"])
@paginate(Pagination)
def establishment_transfers(request, cr_number: str = CrNumber):
    """Transfers of the establishment's workers (`out`) and of workers it asked for (`in`)."""
    establishment = registry.establishment_for_user(user=request.user, cr_number=cr_number)
    return selectors.transfers_for_establishment(establishment=establishment)


@router.post(TRANSFERS, response={201: TransferOut}, tags=["transfers"])
def establishment_transfer_request(request, payload: TransferIn, cr_number: str = CrNumber):
    """The new employer asks for a worker by resident card number and is billed the transfer
    fee; the worker moves once the fee is paid and the current employer has agreed (unless the
    reason needs no consent)."""
    establishment = registry.establishment_for_user(user=request.user, cr_number=cr_number)
    employment = selectors.employment_to_transfer(
        resident_card_number=services.resident_number(payload.resident_card_number)
    )
    transfer = services.transfer_request(
        actor=_actor(request, cr_number),
        now=timezone.now(),
        employment=employment,
        to_establishment=establishment,
        licence_number=payload.licence_number,
        occupation_code=payload.occupation,
        basic_wage_baisa=payload.basic_wage_baisa,
        reason=payload.reason,
    )
    return Status(201, transfer)


def _transfer_step(service, lookup, request, transfer_id: int, cr_number: str):
    """One employer's step on a transfer: `lookup` scopes the transfer to its current employer
    (consent, refusal) or to the new one (completion, withdrawal)."""
    transfer = lookup(user=request.user, cr_number=cr_number, transfer_id=transfer_id)
    return service(actor=_actor(request, cr_number), now=timezone.now(), transfer=transfer)


@router.post(TRANSFER + "/consent", response=TransferOut, tags=["transfers"])
def transfer_consent(request, transfer_id: int, cr_number: str = CrNumber):
    """The current employer agrees: the worker moves now if the fee is paid, else once it is."""
    return _transfer_step(
        services.transfer_consent,
        selectors.transfer_for_current_employer,
        request,
        transfer_id,
        cr_number,
    )


@router.post(TRANSFER + "/refuse", response=TransferOut, tags=["transfers"])
def transfer_refuse(request, transfer_id: int, cr_number: str = CrNumber):
    """The current employer refuses: the transfer ends and its unpaid fee is cancelled."""
    return _transfer_step(
        services.transfer_refuse,
        selectors.transfer_for_current_employer,
        request,
        transfer_id,
        cr_number,
    )


@router.post(
    TRANSFER + "/completion",
    response=TransferOut,
    tags=["transfers"],
    description="The new employer, after paying: the worker moves if the consent is given (or "
    "needs none); 409 `transfer_not_paid` while the fee is unpaid.",
)
def transfer_completion(request, transfer_id: int, cr_number: str = CrNumber):
    return _transfer_step(
        services.transfer_payment_confirm,
        selectors.transfer_for_new_employer,
        request,
        transfer_id,
        cr_number,
    )


@router.post(TRANSFER + "/cancel", response=TransferOut, tags=["transfers"])
def transfer_cancel(request, transfer_id: int, cr_number: str = CrNumber):
    """The new employer withdraws its request before the worker moved."""
    return _transfer_step(
        services.transfer_cancel,
        selectors.transfer_for_new_employer,
        request,
        transfer_id,
        cr_number,
    )
