"""Every write of the labour cards app: card issue and renewal (paid requests), data
modification, the departure form, police departures, transfers of services, and expiry.

A card's status moves only along TRANSITIONS, with a conditional update so that two concurrent
changes cannot both succeed. A paid request is completed only when its invoices are paid; the
payment flow, the employer's page and the daily job may all ask, and only the first completes it.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.core import audit, states
from manpower.core.actor import Actor
from manpower.core.dates import add_months
from manpower.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from manpower.core.identifiers import (
    normalise_civil_number,
    normalise_passport_number,
    validate_civil_number,
    validate_passport_number,
)
from manpower.core.models import Nationality, Occupation
from manpower.documents import selectors as documents
from manpower.documents.services import DocumentField, document_correct, document_issue
from manpower.integration.services import publish_event
from manpower.licensing import services as licensing
from manpower.notifications import services as notifications
from manpower.payments.services import invoice_cancel, invoice_create
from manpower.registry import selectors as registry_selectors
from manpower.registry import services as registry
from manpower.registry.models import Employment, Establishment, Person
from manpower.registry.services import IdentifierTaken

from .models import CardRequest, LabourCard, PoliceDeparture, Transfer

logger = logging.getLogger(__name__)

C = LabourCard.Status
T = Transfer.Status

# The one table of allowed card status changes. ACTIVE -> ACTIVE is a renewal before expiry.
TRANSITIONS: dict[str, frozenset[str]] = {
    C.ACTIVE: frozenset({C.ACTIVE, C.EXPIRED, C.CANCELLED}),
    C.EXPIRED: frozenset({C.ACTIVE, C.CANCELLED}),
    C.CANCELLED: frozenset(),
}

# The one table of allowed transfer status changes. Consent and payment come in either order:
# consent to an unpaid transfer waits for the payment; a payment before the consent waits for it.
TRANSFER_TRANSITIONS: dict[str, frozenset[str]] = {
    T.AWAITING_CONSENT: frozenset({T.AWAITING_PAYMENT, T.COMPLETED, T.REFUSED, T.CANCELLED}),
    T.AWAITING_PAYMENT: frozenset({T.COMPLETED, T.CANCELLED}),
    T.COMPLETED: frozenset(),
    T.REFUSED: frozenset(),
    T.CANCELLED: frozenset(),
}
OPEN_TRANSFER = (T.AWAITING_CONSENT, T.AWAITING_PAYMENT)

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
# Invoice statuses (payments.Invoice.Status) after which a request can no longer be paid.
LAPSED_INVOICE = ("EXPIRED", "CANCELLED")
PAID_INVOICE = "PAID"
UNPAID_INVOICE = "UNPAID"
DEPARTURE_FORM_FEE = "DEPARTURE_FORM"
TRANSFER_FEE = "TRANSFER_OF_SERVICES"

# Reasons for which a worker may move without the current employer's consent (the ministry's
# circular of 29 July 2021, and unpaid wages); LABOURCARDS_TRANSFER_REASONS_WITHOUT_CONSENT
# may narrow or extend the list.
TRANSFER_REASONS = {
    "PERMIT_EXPIRED_NO_CONTRACT": _("The permit expired and there is no current contract"),
    "CONTRACT_EXPIRED": _("The contract expired"),
    "DISMISSED": _("The employer dismissed the worker"),
    "COURT_ORDER": _("A court ordered it"),
    "FIRM_CLOSED": _("The employer closed or went bankrupt"),
    "UNPAID_WAGES": _("The employer did not pay the wages"),
}


def setting(name: str, default):
    """A labour cards setting (a ministerial decision), with its default."""
    return getattr(settings, name, default)


def validity_months() -> int:
    return setting("LABOURCARDS_VALIDITY_MONTHS", 24)


def renewal_window_days() -> int:
    return setting("LABOURCARDS_RENEWAL_WINDOW_DAYS", 30)


def transfer_reasons_without_consent() -> list[str]:
    return list(setting("LABOURCARDS_TRANSFER_REASONS_WITHOUT_CONSENT", list(TRANSFER_REASONS)))


# --- Errors --------------------------------------------------------------------------------------


class CardNotFound(NotFound):
    code = "labour_card_not_found"


class NationalNeedsNoCard(DomainError):
    code = "national_needs_no_card"


class EmploymentNotActive(Conflict):
    code = "employment_not_active"


class EmployerBlocked(PermissionDenied):
    code = "employer_blocked"


class CardAlreadyIssued(Conflict):
    code = "labour_card_already_issued"


class RequestPending(Conflict):
    code = "card_request_pending"


class RequestNotPaid(Conflict):
    code = "card_request_not_paid"


class RequestClosed(Conflict):
    code = "card_request_closed"


class InvalidIdentifier(DomainError):
    code = "invalid_identifier"
    status = 422

    @classmethod
    def from_validation(cls, error: ValidationError) -> InvalidIdentifier:
        """The validator's own message, still translatable, so the answer is bilingual."""
        first = error.error_list[0]
        return cls(first.message, **(first.params or {}))


