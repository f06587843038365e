"""Every read of the labour cards app, scoped to what the user may see: an employer sees the
cards, requests and transfers of its own workers only (through the registry's scoping). An
employer is an establishment the user represents, or the user's own household: its pages are
those of an establishment, with `household` in place of the CR number."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from manpower.core.errors import NotFound
from manpower.documents.selectors import document_pdf
from manpower.registry import selectors as registry
from manpower.registry.models import Employment, Establishment, Person

from . import conf
from .models import CardRequest, LabourCard, Transfer


class CardNotFound(NotFound):
    code = "labour_card_not_found"


class WorkerNotFound(NotFound):
    code = "worker_not_found"


class RequestNotFound(NotFound):
    code = "card_request_not_found"


class TransferNotFound(NotFound):
    code = "transfer_not_found"


class DocumentNotReady(NotFound):
    code = "document_not_ready"


class HouseholdNotFound(NotFound):
    code = "household_not_found"


# Where an establishment's pages have its CR number, a household's pages have this.
HOUSEHOLD = "household"


@dataclass(frozen=True)
class Employer:
    """Whose workers a page is about: an establishment, or a household (a registry person)."""

    establishment: Establishment | None = None
    household: Person | None = None

    @classmethod
    def of(cls, employment: Employment) -> Employer:
        return cls(establishment=employment.establishment, household=employment.household)

    @property
    def key(self) -> str:
        """The employer's part of its pages' addresses."""
        return self.establishment.cr_number if self.establishment else HOUSEHOLD

    @property
    def name(self) -> str:
        return (self.establishment or self.household).name

    def employments(self, path: str = "") -> Q:
        """The employments of this employer, seen from a model `path` away from Employment."""
        if self.establishment:
            return Q(**{f"{path}establishment": self.establishment})
        return Q(**{f"{path}household": self.household})


def employer_for_user(*, user, key: str) -> Employer:
    """The establishment with CR number `key` that the user represents, or, for `household`,
    the user's own household; anything else is not found."""
    if key != HOUSEHOLD:
        return Employer(establishment=registry.establishment_for_user(user=user, cr_number=key))
    household = registry.household_for_user(user=user)
    if household is None:
        raise HouseholdNotFound(
            _("Your account has no civil number known to the registry, so it has no household.")
        )
    return Employer(household=household)


def cards_of_employer(*, employer: Employer, today: dt.date) -> QuerySet[LabourCard]:
    """The employer's open cards (active or expired), soonest expiry first, each with
    `due_for_renewal` on `today`."""
    return (
        _with_due_for_renewal(LabourCard.objects, today)
        .filter(
            employer.employments("employment__"),
            status__in=[LabourCard.Status.ACTIVE, LabourCard.Status.EXPIRED],
        )
        .select_related("employment__person__nationality", "employment__occupation")
        .order_by("expiry_date", "id")
    )


def renewal_window_end(today: dt.date) -> dt.date:
    """The last expiry date of the cards that can be renewed today."""
    return today + dt.timedelta(days=conf.RENEWAL_WINDOW_DAYS.value)


def _due_for_renewal(today: dt.date) -> Q:
    return ~Q(status=LabourCard.Status.CANCELLED) & Q(expiry_date__lte=renewal_window_end(today))


def _with_due_for_renewal(cards: QuerySet[LabourCard], today: dt.date) -> QuerySet[LabourCard]:
    """Each card with `due_for_renewal`: whether it can be renewed on `today`."""
    return cards.annotate(
        due_for_renewal=ExpressionWrapper(_due_for_renewal(today), output_field=BooleanField())
    )


def is_due_for_renewal(card: LabourCard, today: dt.date) -> bool:
    """Whether the card, as stored, can be renewed on `today` (the renewal request's check)."""
    return LabourCard.objects.filter(_due_for_renewal(today), pk=card.pk).exists()


def cards_due_for_renewal(*, employer: Employer, today: dt.date) -> QuerySet[LabourCard]:
    return cards_of_employer(employer=employer, today=today).filter(_due_for_renewal(today))


CARD_FILTERS = ("due", "expired", "no-card")


