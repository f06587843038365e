"""What every labour card service shares: the card's table of allowed status changes, the
the checks on the employer and the employment, the identifiers, the card as printed,
its events and its cancellation.

A card's status moves only along TRANSITIONS, with a conditional update so that two concurrent
changes cannot both succeed.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _

from manpower.core import audit, states
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError, PermissionDenied
from manpower.core.identifiers import (
    normalise_civil_number,
    normalise_passport_number,
    validate_civil_number,
    validate_passport_number,
)
from manpower.documents import selectors as documents
from manpower.documents.services import DocumentField, document_correct
from manpower.registry.models import Employment, Establishment, Person
from manpower.registry.services import IdentifierTaken

from .. import events
from ..models import LabourCard

C = LabourCard.Status

# The one table of allowed card status changes. ACTIVE -> ACTIVE is a renewal before expiry.
TRANSITIONS: dict[str, frozenset[str]] = {
    C.ACTIVE: frozenset({C.ACTIVE, C.EXPIRED, C.CANCELLED}),
    C.EXPIRED: frozenset({C.ACTIVE, C.CANCELLED}),
    C.CANCELLED: frozenset(),
}

# Invoice statuses (payments.Invoice.Status) after which a request can no longer be paid.
LAPSED_INVOICE = ("EXPIRED", "CANCELLED")
PAID_INVOICE = "PAID"
UNPAID_INVOICE = "UNPAID"


# --- Errors --------------------------------------------------------------------------------------


class NationalNeedsNoCard(DomainError):
    code = "national_needs_no_card"


class EmploymentNotActive(Conflict):
    code = "employment_not_active"


class EmployerBlocked(PermissionDenied):
    code = "employer_blocked"


class InvalidIdentifier(DomainError):
    code = "invalid_identifier"
    status = 422

    @classmethod
    def from_validation(cls, error: ValidationError) -> InvalidIdentifier:
        """The validator's own message, still translatable, so the answer is bilingual."""
        first = error.error_list[0]
        return cls(first.message, **(first.params or {}))


class CardStatusConflict(Conflict):
    code = "labour_card_status_conflict"


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
    events.labourcard_cancelled(card=card, reason=reason, now=now)
