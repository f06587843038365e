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
import inspect
from typing import Literal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from manpower.accounts.api_auth import api_actor, api_auth
from manpower.core import selectors as reference
from manpower.core.actor import Actor
from manpower.core.api import CodeName, Pagination
from manpower.core.errors import DomainError
from manpower.core.models import Occupation
from manpower.licensing.api import PDF_RESPONSE, CrNumber, InvoiceOut, pdf_response
from manpower.registry import selectors as registry
from manpower.registry.api import EstablishmentRef

from . import selectors, services
from .models import LabourCard

router = Router(auth=api_auth, tags=["labour cards"])

HOUSEHOLD = selectors.HOUSEHOLD
UNPAID = "UNPAID"


class UnknownOccupation(DomainError):
    code = "unknown_occupation"
    status = 422


# --- Parsing -------------------------------------------------------------------------------------


def _occupation(code: str) -> Occupation:
    occupation = (
        reference.occupations(level=Occupation.Level.UNIT).filter(code=code.strip()).first()
    )
    if occupation is None:
        raise UnknownOccupation(
            _("%(occupation)s is not an ISCO-08 occupation unit code."), occupation=code
        )
    return occupation


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
    def resolve_due_for_renewal(obj) -> bool:
        return services.is_due_for_renewal(obj, timezone.localdate())

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

ESTABLISHMENT = "/establishments/{cr_number}"
CR_NUMBER = inspect.Parameter(
    "cr_number", inspect.Parameter.KEYWORD_ONLY, default=CrNumber, annotation=str
)
# Each kind of employer: its address prefix, its operations' name prefix, the parameters it adds.
EMPLOYERS = ((ESTABLISHMENT, "establishment", [CR_NUMBER]), ("/household", "household", []))


def _for_each_employer(method: str, path: str, *, paginated: bool = False, **options):
    """Expose an operation written once as `view(request, key, …)`, for an employer `key` (a CR
    number or `household`), at /establishments/{cr_number}<path> and at /household<path>. The
    two operations are named `establishment_<name>` and `household_<name>` after the view."""

    def register(view):
        first, _key, *params = inspect.signature(view).parameters.values()
        name = view.__name__.lstrip("_")
        for prefix, kind, added in EMPLOYERS:

            def operation(request, **values):
                return view(request, values.pop("cr_number", HOUSEHOLD), **values)

            operation.__name__, operation.__doc__ = f"{kind}_{name}", view.__doc__
            operation.__signature__ = inspect.Signature([first, *params, *added])
            if paginated:
                operation = paginate(Pagination)(operation)
            router.api_operation([method], prefix + path, **options)(operation)
        return view

    return register


CARD = "/labour-cards/{number}"
REQUEST = "/card-requests/{int:request_id}"


@_for_each_employer("GET", "/labour-cards", response=list[CardOut], paginated=True)
def _cards(request, key: str, due_for_renewal: bool = False):
    """Open cards (active or expired), soonest expiry first; `due_for_renewal=true` keeps those
    that can be renewed now."""
    employer = selectors.employer_for_user(user=request.user, key=key)
    if due_for_renewal:
        return selectors.cards_due_for_renewal(employer=employer, today=timezone.localdate())
    return selectors.cards_of_employer(employer=employer)


@_for_each_employer("GET", CARD, response=CardOut)
def _card(request, key: str, number: str):
    return selectors.card_for_user(user=request.user, employer_key=key, number=number)


@_for_each_employer("GET", CARD + "/document", response={200: None}, openapi_extra=PDF_RESPONSE)
def _card_document(request, key: str, number: str):
    """The card's PDF, signed, with the QR code of its public verification page."""
    pdf = selectors.card_pdf_for_user(user=request.user, employer_key=key, number=number)
    return pdf_response(pdf, f"labour-card-{number}.pdf")


def _card_request(service, request, key: str, number: str):
    """Open a paid request on one card (renewal, departure form)."""
    card = _card(request, key, number)
    return Status(201, service(actor=_actor(request, key), now=timezone.now(), card=card))


