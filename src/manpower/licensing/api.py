"""Licences through the public API (the mobile app): an establishment's or a household's licence
applications and licences, the licence PDF, and the holder's cancellation.

Each operation reads through the selectors and writes through the services the portal's pages
call, so a rule cannot differ by channel. A licence or application outside the caller's scope is
a 404 problem, the same as one that does not exist. An application that a rule refuses is a 422
problem whose `code` names the rule; one that is approved at once answers with the invoice to
pay and the portal page where it is paid.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import paginate

from manpower.accounts.api_auth import api_actor, api_auth
from manpower.core.api import CodeName, Pagination
from manpower.core.errors import Conflict
from manpower.documents.selectors import document_by_code, document_pdf
from manpower.documents.services import verify_url
from manpower.payments import selectors as payments
from manpower.payments.api import InvoiceOut
from manpower.registry import selectors as registry

from . import selectors, services
from .models import Kind

router = Router(auth=api_auth, tags=["licences"])

# A commercial registration number in an address: digits only, else a 422 problem.
CrNumber = Path(..., pattern=r"^[0-9]+$", description="The establishment's CR number.")

PDF_RESPONSE = {"responses": {200: {"content": {"application/pdf": {}}}}}


class InvoiceNotPaid(Conflict):
    code = "invoice_not_paid"


def pdf_response(data: bytes, name: str) -> HttpResponse:
    """A document as the portal serves it: shown inline, saved under `name`."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# --- Schemas -------------------------------------------------------------------------------------


class NoteOut(Schema):
    """Why a request was cut or sent to an officer, in both languages."""

    code: str
    ar: str
    en: str


class ApplicationLineOut(Schema):
    occupation: CodeName
    nationality: CodeName
    gender: str
    requested: int
    granted: int


class ApplicationOut(Schema):
    number: str
    kind: str
    status: str
    cr_number: str | None = Field(description="The establishment's; none for a household.")
    lines: list[ApplicationLineOut]
    requested_total: int
    granted_total: int
    notes: list[NoteOut] = Field(description="Why the request was cut or sent for review.")
    decision_reason: str = Field(description="The officer's reason (approval or refusal).")
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    invoice_number: str = Field(description="Empty until the application is approved.")
    licence_number: str | None

    @staticmethod
    def resolve_cr_number(obj) -> str | None:
        return obj.establishment.cr_number if obj.establishment_id else None

    @staticmethod
    def resolve_licence_number(obj) -> str | None:
        licence = getattr(obj, "licence", None)
        return licence.number if licence else None


class ApplicationDetailOut(ApplicationOut):
    invoice: InvoiceOut | None = Field(description="The invoice to pay, once approved.")

    @staticmethod
    def resolve_invoice(obj, context):
        if not obj.invoice_number:
            return None
        # Ministry staff read applications but are not their payer: no invoice for them.
        user = context["request"].user
        return payments.invoices_payable_by(user).filter(number=obj.invoice_number).first()


class LineIn(Schema):
    occupation: str = Field(
        min_length=4, max_length=4, description="ISCO-08 unit code, e.g. `7112`."
    )
    nationality: str = Field(
        min_length=3, max_length=3, description="ISO 3166 alpha-3 code, e.g. `IND`."
    )
    gender: Literal["M", "F"]
    count: int = Field(ge=1, le=999)


class ApplicationIn(Schema):
    lines: list[LineIn] = Field(min_length=1, max_length=10)


class VacancyOut(Schema):
    occupation: CodeName
    nationality: CodeName
    gender: str
    issued: int
    reserved: int
    used: int
    free: int


class LicenceOut(Schema):
    number: str
    kind: str
    status: str
    cr_number: str | None = Field(description="The establishment's; none for a household.")
    valid_from: dt.date
    valid_until: dt.date
    issued_at: dt.datetime
    cancelled_at: dt.datetime | None
    cancel_reason: str
    vacancies: list[VacancyOut]
    document_url: str | None = Field(description="The licence PDF (this API).")

    @staticmethod
    def resolve_cr_number(obj) -> str | None:
        return obj.establishment.cr_number if obj.establishment_id else None

    @staticmethod
    def resolve_document_url(obj) -> str | None:
        if not obj.document_code:
            return None
        return reverse("api:licence_document", kwargs={"number": obj.number})


class LicenceDetailOut(LicenceOut):
    verification_url: str | None = Field(
        description="The public page that checks the licence PDF (its QR code's address)."
    )

    @staticmethod
    def resolve_verification_url(obj) -> str | None:
        return verify_url(document_by_code(obj.document_code)) if obj.document_code else None


class CancelIn(Schema):
    reason: str = Field(min_length=1, max_length=500)


# --- Applications --------------------------------------------------------------------------------


