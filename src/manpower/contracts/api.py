"""Contracts through the public API (the mobile app): the employer's contracts under
`/establishments/{cr_number}/contracts…` (register, read, amend) and terminations of its
workers; the worker's own under `/contracts…` (accept, refuse, answer an amendment) and their
resignations and objections. Each operation calls the selectors and services the portal's pages
call, so a rule cannot differ by channel; another employer's contract, or a contract the caller
is not party to, is a 404 problem."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from manpower.accounts.api_auth import api_actor, api_auth
from manpower.core.api import CodeName, Pagination
from manpower.licensing.api import PDF_RESPONSE, CrNumber, pdf_response

from . import selectors, services
from .services.common import MAX_BAISA

router = Router(auth=api_auth, tags=["contracts"])

ESTABLISHMENT = "/establishments/{cr_number}/contracts"
Text = Field("", max_length=500)


# --- Schemas -------------------------------------------------------------------------------------


class Party(Schema):
    name_ar: str
    name_en: str
    number: str = Field(description="Civil number of a worker, CR number of an establishment.")


class ContractOut(Schema):
    number: str
    status: str
    kind: str
    worker: Party
    establishment: Party
    occupation: CodeName
    start_date: dt.date
    end_date: dt.date | None
    probation_months: int
    weekly_hours: int
    full_time: bool
    notice_days: int
    basic_wage_baisa: int
    allowances_baisa: int
    governorate: str = Field(alias="governorate_id")
    wilayat: str = Field(alias="wilayat_id")
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    decision_reason: str
    certificate_code: str = Field(description="The certificate's verification code, once issued.")

    @staticmethod
    def resolve_worker(obj) -> dict:
        person = obj.person
        return {"name_ar": person.name_ar, "name_en": person.name_en, "number": person.civil_number}

    @staticmethod
    def resolve_establishment(obj) -> dict:
        est = obj.establishment
        return {"name_ar": est.name_ar, "name_en": est.name_en, "number": est.cr_number}

    @staticmethod
    def resolve_certificate_code(obj) -> str:
        return obj.document_code


class TermsIn(Schema):
    occupation_code: str = Field(max_length=4)
    weekly_hours: int = Field(ge=1, le=168)
    basic_wage_baisa: int = Field(ge=1, le=MAX_BAISA)
    allowances_baisa: int = Field(0, ge=0, le=MAX_BAISA)


class ContractIn(TermsIn):
    civil_number: str = Field(max_length=12)
    kind: Literal["UNLIMITED", "FIXED"]
    start_date: dt.date
    end_date: dt.date | None = None
    probation_months: int = Field(ge=0, le=24)
    governorate_code: str = Field(max_length=8)
    wilayat_code: str = Field(max_length=8)
    notice_days: int | None = Field(None, ge=0, le=365)


class AmendmentOut(Schema):
    id: int
    status: str
    occupation: CodeName
    weekly_hours: int
    basic_wage_baisa: int
    allowances_baisa: int
    proposed_at: dt.datetime
    decided_at: dt.datetime | None


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=500)


class ResignationIn(Schema):
    reason: str = Text


class TerminationIn(Schema):
    ground: str = Field(max_length=32)
    last_day: dt.date
    reason: str = Text


class ObjectionIn(Schema):
    objection: str = Field(min_length=1, max_length=4000)


class EndOut(Schema):
    id: int
    kind: str
    status: str
    employment_id: int
    contract_number: str | None
    reason_code: str
    last_day: dt.date
    objection_deadline: dt.date | None
    objected_at: dt.datetime | None

    @staticmethod
    def resolve_contract_number(obj) -> str | None:
        return obj.contract.number if obj.contract_id else None


# --- The employer's operations -------------------------------------------------------------------


def _establishment(request, cr_number: str):
    return selectors.establishment_for_user(user=request.user, cr_number=cr_number)


def _employer_actor(request, cr_number: str):
    return api_actor(request).acting_for("establishment", cr_number)


@router.get(ESTABLISHMENT, response=list[ContractOut])
@paginate(Pagination)
def establishment_contracts(request, cr_number: str = CrNumber):
    """The establishment's contracts, newest first."""
    return selectors.contracts_of_establishment(establishment=_establishment(request, cr_number))


@router.post(ESTABLISHMENT, response={201: ContractOut})
def establishment_contract_register(request, payload: ContractIn, cr_number: str = CrNumber):
    """Register a contract with a national; the same contract sent again answers the first. A
    refused rule is a problem whose `code` names it."""
    contract = services.contract_register(
        actor=_employer_actor(request, cr_number),
        now=timezone.now(),
        establishment=_establishment(request, cr_number),
        **payload.dict(),
    )
    return Status(201, contract)


