"""Paid requests: card issue, renewal and the departure form. A request bills its fee; it is
completed only when its invoices are paid. The payment flow, the employer's page and the daily
job may all ask, and only the first completes it.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.core import audit, states
from manpower.core.actor import Actor
from manpower.core.dates import add_months
from manpower.core.errors import Conflict, DomainError
from manpower.documents.services import DocumentField, document_issue
from manpower.payments.services import fee_effective, invoice_create
from manpower.registry import selectors as registry_selectors
from manpower.registry import services as registry
from manpower.registry.models import Employment

from .. import conf, events
from ..models import CardRequest, LabourCard
from ..selectors import is_due_for_renewal
from .cards import (
    LAPSED_INVOICE,
    C,
    CardStatusConflict,
    NationalNeedsNoCard,
    _card_document_refresh,
    _card_fields,
    _check_employer_open,
    _check_employment_active,
    _check_number_free,
    _employer_fields,
    _open_card,
    _transition,
    _violates,
    resident_number,
)

logger = logging.getLogger(__name__)

R = CardRequest.Status

# The one table of allowed request status changes: a request waits for its payment, then is
# completed, or cancelled when its invoice lapsed.
REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    R.AWAITING_PAYMENT: frozenset({R.COMPLETED, R.CANCELLED}),
    R.COMPLETED: frozenset(),
    R.CANCELLED: frozenset(),
}

# Fee schedule codes (payments.Fee.service_code) of each paid request.
ISSUE_FEE = {
    LabourCard.Kind.COMMERCIAL: "CARD_ISSUE_COMMERCIAL",
    LabourCard.Kind.PRIVATE: "CARD_ISSUE_PRIVATE",
}
RENEWAL_FEE = {
    LabourCard.Kind.COMMERCIAL: "CARD_RENEWAL_COMMERCIAL",
    LabourCard.Kind.PRIVATE: "CARD_RENEWAL_PRIVATE",
}
LATE_RENEWAL_FEE = "CARD_LATE_RENEWAL"

DEPARTURE_FORM_FEE = "DEPARTURE_FORM"


class CardAlreadyIssued(Conflict):
    code = "labour_card_already_issued"


class RequestPending(Conflict):
    code = "card_request_pending"


class RequestNotPaid(Conflict):
    code = "card_request_not_paid"


class RequestClosed(Conflict):
    code = "card_request_closed"


class NotDueForRenewal(Conflict):
    code = "not_due_for_renewal"


class HouseholdWithoutAccount(Conflict):
    code = "household_without_account"


class HouseholdCardIsPrivate(DomainError):
    code = "household_card_is_private"


# --- Dates and fees ------------------------------------------------------------------------------


def months_late(*, expiry_date: dt.date, today: dt.date) -> int:
    """Months or parts of a month since the card expired (0 while it is still valid)."""
    if today <= expiry_date:
        return 0
    months = (today.year - expiry_date.year) * 12 + today.month - expiry_date.month
    return months + 1 if today.day > expiry_date.day else months


def late_months_billed(*, late: int, today: dt.date) -> int:
    """The late months billed: the CARD_LATE_RENEWAL fee in force (RO 10) a month, at most
    LATE_FEE_CAP_BAISA (RO 500) in all (MD 602/2025). The cap is divided by the fee row that is
    billed, so that a fee changed by staff moves the cap's months with it."""
    if not late:
        return 0
    per_month = fee_effective(service_code=LATE_RENEWAL_FEE, on_date=today).amount_baisa
    return min(late, conf.LATE_FEE_CAP_BAISA.value // per_month)


# --- Paid requests: issue, renewal, departure form -----------------------------------------------


def _move_request(request: CardRequest, to: str, **fields) -> None:
    states.transition(request, to, table=REQUEST_TRANSITIONS, error=RequestClosed, **fields)


def _cancel_lapsed_requests(
    *, actor: Actor, now: dt.datetime, employment: Employment, kind: str
) -> None:
    """A waiting request whose invoice expired or was cancelled can no longer be paid: close
    it, so that the employer can ask again."""
    lapsed = CardRequest.objects.filter(
        employment=employment, kind=kind, status=R.AWAITING_PAYMENT
    ).filter(Q(invoice__status__in=LAPSED_INVOICE) | Q(late_invoice__status__in=LAPSED_INVOICE))
    for request in lapsed:
        _move_request(request, R.CANCELLED)
        audit.record(
            actor=actor,
            action="card_request.cancelled",
            obj=request,
            at=now,
            changes={"status": [R.AWAITING_PAYMENT, R.CANCELLED]},
        )


def _payer(employment: Employment) -> dict:
    """Who is billed, as `invoice_create` takes it: the establishment by its CR number, or the
    household's own account."""
    if employment.establishment_id:
        return {"payer_cr_number": employment.establishment.cr_number}
    account = registry_selectors.household_account(household=employment.household)
    if account is None:
        raise HouseholdWithoutAccount(
            _("The household has no account on the portal to which its fees can be billed.")
        )
    return {"payer_user": account}


def _request_create(
    *,
    actor: Actor,
    now: dt.datetime,
    kind: str,
    employment: Employment,
    card: LabourCard | None,
    card_kind: str,
    fee_code: str,
    late_months: int = 0,
    resident_card_number: str = "",
) -> CardRequest:
    payer = _payer(employment)
    try:
        with transaction.atomic():
            _cancel_lapsed_requests(actor=actor, now=now, employment=employment, kind=kind)
            invoice = invoice_create(actor=actor, now=now, service_code=fee_code, **payer)
            late_invoice = None
            billed = late_months_billed(late=late_months, today=timezone.localdate(now))
            if billed:
                late_invoice = invoice_create(
                    actor=actor, now=now, service_code=LATE_RENEWAL_FEE, quantity=billed, **payer
                )
            request = CardRequest.objects.create(
                kind=kind,
                employment=employment,
                card=card,
                card_kind=card_kind,
                resident_card_number=resident_card_number,
                invoice=invoice,
                late_invoice=late_invoice,
                late_months=late_months,
                channel=str(actor.channel),
                requested_at=now,
            )
            audit.record(
                actor=actor,
                action="card_request.created",
                obj=request,
                at=now,
                changes={
                    "kind": kind,
                    "employment": employment.pk,
                    "card": card.number if card else None,
                    "invoice": invoice.number,
                    "late_invoice": late_invoice.number if late_invoice else None,
                    "late_months": late_months,
                },
            )
    except IntegrityError as exc:
        if not _violates(exc, "one_open_card_request_per_kind", "labourcards_cardrequest.kind"):
            raise
        raise RequestPending(
            _("A request of this kind is already waiting for payment for this worker.")
        ) from exc
    return request


def card_issue_request(
    *,
    actor: Actor,
    now: dt.datetime,
    employment: Employment,
    kind: str,
    resident_card_number: str = "",
) -> CardRequest:
    """After arrival: bill the card fee; the card is issued when the invoice is paid. A
    household's domestic worker gets a private card, billed to the household."""
    if employment.person_is_national:
        raise NationalNeedsNoCard(_("A national does not need a labour card."))
    if employment.household_id and kind != LabourCard.Kind.PRIVATE:
        raise HouseholdCardIsPrivate(_("A household's domestic worker gets a private card."))
    _check_employment_active(employment)
    _check_employer_open(employment.establishment)
    if _open_card(employment):
        raise CardAlreadyIssued(_("This worker already has a labour card for this employment."))
    number = ""
    if resident_card_number.strip():
        number = resident_number(resident_card_number)
        _check_number_free(employment.person, number)
    return _request_create(
        actor=actor,
        now=now,
        kind=CardRequest.Kind.ISSUE,
        employment=employment,
        card=None,
        card_kind=LabourCard.Kind(kind),
        fee_code=ISSUE_FEE[kind],
        resident_card_number=number,
    )


def card_renewal_request(*, actor: Actor, now: dt.datetime, card: LabourCard) -> CardRequest:
    """Bill a renewal (and the late fee, if the card has expired); online or at a Sanad centre."""
    employment = card.employment
    if card.status == C.CANCELLED:
        raise CardStatusConflict(
            _("Labour card %(number)s is cancelled and cannot be renewed."), number=card.number
        )
    _check_employment_active(employment)
    _check_employer_open(employment.establishment)
    today = timezone.localdate(now)
    if not is_due_for_renewal(card, today):
        raise NotDueForRenewal(
            _("Labour card %(number)s can be renewed from %(date)s."),
            number=card.number,
            date=(card.expiry_date - dt.timedelta(days=conf.RENEWAL_WINDOW_DAYS.value)).strftime(
                "%d/%m/%Y"
            ),
        )
    return _request_create(
        actor=actor,
        now=now,
        kind=CardRequest.Kind.RENEWAL,
        employment=employment,
        card=card,
        card_kind=card.kind,
        fee_code=RENEWAL_FEE[card.kind],
        late_months=months_late(expiry_date=card.expiry_date, today=today),
    )


def departure_form_request(*, actor: Actor, now: dt.datetime, card: LabourCard) -> CardRequest:
    """The employer asks for the worker's departure form; it is printed once its fee is paid."""
    _check_employment_active(card.employment)
    if card.status == C.CANCELLED:
        raise CardStatusConflict(_("Labour card %(number)s is cancelled."), number=card.number)
    return _request_create(
        actor=actor,
        now=now,
        kind=CardRequest.Kind.DEPARTURE_FORM,
        employment=card.employment,
        card=card,
        card_kind=card.kind,
        fee_code=DEPARTURE_FORM_FEE,
    )


def _invoices(request: CardRequest) -> list:
    """The request's invoices with their current status."""
    invoices = [request.invoice] + ([request.late_invoice] if request.late_invoice_id else [])
    for invoice in invoices:
        invoice.refresh_from_db(fields=["status"])
    return invoices


def _new_card_number() -> str:
    return "LC" + secrets.token_hex(5).upper()


def _complete_issue(*, actor: Actor, now: dt.datetime, request: CardRequest) -> LabourCard:
    employment = Employment.objects.select_related(
        "person__nationality", "establishment", "household", "occupation"
    ).get(pk=request.employment_id)
    _check_employment_active(employment)
    if _open_card(employment):
        raise CardAlreadyIssued(_("This worker already has a labour card for this employment."))
    if request.resident_card_number:
        registry.person_update(
            actor=actor,
            now=now,
            person=employment.person,
            values={"civil_number": request.resident_card_number},
        )
        employment.person.refresh_from_db()  # printed on the card and in its event
    card = LabourCard.objects.create(
        number=_new_card_number(),
        employment=employment,
        kind=request.card_kind,
        issued_at=now,
        expiry_date=add_months(timezone.localdate(now), conf.VALIDITY_MONTHS.value),
    )
    document = document_issue(
        actor=actor,
        now=now,
        kind="LABOUR_CARD",
        subject_ref=card.number,
        fields=_card_fields(card),
    )
    LabourCard.objects.filter(pk=card.pk).update(document_code=document.code)
    card.document_code = document.code
    audit.record(
        actor=actor,
        action="labourcard.issued",
        obj=card,
        at=now,
        changes=audit.changes_between(
            {}, audit.snapshot(card, ["number", "kind", "status", "expiry_date"])
        ),
    )
    events.labourcard_issued(card=card, now=now)
    return card


def _complete_renewal(*, actor: Actor, now: dt.datetime, request: CardRequest) -> LabourCard:
    card = LabourCard.objects.select_related(
        "employment__person__nationality",
        "employment__establishment",
        "employment__household",
        "employment__occupation",
    ).get(pk=request.card_id)
    _check_employment_active(card.employment)
    before = audit.snapshot(card, ["status", "expiry_date"])
    start = max(card.expiry_date, timezone.localdate(now))
    _transition(
        card, C.ACTIVE, expiry_date=add_months(start, conf.VALIDITY_MONTHS.value), renewed_at=now
    )
    _card_document_refresh(actor=actor, now=now, card=card, reason="renewal")
    audit.record(
        actor=actor,
        action="labourcard.renewed",
        obj=card,
        at=now,
        changes=audit.changes_between(before, audit.snapshot(card, ["status", "expiry_date"])),
    )
    events.labourcard_renewed(card=card, now=now)
    return card


def _complete_departure_form(*, actor: Actor, now: dt.datetime, request: CardRequest) -> str:
    card = request.card
    person = card.employment.person
    document = document_issue(
        actor=actor,
        now=now,
        kind="DEPARTURE_FORM",
        subject_ref=f"DF-{request.pk}",
        fields=[
            DocumentField.of("card", _("Labour card number"), card.number),
            DocumentField.of("name", _("Name"), person.name_en, person.name_ar or person.name_en),
            DocumentField.of(
                "resident_card", _("Resident card number"), person.civil_number or "-"
            ),
            DocumentField.of("passport", _("Passport number"), person.passport_number or "-"),
            *_employer_fields(card.employment),
        ],
    )
    return document.code


def card_request_complete(*, actor: Actor, now: dt.datetime, request: CardRequest) -> CardRequest:
    """Do what a paid request asked for. Asking again for a completed request is harmless."""
    with transaction.atomic():
        request = CardRequest.objects.select_for_update().get(pk=request.pk)
        if request.status == R.COMPLETED:
            return request
        if request.status != R.AWAITING_PAYMENT:
            raise RequestClosed(_("This request was cancelled."))
        unpaid = [invoice for invoice in _invoices(request) if invoice.status != "PAID"]
        if unpaid:
            raise RequestNotPaid(_("Invoice %(number)s is not paid yet."), number=unpaid[0].number)
        document_code = ""
        if request.kind == CardRequest.Kind.ISSUE:
            request.card = _complete_issue(actor=actor, now=now, request=request)
        elif request.kind == CardRequest.Kind.RENEWAL:
            _complete_renewal(actor=actor, now=now, request=request)
        else:
            document_code = _complete_departure_form(actor=actor, now=now, request=request)
        _move_request(
            request, R.COMPLETED, completed_at=now, card=request.card, document_code=document_code
        )
        audit.record(
            actor=actor,
            action="card_request.completed",
            obj=request,
            at=now,
            changes={"status": [R.AWAITING_PAYMENT, request.status]},
        )
    return request


def card_request_settle_invoice(
    *, actor: Actor, now: dt.datetime, invoice_number: str
) -> CardRequest | None:
    """For the payment flow: complete the open request this paid invoice belongs to, if any
    and if all its invoices are paid."""
    request = (
        CardRequest.objects.filter(status=R.AWAITING_PAYMENT)
        .filter(invoice__number=invoice_number)
        .first()
    ) or (
        CardRequest.objects.filter(
            status=R.AWAITING_PAYMENT, late_invoice__number=invoice_number
        ).first()
    )
    if request is None:
        return None
    try:
        return card_request_complete(actor=actor, now=now, request=request)
    except RequestNotPaid:
        return None


def card_requests_settle_paid(*, actor: Actor, now: dt.datetime) -> int:
    """Complete every open request whose invoices are paid (the daily job's safety net);
    a request that can no longer be completed (the employment ended) is logged and left."""
    completed = 0
    waiting = CardRequest.objects.filter(
        status=R.AWAITING_PAYMENT, invoice__status="PAID"
    ).order_by("id")
    for request in waiting.iterator():
        try:
            card_request_complete(actor=actor, now=now, request=request)
        except RequestNotPaid:
            continue
        except DomainError as error:
            logger.warning("Card request %s not completed: %s", request.pk, error.text("en"))
            continue
        completed += 1
    return completed