class NotDueForRenewal(Conflict):
    code = "not_due_for_renewal"


class CardStatusConflict(Conflict):
    code = "labour_card_status_conflict"


class NothingChanged(DomainError):
    code = "nothing_changed"


class IdentifierRequired(DomainError):
    code = "identifier_required"


class WorkerNotFound(NotFound):
    code = "worker_not_found"


class HouseholdWithoutAccount(Conflict):
    code = "household_without_account"


class HouseholdCardIsPrivate(DomainError):
    code = "household_card_is_private"


class AmbiguousPassport(Conflict):
    code = "ambiguous_passport"


class HouseholdWorkerNotTransferable(Conflict):
    code = "household_worker_not_transferable"


class UnknownTransferReason(DomainError):
    code = "unknown_transfer_reason"
    status = 422


class SameEmployer(DomainError):
    code = "same_employer"


class TransferPending(Conflict):
    code = "transfer_pending"


class TransferClosed(Conflict):
    code = "transfer_closed"


class TransferNotPaid(Conflict):
    code = "transfer_not_paid"


# --- Dates and fees ------------------------------------------------------------------------------


def months_late(*, expiry_date: dt.date, today: dt.date) -> int:
    """Months or parts of a month since the card expired (0 while it is still valid)."""
    if today <= expiry_date:
        return 0
    months = (today.year - expiry_date.year) * 12 + today.month - expiry_date.month
    return months + 1 if today.day > expiry_date.day else months