def cards_for_list(
    *, employer: Employer, today: dt.date, search: str = "", show: str = ""
) -> QuerySet[LabourCard]:
    """The cards page's list: the employer's open cards, narrowed to those due for renewal
    (expired or expiring within the window) or already expired, and to a worker's name, card,
    resident card or passport number containing `search`. `show="no-card"` lists no card (the
    page lists the workers without one instead)."""
    cards = cards_of_employer(employer=employer, today=today)
    if show == "due":
        cards = cards.filter(expiry_date__lte=renewal_window_end(today))
    elif show == "expired":
        cards = cards.filter(Q(status=LabourCard.Status.EXPIRED) | Q(expiry_date__lt=today))
    elif show == "no-card":
        return cards.none()
    if search:
        cards = cards.filter(
            Q(number__icontains=search)
            | Q(employment__person__name_en__icontains=search)
            | Q(employment__person__name_ar__icontains=search)
            | Q(employment__person__civil_number__icontains=search)
            | Q(employment__person__passport_number__icontains=search)
        )
    return cards


def cards_due_counts(*, establishments: list[Establishment], today: dt.date) -> dict[int, int]:
    """How many cards of each establishment are due for renewal (or expired), in one query."""
    limit = renewal_window_end(today)
    rows = (
        LabourCard.objects.filter(
            employment__establishment__in=establishments,
            status__in=[LabourCard.Status.ACTIVE, LabourCard.Status.EXPIRED],
            expiry_date__lte=limit,
        )
        .values("employment__establishment")
        .annotate(due=Count("id"))
        .order_by()
    )
    return {row["employment__establishment"]: row["due"] for row in rows}


def workers_without_card(*, employer: Employer) -> QuerySet[Employment]:
    """Active non-national workers with no open card yet (just arrived, or transferred in)."""
    return (
        Employment.objects.filter(
            employer.employments(),
            status=Employment.Status.ACTIVE,
            person_is_national=False,
        )
        .exclude(labour_cards__status__in=[LabourCard.Status.ACTIVE, LabourCard.Status.EXPIRED])
        .select_related("person", "occupation")
        .order_by("-id")
    )


def card_for_user(*, user, employer_key: str, number: str, today: dt.date) -> LabourCard:
    """The employer's card, with `due_for_renewal` on `today`."""
    return _card_of_employer(
        _with_due_for_renewal(LabourCard.objects, today),
        user=user,
        employer_key=employer_key,
        number=number,
    )


def _card_of_employer(
    cards: QuerySet[LabourCard], *, user, employer_key: str, number: str
) -> LabourCard:
    employer = employer_for_user(user=user, key=employer_key)
    card = (
        cards.select_related(
            "employment__person__nationality",
            "employment__establishment",
            "employment__household",
            "employment__occupation",
        )
        .filter(employer.employments("employment__"), number=number)
        .first()
    )
    if card is None:
        raise CardNotFound(
            _("No labour card %(number)s was found for this employer."), number=number
        )
    return card


def employment_for_user(*, user, employer_key: str, employment_id: int) -> Employment:
    employer = employer_for_user(user=user, key=employer_key)
    employment = (
        Employment.objects.select_related("person", "establishment", "household")
        .filter(employer.employments(), pk=employment_id)
        .first()
    )
    if employment is None:
        raise CardNotFound(_("No such worker was found for this employer."))
    return employment


def _any_employer(employers: list[Employer], path: str) -> Q:
    found = Q(pk__in=[])
    for employer in employers:
        found |= employer.employments(path)
    return found


def requests_of_employer(*, employer: Employer) -> QuerySet[CardRequest]:
    return requests_of_employers(employers=[employer])


def requests_of_employers(*, employers: list[Employer]) -> QuerySet[CardRequest]:
    """The requests of several employers in one query (a representative's overview)."""
    return (
        CardRequest.objects.filter(_any_employer(employers, "employment__"))
        .select_related("invoice", "late_invoice", "card", "employment__person")
        .order_by("-requested_at", "-id")
    )