@_for_each_employer("POST", CARD + "/renewal", response={201: CardRequestOut})
def _card_renewal(request, key: str, number: str):
    """Bill the renewal (and the late fee of an expired card); the card is renewed when paid."""
    return _card_request(services.card_renewal_request, request, key, number)


@_for_each_employer("POST", CARD + "/departure-form", response={201: CardRequestOut})
def _departure_form(request, key: str, number: str):
    """Bill the departure form; it is printed when paid (`document_url` of the request)."""
    return _card_request(services.departure_form_request, request, key, number)


@_for_each_employer(
    "GET", "/workers-without-card", response=list[WorkerWithoutCardOut], paginated=True
)
def _workers_without_card(request, key: str):
    """Non-national workers with no open card yet (just arrived, or transferred in)."""
    employer = selectors.employer_for_user(user=request.user, key=key)
    return selectors.workers_without_card(employer=employer)


@_for_each_employer(
    "POST", "/workers/{int:employment_id}/labour-card", response={201: CardRequestOut}
)
def _card_issue(request, key: str, employment_id: int, payload: IssueIn):
    """After arrival: bill the card fee; the card is issued when it is paid."""
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


@_for_each_employer("GET", "/card-requests", response=list[CardRequestOut], paginated=True)
def _card_requests(request, key: str):
    """Paid requests (issue, renewal, departure form), newest first."""
    employer = selectors.employer_for_user(user=request.user, key=key)
    return selectors.requests_of_employer(employer=employer)


@_for_each_employer("GET", REQUEST, response=CardRequestOut)
def _request(request, key: str, request_id: int):
    return selectors.request_for_user(user=request.user, employer_key=key, request_id=request_id)


@_for_each_employer("POST", REQUEST + "/completion", response=CardRequestOut)
def _request_completion(request, key: str, request_id: int):
    """Complete a paid request (the payment usually has); 409 `card_request_not_paid` before."""
    services.card_request_complete(
        actor=_actor(request, key), now=timezone.now(), request=_request(request, key, request_id)
    )
    return _request(request, key, request_id)


@_for_each_employer("GET", REQUEST + "/document", response={200: None}, openapi_extra=PDF_RESPONSE)
def _request_document(request, key: str, request_id: int):
    """The printed departure form of a paid request."""
    pdf = selectors.request_pdf_for_user(user=request.user, employer_key=key, request_id=request_id)
    return pdf_response(pdf, f"departure-form-{request_id}.pdf")


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
        occupation=_occupation(payload.occupation),
        basic_wage_baisa=payload.basic_wage_baisa,
        reason=payload.reason,
    )
    return Status(201, transfer)


def _transfer_step(path: str, service, lookup, name: str, summary: str) -> None:
    """One employer's step on a transfer, at `TRANSFER + path`: `lookup` scopes the transfer to
    its current employer (consent, refusal) or to the new one (completion, withdrawal)."""

    def step(request, transfer_id: int, cr_number: str = CrNumber):
        transfer = lookup(user=request.user, cr_number=cr_number, transfer_id=transfer_id)
        return service(actor=_actor(request, cr_number), now=timezone.now(), transfer=transfer)

    step.__name__, step.__doc__ = name, summary  # the operation's id, address name and summary
    router.post(TRANSFER + path, response=TransferOut, tags=["transfers"])(step)


_transfer_step(
    "/consent",
    services.transfer_consent,
    selectors.transfer_for_current_employer,
    "transfer_consent",
    "The current employer agrees: the worker moves now if the fee is paid, else once it is.",
)
_transfer_step(
    "/refuse",
    services.transfer_refuse,
    selectors.transfer_for_current_employer,
    "transfer_refuse",
    "The current employer refuses: the transfer ends and its unpaid fee is cancelled.",
)
_transfer_step(
    "/completion",
    services.transfer_payment_confirm,
    selectors.transfer_for_new_employer,
    "transfer_completion",
    "The new employer, after paying: the worker moves if the consent is given (or needs none); "
    "409 `transfer_not_paid` while the fee is unpaid.",
)
_transfer_step(
    "/cancel",
    services.transfer_cancel,
    selectors.transfer_for_new_employer,
    "transfer_cancel",
    "The new employer withdraws its request before the worker moved.",
)