def late_months_billed(late: int) -> int:
    """RO 10 a month late, at most RO 500 (MD 602/2025): the months that are billed."""
    per_month = setting("LABOURCARDS_LATE_FEE_PER_MONTH_BAISA", 10_000)
    cap = setting("LABOURCARDS_LATE_FEE_CAP_BAISA", 500_000)
    return min(late, cap // per_month)


def is_due_for_renewal(card: LabourCard, today: dt.date) -> bool:
    return card.status != C.CANCELLED and card.expiry_date <= today + dt.timedelta(
        days=renewal_window_days()
    )


# --- Shared checks -------------------------------------------------------------------------------


def _check_employer_open(establishment: Establishment | None) -> None:
    """A suspended or closed establishment gets no card service. A household (`None` here) has
    no status in the registry, so nothing blocks it: its worker's employment must be active, as
    any worker's, and its fees are paid before a card is issued or renewed."""
    if establishment is not None and establishment.status != Establishment.Status.ACTIVE:
        raise EmployerBlocked(
            _("The employer's services are stopped: the establishment is %(state)s."),
            state=establishment.get_status_display(),
        )


def _check_employment_active(employment: Employment) -> None:
    if employment.status != Employment.Status.ACTIVE:
        raise EmploymentNotActive(_("This worker's employment has ended."))


def _transition(card: LabourCard, to: str, **fields) -> None:
    states.transition(card, to, table=TRANSITIONS, error=CardStatusConflict, **fields)


def _violates(error: IntegrityError, constraint: str, sqlite_columns: str) -> bool:
    """Whether the error is that unique constraint: PostgreSQL names it, SQLite its columns."""
    return constraint in str(error) or sqlite_columns in str(error)


def _open_card(employment: Employment) -> LabourCard | None:
    return (
        LabourCard.objects.filter(employment=employment, status__in=[C.ACTIVE, C.EXPIRED])
        .order_by("-id")
        .first()
    )


def resident_number(value: str) -> str:
    """A resident card number as stored; a malformed one is a 422 problem in both languages."""
    number = normalise_civil_number(value)
    try:
        validate_civil_number(number)
    except ValidationError as error:
        raise InvalidIdentifier.from_validation(error) from error
    return number


def _passport_number(value: str) -> str:
    number = normalise_passport_number(value)
    try:
        validate_passport_number(number)
    except ValidationError as error:
        raise InvalidIdentifier.from_validation(error) from error
    return number


def _check_number_free(person: Person, civil_number: str) -> None:
    if Person.objects.filter(civil_number=civil_number).exclude(pk=person.pk).exists():
        raise IdentifierTaken(
            _("Resident card number %(number)s belongs to another person."), number=civil_number
        )


# --- Paid requests: issue, renewal, departure form -----------------------------------------------


def _cancel_lapsed_requests(
    *, actor: Actor, now: dt.datetime, employment: Employment, kind: str
) -> None:
    """A waiting request whose invoice expired or was cancelled can no longer be paid: close
    it, so that the employer can ask again."""
    lapsed = CardRequest.objects.filter(
        employment=employment, kind=kind, status=CardRequest.Status.AWAITING_PAYMENT
    ).filter(Q(invoice__status__in=LAPSED_INVOICE) | Q(late_invoice__status__in=LAPSED_INVOICE))
    for request in lapsed:
        CardRequest.objects.filter(pk=request.pk).update(status=CardRequest.Status.CANCELLED)
        audit.record(
            actor=actor,
            action="card_request.cancelled",
            obj=request,
            at=now,
            changes={"status": [request.status, CardRequest.Status.CANCELLED]},
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
            if late_months_billed(late_months):
                late_invoice = invoice_create(
                    actor=actor,
                    now=now,
                    service_code=LATE_RENEWAL_FEE,
                    quantity=late_months_billed(late_months),
                    **payer,
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
            date=(card.expiry_date - dt.timedelta(days=renewal_window_days())).strftime("%d/%m/%Y"),
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


def _employer_fields(employment: Employment) -> list[DocumentField]:
    """The employer as printed: an establishment with its CR number, a household with its
    holder's civil number."""
    employer = employment.employer
    name = DocumentField.of("employer", _("Employer"), employer.name_en, employer.name_ar)
    if employment.establishment:
        number = employment.establishment.cr_number
        return [name, DocumentField.of("cr_number", _("Commercial registration"), number)]
    number = employment.household.civil_number or "-"
    return [name, DocumentField.of("household", _("Household civil number"), number)]


def _card_fields(card: LabourCard) -> list[DocumentField]:
    person = card.employment.person
    return [
        DocumentField.of("number", _("Labour card number"), card.number),
        DocumentField.of("name", _("Name"), person.name_en, person.name_ar or person.name_en),
        DocumentField.of("resident_card", _("Resident card number"), person.civil_number or "-"),
        DocumentField.of("passport", _("Passport number"), person.passport_number or "-"),
        DocumentField.of(
            "nationality", _("Nationality"), person.nationality.name_en, person.nationality.name_ar
        ),
        *_employer_fields(card.employment),
        DocumentField.of(
            "occupation",
            _("Occupation"),
            card.employment.occupation.name_en,
            card.employment.occupation.name_ar,
        ),
        DocumentField.of("kind", _("Kind"), LabourCard.Kind(card.kind).label),
        DocumentField.of("expiry_date", _("Valid until"), card.expiry_date.strftime("%d/%m/%Y")),
    ]


def _card_document_refresh(*, actor: Actor, now: dt.datetime, card: LabourCard, reason: str):
    """Print the card again with its current data; the earlier print is superseded."""
    if not card.document_code:
        return
    previous = documents.document_by_code(card.document_code)
    successor = document_correct(
        actor=actor, now=now, document=previous, fields=_card_fields(card), reason=reason
    )
    LabourCard.objects.filter(pk=card.pk).update(document_code=successor.code)
    card.document_code = successor.code


def _publish(card: LabourCard, event_type: str, *, now: dt.datetime, **details) -> None:
    establishment = card.employment.establishment  # None for a household's worker
    publish_event(
        subject=f"labourcard:{card.number}",
        event_type=event_type,
        payload={
            "card": card.number,
            "status": card.status,
            "kind": card.kind,
            "expiry_date": card.expiry_date.isoformat(),
            "resident_card_number": card.employment.person.civil_number,
            "cr_number": establishment.cr_number if establishment else None,
            **details,
        },
        now=now,
    )


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
    card = LabourCard.objects.create(
        number=_new_card_number(),
        employment=employment,
        kind=request.card_kind,
        issued_at=now,
        expiry_date=add_months(timezone.localdate(now), validity_months()),
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
    _publish(card, "labourcard.issued", now=now)
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
    _transition(card, C.ACTIVE, expiry_date=add_months(start, validity_months()), renewed_at=now)
    _card_document_refresh(actor=actor, now=now, card=card, reason="renewal")
    audit.record(
        actor=actor,
        action="labourcard.renewed",
        obj=card,
        at=now,
        changes=audit.changes_between(before, audit.snapshot(card, ["status", "expiry_date"])),
    )
    _publish(card, "labourcard.renewed", now=now)
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
        if request.status == CardRequest.Status.COMPLETED:
            return request
        if request.status != CardRequest.Status.AWAITING_PAYMENT:
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
        CardRequest.objects.filter(pk=request.pk).update(
            status=CardRequest.Status.COMPLETED,
            completed_at=now,
            card=request.card,
            document_code=document_code,
        )
        request.refresh_from_db()
        audit.record(
            actor=actor,
            action="card_request.completed",
            obj=request,
            at=now,
            changes={"status": [CardRequest.Status.AWAITING_PAYMENT, request.status]},
        )
    return request


def card_request_settle_invoice(
    *, actor: Actor, now: dt.datetime, invoice_number: str
) -> CardRequest | None:
    """For the payment flow: complete the open request this paid invoice belongs to, if any
    and if all its invoices are paid."""
    request = (
        CardRequest.objects.filter(status=CardRequest.Status.AWAITING_PAYMENT)
        .filter(invoice__number=invoice_number)
        .first()
    ) or (
        CardRequest.objects.filter(
            status=CardRequest.Status.AWAITING_PAYMENT, late_invoice__number=invoice_number
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
        status=CardRequest.Status.AWAITING_PAYMENT, invoice__status="PAID"
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


# --- Departure reported by the police ------------------------------------------------------------


def _cancel_card(*, actor: Actor, now: dt.datetime, card: LabourCard, reason: str) -> None:
    before = audit.snapshot(card, ["status"])
    _transition(card, C.CANCELLED, closed_at=now, close_reason=reason)
    audit.record(
        actor=actor,
        action="labourcard.cancelled",
        obj=card,
        at=now,
        changes={
            **audit.changes_between(before, audit.snapshot(card, ["status"])),
            "reason": reason,
        },
    )
    _publish(card, "labourcard.cancelled", now=now, reason=reason)


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


# --- Transfer of services ------------------------------------------------------------------------


def _transfer_paid(transfer: Transfer) -> bool:
    """Whether the new employer has paid the transfer fee (the invoice as the caller read it)."""
    return transfer.invoice_id is not None and transfer.invoice.status == PAID_INVOICE


def _locked_transfer(transfer: Transfer) -> Transfer:
    """The transfer, then its invoice, both rows locked (on PostgreSQL), so that a payment being
    applied (it locks the invoice) and a consent being given wait for each other and the second
    one sees the first. Two statements: PostgreSQL locks no row of an outer join's nullable side.
    """
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.invoice_id is not None:
        invoices = Transfer._meta.get_field("invoice").related_model.objects
        transfer.invoice = invoices.select_for_update().get(pk=transfer.invoice_id)
    return transfer


def _move_transfer(transfer: Transfer, to: str, **fields) -> None:
    states.transition(transfer, to, table=TRANSFER_TRANSITIONS, error=TransferClosed, **fields)


def _cancel_unpaid_fee(*, actor: Actor, now: dt.datetime, transfer: Transfer, reason: str) -> None:
    """A transfer that will not happen leaves no fee to pay; a fee already paid is refunded by
    an officer (payments' refund), not here."""
    if transfer.invoice_id is not None and transfer.invoice.status == UNPAID_INVOICE:
        invoice_cancel(actor=actor, now=now, invoice=transfer.invoice, reason=reason)


def _complete_transfer(*, actor: Actor, now: dt.datetime, transfer: Transfer) -> Transfer:
    """End the old employment and start the new one, in the caller's transaction."""
    old = Employment.objects.select_related("person", "establishment").get(
        pk=transfer.from_employment_id
    )
    _check_employment_active(old)
    _check_employer_open(transfer.to_establishment)
    licensing.vacancy_use_held(actor=actor, vacancy=transfer.vacancy, now=now)
    today = timezone.localdate(now)
    card = _open_card(old)
    registry.employment_end(
        actor=actor, employment=old, end_date=max(today, old.start_date), now=now
    )
    if card:
        _cancel_card(actor=actor, now=now, card=card, reason="TRANSFERRED")
    new = registry.employment_start(
        actor=actor,
        person=old.person,
        establishment=transfer.to_establishment,
        occupation=transfer.occupation,
        start_date=max(today, old.start_date),
        basic_wage_baisa=transfer.basic_wage_baisa,
        now=now,
    )
    before = audit.snapshot(transfer, ["status", "to_employment_id"])
    _move_transfer(transfer, T.COMPLETED, to_employment=new, decided_at=now)
    audit.record(
        actor=actor,
        action="transfer.completed",
        obj=transfer,
        at=now,
        changes=audit.changes_between(
            before, audit.snapshot(transfer, ["status", "to_employment_id"])
        ),
    )
    _notify_transfer(transfer, now)
    return transfer


def transfers_close_lapsed(
    *, actor: Actor, now: dt.datetime, employment: Employment | None = None
) -> int:
    """Close the open transfers whose fee can no longer be paid (the invoice expired or was
    cancelled): they can never complete, and each frees its vacancy and lets another employer
    ask for the worker. All of them (the daily job), or one worker's (before a new request).
    """
    lapsed = Transfer.objects.filter(status__in=OPEN_TRANSFER, invoice__status__in=LAPSED_INVOICE)
    if employment is not None:
        lapsed = lapsed.filter(from_employment=employment)
    closed = 0
    for transfer in lapsed:
        try:
            with transaction.atomic():
                _close_transfer(
                    actor=actor,
                    now=now,
                    transfer=transfer,
                    open_states=OPEN_TRANSFER,
                    to=T.CANCELLED,
                    reason="Transfer fee not paid in time",
                )
        except TransferClosed:
            continue  # decided meanwhile
        closed += 1
    return closed


def transfer_request(
    *,
    actor: Actor,
    now: dt.datetime,
    employment: Employment,
    to_establishment: Establishment,
    licence_number: str,
    occupation: Occupation,
    basic_wage_baisa: int,
    reason: str = "",
) -> Transfer:
    """The new employer asks for a worker and is billed the transfer fee. Without a reason the
    current employer must agree; with a reason from the no-consent list only the fee is
    awaited. The worker moves when the fee is paid and the consent given, in either order.

    A free vacancy of the new employer's licence is held now, so that no fee is billed for a
    transfer that cannot happen; it is used when the worker moves, freed if the transfer ends.

    Not checked yet: an approved absconding report bars the transfer (labourcare has no such
    report yet).
    """
    if employment.person_is_national:
        raise NationalNeedsNoCard(_("A national does not need a labour card."))
    if employment.household_id:
        raise HouseholdWorkerNotTransferable(
            _("Worker %(number)s is a household's domestic worker and cannot be transferred."),
            number=employment.person.civil_number,
        )
    _check_employment_active(employment)
    _check_employer_open(to_establishment)
    if employment.establishment_id == to_establishment.pk:
        raise SameEmployer(_("The worker already works for this employer."))
    if reason and reason not in transfer_reasons_without_consent():
        raise UnknownTransferReason(
            _("The reason %(reason)s does not allow a transfer without consent."), reason=reason
        )
    try:
        with transaction.atomic():
            transfers_close_lapsed(actor=actor, now=now, employment=employment)
            if Transfer.objects.filter(
                from_employment=employment, status__in=OPEN_TRANSFER
            ).exists():  # said before the vacancy; the unique index settles a race
                raise _transfer_pending()
            vacancy = licensing.vacancy_hold_for_transfer(
                actor=actor,
                licence_number=licence_number.strip(),
                establishment=to_establishment,
                occupation_code=occupation.pk,
                nationality=employment.person.nationality_id,
                gender=employment.person.gender,
                now=now,
            )
            invoice = invoice_create(
                actor=actor,
                now=now,
                service_code=TRANSFER_FEE,
                payer_cr_number=to_establishment.cr_number,
            )
            transfer = Transfer.objects.create(
                from_employment=employment,
                to_establishment=to_establishment,
                licence_number=licence_number.strip(),
                vacancy=vacancy,
                occupation=occupation,
                basic_wage_baisa=basic_wage_baisa,
                reason=reason,
                invoice=invoice,
                status=T.AWAITING_PAYMENT if reason else T.AWAITING_CONSENT,
                requested_at=now,
            )
            audit.record(
                actor=actor,
                action="transfer.requested",
                obj=transfer,
                at=now,
                changes={
                    "from_employment": employment.pk,
                    "to_establishment": to_establishment.cr_number,
                    "licence": licence_number.strip(),
                    "reason": reason,
                    "status": [None, transfer.status],
                    "invoice": invoice.number,
                },
            )
            _notify_transfer(transfer, now)
    except IntegrityError as exc:
        if not _violates(
            exc, "one_open_transfer_per_employment", "labourcards_transfer.from_employment_id"
        ):
            raise
        raise _transfer_pending() from exc
    return transfer


def _transfer_pending() -> TransferPending:
    return TransferPending(
        _("A transfer of this worker is already waiting for consent or payment.")
    )


def transfer_consent(*, actor: Actor, now: dt.datetime, transfer: Transfer) -> Transfer:
    """The current employer agrees: the worker moves now if the new employer has paid the fee,
    else as soon as it pays."""
    with transaction.atomic():
        transfer = _locked_transfer(transfer)
        if transfer.status != T.AWAITING_CONSENT:
            raise TransferClosed(_("This transfer has already been decided."))
        paid = _transfer_paid(transfer)
        audit.record(
            actor=actor,
            action="transfer.consented",
            obj=transfer,
            at=now,
            changes={"status": [T.AWAITING_CONSENT, T.COMPLETED if paid else T.AWAITING_PAYMENT]},
        )
        if paid:
            return _complete_transfer(actor=actor, now=now, transfer=transfer)
        _move_transfer(transfer, T.AWAITING_PAYMENT)
    return transfer


def _close_transfer(
    *, actor: Actor, now: dt.datetime, transfer: Transfer, open_states, to: str, reason: str
) -> Transfer:
    """End a transfer without moving the worker; its unpaid fee is cancelled."""
    transfer = _locked_transfer(transfer)
    if transfer.status not in open_states:
        raise TransferClosed(_("This transfer has already been decided."))
    before = transfer.status
    _move_transfer(transfer, to, decided_at=now)
    licensing.vacancy_release_held(actor=actor, vacancy=transfer.vacancy, now=now)
    _cancel_unpaid_fee(actor=actor, now=now, transfer=transfer, reason=reason)
    audit.record(
        actor=actor,
        action=f"transfer.{to.lower()}",
        obj=transfer,
        at=now,
        changes={"status": [before, to], "reason": reason},
    )
    return transfer


def transfer_refuse(*, actor: Actor, now: dt.datetime, transfer: Transfer) -> Transfer:
    """The current employer refuses: the transfer ends and its unpaid fee is cancelled."""
    with transaction.atomic():
        transfer = _close_transfer(
            actor=actor,
            now=now,
            transfer=transfer,
            open_states={T.AWAITING_CONSENT},
            to=T.REFUSED,
            reason="Transfer refused by the employer",
        )
        _notify_transfer(transfer, now)
    return transfer


def transfer_cancel(*, actor: Actor, now: dt.datetime, transfer: Transfer) -> Transfer:
    """The new employer withdraws its request before the worker moved; the unpaid fee is
    cancelled."""
    with transaction.atomic():
        return _close_transfer(
            actor=actor,
            now=now,
            transfer=transfer,
            open_states=OPEN_TRANSFER,
            to=T.CANCELLED,
            reason="Transfer withdrawn by the employer",
        )


def transfer_payment_confirm(*, actor: Actor, now: dt.datetime, transfer: Transfer) -> Transfer:
    """Once the fee is paid, a transfer that has its consent (or needs none) completes; one
    still waiting for consent is left to the current employer. Asking again is harmless."""
    with transaction.atomic():
        transfer = _locked_transfer(transfer)
        if transfer.status in (T.COMPLETED, T.AWAITING_CONSENT):
            return transfer
        if transfer.status != T.AWAITING_PAYMENT:
            raise TransferClosed(_("This transfer has already been decided."))
        if not _transfer_paid(transfer):
            raise TransferNotPaid(
                _("Invoice %(number)s is not paid yet."), number=transfer.invoice.number
            )
        return _complete_transfer(actor=actor, now=now, transfer=transfer)


def transfer_settle_invoice(
    *, actor: Actor, now: dt.datetime, invoice_number: str
) -> Transfer | None:
    """For the payment flow: complete the transfer this paid fee belongs to, if it has its
    consent; None when the invoice is not a waiting transfer's fee."""
    transfer = Transfer.objects.filter(
        status=T.AWAITING_PAYMENT, invoice__number=invoice_number
    ).first()
    if transfer is None:
        return None
    return transfer_payment_confirm(actor=actor, now=now, transfer=transfer)


def transfers_settle_paid(*, actor: Actor, now: dt.datetime) -> int:
    """Complete every transfer whose consent is given and fee paid (the daily job's safety net
    for the `invoice_paid` receiver); one that cannot complete now is logged and left."""
    completed = 0
    waiting = Transfer.objects.filter(
        status=T.AWAITING_PAYMENT, invoice__status=PAID_INVOICE
    ).order_by("id")
    for transfer in waiting.iterator():
        try:
            transfer_payment_confirm(actor=actor, now=now, transfer=transfer)
        except DomainError as error:
            logger.warning("Transfer %s not completed: %s", transfer.pk, error.text("en"))
            continue
        completed += 1
    return completed


# --- Expiry --------------------------------------------------------------------------------------


def cards_expire(*, actor: Actor, now: dt.datetime) -> int:
    """Mark every active card past its date as expired; returns how many."""
    due = LabourCard.objects.filter(status=C.ACTIVE, expiry_date__lt=timezone.localdate(now))
    return states.sweep(
        due,
        C.EXPIRED,
        table=TRANSITIONS,
        error=CardStatusConflict,
        actor=actor,
        action="labourcard.expired",
        at=now,
    )


# --- Notices -------------------------------------------------------------------------------------


# Who is told of a transfer in each status (its current or new employer), and what.
TRANSFER_NOTICES = {
    T.AWAITING_CONSENT: (
        "current",
        _("A transfer of your worker %(worker)s awaits your consent"),
        _(
            "%(new)s asks that %(worker)s (%(number)s) move to it. Consent or refuse on your "
            "labour cards page."
        ),
    ),
    T.COMPLETED: (
        "new",
        _("Transfer of %(worker)s completed"),
        _(
            "%(worker)s (%(number)s) now works for %(new)s. Request the worker's labour card "
            "on your labour cards page."
        ),
    ),
    T.REFUSED: (
        "new",
        _("Transfer of %(worker)s refused"),
        _("%(current)s refused to let %(worker)s (%(number)s) move to %(new)s."),
    ),
}


def _notify_transfer(transfer: Transfer, now: dt.datetime) -> None:
    """A transfer waiting for consent is told to the current employer; a completed or refused
    one to the new employer. Other steps are the new employer's own, so they tell nobody."""
    if transfer.status not in TRANSFER_NOTICES:
        return
    to, subject, body = TRANSFER_NOTICES[transfer.status]
    old = transfer.from_employment
    person = old.person
    employers = {"current": old.establishment, "new": transfer.to_establishment}
    params = {
        "worker": notifications.localised(person.name_ar, person.name_en),
        "number": person.civil_number or person.passport_number,
        **{
            role: notifications.localised(employer.name_ar, employer.name_en)
            for role, employer in employers.items()
        },
    }
    establishment = employers[to]
    notifications.notify_establishment(
        establishment=establishment,
        subject=notifications.message(subject, **params),
        body=notifications.message(body, **params),
        link=reverse("labourcards:cards", args=[establishment.cr_number]) + "#transfers-title",
        now=now,
    )