def request_for_user(*, user, employer_key: str, request_id: int) -> CardRequest:
    employer = employer_for_user(user=user, key=employer_key)
    request = requests_of_employer(employer=employer).filter(pk=request_id).first()
    if request is None:
        raise RequestNotFound(_("No such request was found for this employer."))
    return request


def request_pdf_for_user(*, user, employer_key: str, request_id: int) -> bytes:
    """The printed departure form of a completed request."""
    request = request_for_user(user=user, employer_key=employer_key, request_id=request_id)
    if not request.document_code:
        raise DocumentNotReady(_("The form is printed once its invoice is paid."))
    return document_pdf(code=request.document_code)


def card_pdf_for_user(*, user, employer_key: str, number: str) -> bytes:
    card = _card_of_employer(
        LabourCard.objects.all(), user=user, employer_key=employer_key, number=number
    )
    if not card.document_code:
        raise DocumentNotReady(_("This card has not been printed."))
    return document_pdf(code=card.document_code)


def transfers_for_establishment(*, establishment: Establishment) -> QuerySet[Transfer]:
    """Transfers asked of this employer (its workers) and by it (workers it asked for)."""
    return transfers_for_establishments(establishments=[establishment])


def transfers_for_establishments(*, establishments: list[Establishment]) -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(
            Q(from_employment__establishment__in=establishments)
            | Q(to_establishment__in=establishments)
        )
        .select_related("from_employment__person", "from_employment__establishment")
        .select_related("to_establishment", "invoice")
        .order_by("-requested_at", "-id")
    )


def reminders_by_employer(*, today: dt.date) -> dict[Employer, list[LabourCard]]:
    """Active cards expiring within the renewal window, grouped by employer (for notices)."""
    limit = renewal_window_end(today)
    cards = (
        LabourCard.objects.filter(
            status=LabourCard.Status.ACTIVE, expiry_date__gte=today, expiry_date__lte=limit
        )
        .select_related("employment__establishment", "employment__household")
        .order_by("expiry_date", "id")
    )
    grouped: dict[Employer, list[LabourCard]] = defaultdict(list)
    for card in cards.iterator():
        grouped[Employer.of(card.employment)].append(card)
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
        Employment.objects.select_related("establishment", "household")
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
        "employer": _employer_of(employment) if employment else None,
        "labour_card": {
            "number": card.number,
            "status": card.status,
            "kind": card.kind,
            "expiry_date": card.expiry_date,
        }
        if card
        else None,
    }


def _employer_of(employment: Employment) -> dict:
    """The sponsor the police know: an establishment by its CR number, a household by its
    holder's civil number."""
    employer = employment.employer
    return {
        "kind": "household" if employment.household_id else "establishment",
        "cr_number": employment.establishment.cr_number if employment.establishment else None,
        "civil_number": employment.household.civil_number if employment.household else None,
        "name_en": employer.name_en,
        "name_ar": employer.name_ar,
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


def transfer_for_new_employer(*, user, cr_number: str, transfer_id: int) -> Transfer:
    """A transfer this employer asked for: only the new employer pays for it or withdraws it."""
    establishment = registry.establishment_for_user(user=user, cr_number=cr_number)
    transfer = Transfer.objects.filter(pk=transfer_id, to_establishment=establishment).first()
    if transfer is None:
        raise TransferNotFound(_("No such transfer was found for this employer."))
    return transfer


# --- For labour care -----------------------------------------------------------------------------


def open_card_of(*, employment_id: int) -> LabourCard | None:
    """The employment's active or expired card, if any: its `worker_status` says whether the
    worker is on legal leave or has left the workplace."""
    return (
        LabourCard.objects.filter(
            employment_id=employment_id,
            status__in=[LabourCard.Status.ACTIVE, LabourCard.Status.EXPIRED],
        )
        .order_by("-id")
        .first()
    )


def transfer_agreed(*, employment_id: int) -> bool:
    """Whether a transfer of this worker has been agreed (waiting only for its fee) or done."""
    return Transfer.objects.filter(
        from_employment_id=employment_id,
        status__in=[Transfer.Status.AWAITING_PAYMENT, Transfer.Status.COMPLETED],
    ).exists()