def _line_requests(payload: ApplicationIn) -> list[services.LineRequest]:
    return [
        services.LineRequest(
            occupation_code=line.occupation.strip(),
            nationality_code=line.nationality.strip().upper(),
            gender=line.gender,
            count=line.count,
        )
        for line in payload.lines
    ]


def _submitted(request, application):
    """The new application as its page shows it (lines and invoice read back)."""
    return Status(201, selectors.application_for_user(user=request.user, number=application.number))


@router.get("/establishments/{cr_number}/licences", response=list[LicenceOut])
@paginate(Pagination)
def establishment_licences(request, cr_number: str = CrNumber):
    establishment = registry.establishment_for_user(user=request.user, cr_number=cr_number)
    return selectors.licences_visible_to(request.user).filter(establishment=establishment)


@router.get("/establishments/{cr_number}/licence-applications", response=list[ApplicationOut])
@paginate(Pagination)
def establishment_applications(request, cr_number: str = CrNumber):
    establishment = registry.establishment_for_user(user=request.user, cr_number=cr_number)
    return selectors.applications_visible_to(request.user).filter(establishment=establishment)


@router.post(
    "/establishments/{cr_number}/licence-applications", response={201: ApplicationDetailOut}
)
def establishment_apply(request, payload: ApplicationIn, cr_number: str = CrNumber):
    """A commercial licence: checked at once, then billed (small and fully checked) or sent to
    an officer; a refusal is a 422 problem whose `code` names the rule."""
    establishment = registry.establishment_for_user(user=request.user, cr_number=cr_number)
    application = services.application_submit(
        actor=api_actor(request).acting_for("establishment", establishment.cr_number),
        applicant=request.user,
        kind=Kind.COMMERCIAL,
        establishment=establishment,
        lines=_line_requests(payload),
        now=timezone.now(),
    )
    return _submitted(request, application)


def _of_household(request, visible):
    """The caller's household's rows of `visible`; none without a household in the registry."""
    household = registry.household_for_user(user=request.user)
    return visible.filter(household=household) if household else visible.none()


@router.get("/household/licences", response=list[LicenceOut])
@paginate(Pagination)
def household_licences(request):
    return _of_household(request, selectors.licences_visible_to(request.user))


@router.get("/household/licence-applications", response=list[ApplicationOut])
@paginate(Pagination)
def household_applications(request):
    return _of_household(request, selectors.applications_visible_to(request.user))


@router.post("/household/licence-applications", response={201: ApplicationDetailOut})
def household_apply(request, payload: ApplicationIn):
    """A private licence for the caller's household (domestic occupations only)."""
    application = services.application_submit(
        actor=api_actor(request).acting_for("household", request.user.civil_number or ""),
        applicant=request.user,
        kind=Kind.PRIVATE,
        lines=_line_requests(payload),
        now=timezone.now(),
    )
    return _submitted(request, application)


@router.get("/licence-applications/{number}", response=ApplicationDetailOut)
def get_application(request, number: str):
    return selectors.application_for_user(user=request.user, number=number)


@router.post("/licence-applications/{number}/payment", response=ApplicationDetailOut)
def confirm_application_payment(request, number: str):
    """After paying: the licence is issued if the invoice is paid (it usually already is, as
    the payment issues it); a 409 problem `invoice_not_paid` while it is not."""
    application = selectors.application_for_user(user=request.user, number=number)
    licence = services.application_payment_confirm(
        actor=api_actor(request), application=application, now=timezone.now()
    )
    if licence is None:
        raise InvoiceNotPaid(_("The invoice is not paid yet."))
    return selectors.application_for_user(user=request.user, number=number)


# --- Licences ------------------------------------------------------------------------------------


@router.get("/licences/{number}", response=LicenceDetailOut)
def get_licence(request, number: str):
    return selectors.licence_for_user(user=request.user, number=number)


@router.get("/licences/{number}/document", response={200: None}, openapi_extra=PDF_RESPONSE)
def licence_document(request, number: str):
    """The licence PDF, signed, with the QR code of its public verification page."""
    licence = selectors.licence_for_user(user=request.user, number=number)
    if not licence.document_code:
        raise Http404(number)
    return pdf_response(document_pdf(code=licence.document_code), f"{licence.number}.pdf")


@router.post("/licences/{number}/cancel", response=LicenceDetailOut)
def cancel_licence(request, number: str, payload: CancelIn):
    """The holder gives up the vacancies no visa was reserved for (the licence ends when none
    is reserved or used); ministry staff cancel the licence outright, as on the portal."""
    licence = selectors.licence_for_user(user=request.user, number=number)
    services.licence_cancel(
        actor=api_actor(request), licence=licence, reason=payload.reason, now=timezone.now()
    )
    return selectors.licence_for_user(user=request.user, number=number)
