"""Every read of the labour cards app, scoped to what the user may see: an employer sees the
cards, requests and transfers of its own workers only (through the registry's scoping)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from manpower.core.errors import NotFound
from manpower.documents.selectors import document_pdf
from manpower.registry import selectors as registry
from manpower.registry.models import Employment, Establishment, Person

from .models import CardRequest, LabourCard, Transfer
from .services import CardNotFound, WorkerNotFound, renewal_window_days


class RequestNotFound(NotFound):
    code = "card_request_not_found"


class TransferNotFound(NotFound):
    code = "transfer_not_found"


class DocumentNotReady(NotFound):
    code = "document_not_ready"


def cards_of_establishment(*, establishment: Establishment) -> QuerySet[LabourCard]:
    """The establishment's open cards (active or expired), soonest expiry first."""
    return (
        LabourCard.objects.filter(
            employment__establishment=establishment,
            status__in=[LabourCard.Status.ACTIVE, LabourCard.Status.EXPIRED],
        )
        .select_related("employment__person__nationality", "employment__occupation")
        .order_by("expiry_date", "id")
    )


def cards_due_for_renewal(*, establishment: Establishment, today: dt.date) -> list[LabourCard]:
    limit = today + dt.timedelta(days=renewal_window_days())
    return list(cards_of_establishment(establishment=establishment).filter(expiry_date__lte=limit))


def workers_without_card(*, establishment: Establishment) -> QuerySet[Employment]:
    """Active non-national workers with no open card yet (just arrived, or transferred in)."""
    return (
        Employment.objects.filter(
            establishment=establishment,
            status=Employment.Status.ACTIVE,
            person_is_national=False,
        )
        .exclude(labour_cards__status__in=[LabourCard.Status.ACTIVE, LabourCard.Status.EXPIRED])
        .select_related("person", "occupation")
        .order_by("-id")
    )


def card_for_user(*, user, cr_number: str, number: str) -> LabourCard:
    establishment = registry.establishment_for_user(user=user, cr_number=cr_number)
    card = (
        LabourCard.objects.select_related(
            "employment__person__nationality",
            "employment__establishment",
            "employment__occupation",
        )
        .filter(employment__establishment=establishment, number=number)
        .first()
    )
    if card is None:
        raise CardNotFound(
            _("No labour card %(number)s was found for this employer."), number=number
        )
    return card


def employment_for_user(*, user, cr_number: str, employment_id: int) -> Employment:
    establishment = registry.establishment_for_user(user=user, cr_number=cr_number)
    employment = (
        Employment.objects.select_related("person", "establishment")
        .filter(establishment=establishment, pk=employment_id)
        .first()
    )
    if employment is None:
        raise CardNotFound(_("No such worker was found for this employer."))
    return employment


def requests_of_establishment(*, establishment: Establishment) -> QuerySet[CardRequest]:
    return (
        CardRequest.objects.filter(employment__establishment=establishment)
        .select_related("invoice", "late_invoice", "card", "employment__person")
        .order_by("-requested_at", "-id")
    )


def request_for_user(*, user, cr_number: str, request_id: int) -> CardRequest:
    establishment = registry.establishment_for_user(user=user, cr_number=cr_number)
    request = requests_of_establishment(establishment=establishment).filter(pk=request_id).first()
    if request is None:
        raise RequestNotFound(_("No such request was found for this employer."))
    return request


def request_pdf_for_user(*, user, cr_number: str, request_id: int) -> bytes:
    """The printed departure form of a completed request."""
    request = request_for_user(user=user, cr_number=cr_number, request_id=request_id)
    if not request.document_code:
        raise DocumentNotReady(_("The form is printed once its invoice is paid."))
    return document_pdf(code=request.document_code)


def card_pdf_for_user(*, user, cr_number: str, number: str) -> bytes:
    card = card_for_user(user=user, cr_number=cr_number, number=number)
    if not card.document_code:
        raise DocumentNotReady(_("This card has not been printed."))
    return document_pdf(code=card.document_code)


def transfers_for_establishment(*, establishment: Establishment) -> QuerySet[Transfer]:
    """Transfers asked of this employer (its workers) and by it (workers it asked for)."""
    return (
        Transfer.objects.filter(
            Q(from_employment__establishment=establishment) | Q(to_establishment=establishment)
        )
        .select_related("from_employment__person", "from_employment__establishment")
        .select_related("to_establishment")
        .order_by("-requested_at", "-id")
    )


def reminders_by_establishment(*, today: dt.date) -> dict[int, list[LabourCard]]:
    """Active cards expiring within the renewal window, grouped by employer (for notices)."""
    limit = today + dt.timedelta(days=renewal_window_days())
    cards = (
        LabourCard.objects.filter(
            status=LabourCard.Status.ACTIVE, expiry_date__gte=today, expiry_date__lte=limit
        )
        .select_related("employment__establishment")
        .order_by("employment__establishment_id", "expiry_date", "id")
    )
    grouped: dict[int, list[LabourCard]] = defaultdict(list)
    for card in cards.iterator():
        grouped[card.employment.establishment_id].append(card)
    return dict(grouped)


def police_worker_status(*, resident_card_number: str) -> dict:
    """For the police's residence renewals: the worker's current card and employer."""
    person = (
        Person.objects.select_related("nationality")
        .filter(civil_number=resident_card_number, is_national=False)
        .first()
    )
    if person is None:
        raise WorkerNotFound(
            _("No non-national worker with number %(number)s."), number=resident_card_number
        )
    employment = (
        Employment.objects.select_related("establishment")
        .filter(person=person, status=Employment.Status.ACTIVE)
        .first()
    )
    card = (
        LabourCard.objects.filter(employment__person=person).order_by("-issued_at", "-id").first()
    )
    return {
        "resident_card_number": person.civil_number,
        "name_en": person.name_en,
        "name_ar": person.name_ar,
        "nationality": person.nationality.code,
        "employer": {
            "cr_number": employment.establishment.cr_number,
            "name_en": employment.establishment.name_en,
            "name_ar": employment.establishment.name_ar,
        }
        if employment
        else None,
        "labour_card": {
            "number": card.number,
            "status": card.status,
            "kind": card.kind,
            "expiry_date": card.expiry_date,
        }
        if card
        else None,
    }


def employment_to_transfer(*, resident_card_number: str) -> Employment:
    """The current employment of the non-national worker a new employer asks for."""
    employment = (
        Employment.objects.select_related("person", "establishment")
        .filter(
            person__civil_number=resident_card_number.strip(),
            person_is_national=False,
            status=Employment.Status.ACTIVE,
        )
        .first()
    )
    if employment is None:
        raise WorkerNotFound(
            _("No non-national worker with number %(number)s."), number=resident_card_number
        )
    return employment


def transfer_for_current_employer(*, user, cr_number: str, transfer_id: int) -> Transfer:
    """A transfer out of this employer: only the current employer consents or refuses."""
    establishment = registry.establishment_for_user(user=user, cr_number=cr_number)
    transfer = Transfer.objects.filter(
        pk=transfer_id, from_employment__establishment=establishment
    ).first()
    if transfer is None:
        raise TransferNotFound(_("No such transfer was found for this employer."))
    return transfer