@router.get(ESTABLISHMENT + "/{number}", response=ContractOut)
def establishment_contract(request, number: str, cr_number: str = CrNumber):
    return selectors.contract_for_establishment(
        establishment=_establishment(request, cr_number), number=number
    )


@router.post(ESTABLISHMENT + "/{number}/amendments", response={201: AmendmentOut})
def establishment_contract_amend(request, number: str, payload: TermsIn, cr_number: str = CrNumber):
    """Propose new terms; the worker confirms them."""
    contract = selectors.contract_for_establishment(
        establishment=_establishment(request, cr_number), number=number
    )
    amendment = services.amendment_propose(
        actor=_employer_actor(request, cr_number),
        now=timezone.now(),
        contract=contract,
        **payload.dict(),
    )
    return Status(201, amendment)


@router.get(
    ESTABLISHMENT + "/{number}/certificate", response={200: None}, openapi_extra=PDF_RESPONSE
)
def establishment_contract_certificate(request, number: str, cr_number: str = CrNumber):
    contract = selectors.contract_for_establishment(
        establishment=_establishment(request, cr_number), number=number
    )
    return _certificate(contract)


@router.post(
    "/establishments/{cr_number}/workers/{employment_id}/termination", response={201: EndOut}
)
def establishment_worker_terminate(
    request, employment_id: int, payload: TerminationIn, cr_number: str = CrNumber
):
    """End a worker's service (national or not) on a lawful ground (`ground`)."""
    employment = selectors.employment_of_establishment(
        establishment=_establishment(request, cr_number), employment_id=employment_id
    )
    end = services.termination_submit(
        actor=_employer_actor(request, cr_number),
        now=timezone.now(),
        employment=employment,
        **payload.dict(),
    )
    return Status(201, end)


# --- The worker's operations ---------------------------------------------------------------------


def _worker_actor(request):
    return api_actor(request).acting_for("person", request.user.civil_number or "")


def _mine(request, number: str):
    return selectors.contract_for_worker(user=request.user, number=number)


def _certificate(contract):
    return pdf_response(
        selectors.contract_certificate_pdf(contract=contract), f"contract-{contract.number}.pdf"
    )


@router.get("/contracts", response=list[ContractOut])
@paginate(Pagination)
def my_contracts(request):
    """The contracts the caller is party to, newest first."""
    return selectors.contracts_of_worker(user=request.user)


@router.get("/contracts/{number}", response=ContractOut)
def my_contract(request, number: str):
    return _mine(request, number)


@router.get("/contracts/{number}/certificate", response={200: None}, openapi_extra=PDF_RESPONSE)
def my_contract_certificate(request, number: str):
    return _certificate(_mine(request, number))


@router.post("/contracts/{number}/acceptance", response=ContractOut)
def my_contract_accept(request, number: str):
    """Accept: `ACCEPTED` once social insurance confirms, `AWAITING_INSURANCE` while it cannot."""
    return services.contract_accept(
        actor=_worker_actor(request), now=timezone.now(), contract=_mine(request, number)
    )


@router.post("/contracts/{number}/refusal", response=ContractOut)
def my_contract_refuse(request, number: str, payload: ReasonIn):
    return services.contract_refuse(
        actor=_worker_actor(request),
        now=timezone.now(),
        contract=_mine(request, number),
        reason=payload.reason,
    )


@router.post("/contracts/{number}/amendment/{answer}", response=AmendmentOut)
def my_contract_amendment(request, number: str, answer: Literal["confirmation", "decline"]):
    """Confirm or decline the terms the employer proposed."""
    return services.amendment_answer(
        actor=_worker_actor(request),
        now=timezone.now(),
        contract=_mine(request, number),
        confirm=answer == "confirmation",
    )


@router.post("/employments/{employment_id}/resignation", response={201: EndOut})
def my_resignation(request, employment_id: int, payload: ResignationIn):
    """Resign; the last working day is after the contract's notice period."""
    employment = selectors.employment_for_worker(user=request.user, employment_id=employment_id)
    end = services.resignation_submit(
        actor=_worker_actor(request),
        now=timezone.now(),
        employment=employment,
        reason=payload.reason,
    )
    return Status(201, end)


@router.post("/ends-of-service/{end_id}/objection", response=EndOut)
def my_objection(request, end_id: int, payload: ObjectionIn):
    """Object to a termination within the objection period."""
    return services.termination_object(
        actor=_worker_actor(request),
        now=timezone.now(),
        end=selectors.end_for_worker(user=request.user, end_id=end_id),
        objection=payload.objection,
    )
