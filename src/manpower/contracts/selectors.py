"""Every read of contracts and ends of service that the portal, the API and the partner API
make, scoped to the reader: an establishment's representatives see its contracts, a worker sees
the contracts they are party to, officers see the waiting contracts and the objections. A record
outside the reader's scope is reported as not found, so its existence is not disclosed.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from manpower.core.errors import NotFound
from manpower.documents import selectors as documents
from manpower.registry import selectors as registry
from manpower.registry.models import Employment, Establishment, Person

from .models import Contract, ContractAmendment, EndOfService

S = Contract.Status
PENDING = (S.SUBMITTED, S.AWAITING_INSURANCE)
REJECTED = (S.REFUSED_BY_WORKER, S.REJECTED)
CONTRACT_ROW = ("person", "occupation", "establishment")


class ContractNotFound(NotFound):
    code = "contract_not_found"


class EmploymentNotFound(NotFound):
    code = "employment_not_found"


class NotStaff(NotFound):
    code = "staff_only"


def _not_found(number: str) -> ContractNotFound:
    return ContractNotFound(_("No contract %(number)s was found in your account."), number=number)


# --- The employer's side -------------------------------------------------------------------------


def establishment_for_user(*, user, cr_number: str) -> Establishment:
    return registry.establishment_for_user(user=user, cr_number=cr_number)


def contracts_of_establishment(*, establishment: Establishment) -> QuerySet[Contract]:
    """Newest first, with what a list shows (four queries per page, whatever its length).

    Prefetched, not joined: the page's query stays on one table, which PostgreSQL reads along
    the (establishment, -id) index and stops at the page's last row even with the generic plan
    of a prepared statement (`DATABASE_PREPARED_STATEMENTS`); joined, that plan joins and sorts
    every contract of a large establishment (bench/contracts_lists.py)."""
    return (
        Contract.objects.filter(establishment=establishment)
        .prefetch_related(*CONTRACT_ROW)
        .order_by("-id")
    )


def contract_for_establishment(*, establishment: Establishment, number: str) -> Contract:
    contract = (
        Contract.objects.filter(establishment=establishment, number=number.strip())
        .select_related(*CONTRACT_ROW, "governorate", "wilayat", "employment")
        .first()
    )
    if contract is None:
        raise _not_found(number)
    return contract


def employment_of_establishment(*, establishment: Establishment, employment_id: int) -> Employment:
    """An active worker of the establishment, national or not (for a termination)."""
    employment = (
        Employment.objects.filter(
            establishment=establishment, pk=employment_id, status=Employment.Status.ACTIVE
        )
        .select_related("person", "occupation", "establishment")
        .first()
    )
    if employment is None:
        raise EmploymentNotFound(_("This worker was not found among your active workers."))
    return employment


def workers_to_end(*, establishment: Establishment) -> QuerySet[Employment]:
    """Active workers whose service no resignation or termination ends yet, newest first.

    `NOT IN` the establishment's ends rather than a join on them, and the person and occupation
    prefetched: PostgreSQL then walks the ledger's (establishment, status, id) index backwards
    and stops at the page's last row, instead of joining every worker of a large establishment
    and sorting them (bench/contracts_lists.py: 35-95 ms for 13,000 workers)."""
    ended = EndOfService.objects.filter(employment__establishment=establishment)
    return (
        registry.establishment_workers(establishment=establishment)
        .exclude(pk__in=ended.values("employment_id"))
        .select_related(None)
        .prefetch_related("person", "occupation")
    )


def ends_of_establishment(*, establishment: Establishment) -> QuerySet[EndOfService]:
    return (
        EndOfService.objects.filter(employment__establishment=establishment)
        .select_related("employment__person", "contract")
        .order_by("-submitted_at", "-id")
    )


# --- The worker's side ---------------------------------------------------------------------------


def worker_person(*, user) -> Person | None:
    """The registry person of a signed-in individual (by the account's civil number)."""
    if not user.is_authenticated or not user.civil_number or user.is_ministry_staff:
        return None
    return Person.objects.filter(civil_number=user.civil_number).first()


def contracts_of_worker(*, user) -> QuerySet[Contract]:
    person = worker_person(user=user)
    if person is None:
        return Contract.objects.none()
    return Contract.objects.filter(person=person).select_related(*CONTRACT_ROW).order_by("-id")


def contract_for_worker(*, user, number: str) -> Contract:
    contract = (
        contracts_of_worker(user=user)
        .select_related("governorate", "wilayat", "employment")
        .filter(number=number.strip())
        .first()
    )
    if contract is None:
        raise _not_found(number)
    return contract


def employments_of_worker(*, user) -> QuerySet[Employment]:
    """The worker's active employments (a non-national's too), with any end of service."""
    person = worker_person(user=user)
    if person is None:
        return Employment.objects.none()
    return (
        Employment.objects.filter(person=person, status=Employment.Status.ACTIVE)
        .select_related("establishment", "household", "occupation")
        .order_by("-id")
    )


def employment_for_worker(*, user, employment_id: int) -> Employment:
    employment = employments_of_worker(user=user).filter(pk=employment_id).first()
    if employment is None:
        raise EmploymentNotFound(_("This employment was not found in your account."))
    return employment


def ends_of_worker(*, user) -> QuerySet[EndOfService]:
    person = worker_person(user=user)
    if person is None:
        return EndOfService.objects.none()
    return (
        EndOfService.objects.filter(employment__person=person)
        .select_related("employment__establishment", "employment__household", "contract")
        .order_by("-submitted_at", "-id")
    )


def end_for_worker(*, user, end_id: int) -> EndOfService:
    end = ends_of_worker(user=user).filter(pk=end_id).first()
    if end is None:
        raise NotFound(
            _("This end of service was not found in your account."),
            code="end_of_service_not_found",
        )
    return end


def amendments_of(*, contract: Contract) -> QuerySet[ContractAmendment]:
    return contract.amendments.select_related("occupation").order_by("-proposed_at", "-id")


def contract_certificate_pdf(*, contract: Contract) -> bytes:
    """The signed certificate of a contract the caller may see; NotFound until it is issued."""
    if not contract.document_code:
        raise ContractNotFound(
            _("This contract has no certificate yet."), code="certificate_not_issued"
        )
    return bytes(documents.document_by_code(contract.document_code).pdf)


def amendment_proposed(*, contract: Contract) -> ContractAmendment | None:
    return amendments_of(contract=contract).filter(status=ContractAmendment.Status.PROPOSED).first()


# --- Officers ------------------------------------------------------------------------------------


def _require_staff(user) -> None:
    if not (user.is_authenticated and user.is_ministry_staff):
        raise NotStaff(_("Only ministry staff may see this."))


def contracts_waiting_for_insurance(*, user) -> QuerySet[Contract]:
    """The contracts social insurance has not answered for, oldest first."""
    _require_staff(user)
    return (
        Contract.objects.filter(status=S.AWAITING_INSURANCE)
        .select_related(*CONTRACT_ROW)
        .order_by("worker_decided_at", "id")
    )


def contract_for_officer(*, user, number: str) -> Contract:
    _require_staff(user)
    contract = Contract.objects.filter(number=number.strip()).select_related(*CONTRACT_ROW).first()
    if contract is None:
        raise _not_found(number)
    return contract


def objections(*, user) -> QuerySet[EndOfService]:
    """Terminations the worker objected to, newest first."""
    _require_staff(user)
    return (
        EndOfService.objects.filter(objected_at__isnull=False)
        .select_related("employment__person", "employment__establishment", "contract")
        .order_by("-objected_at", "-id")
    )


# --- For other apps ------------------------------------------------------------------------------


def terminated_by_employer(*, employment_id: int) -> bool:
    """Whether the employer has terminated this employment's service (a fact that lets a
    non-national transfer without the employer's consent)."""
    return EndOfService.objects.filter(
        employment_id=employment_id, kind=EndOfService.Kind.TERMINATION
    ).exists()


def contracts_of_person(*, civil_number: str) -> QuerySet[Contract]:
    """Every contract of the person under a civil number (social insurance's view)."""
    return (
        Contract.objects.filter(person__civil_number=civil_number.strip())
        .select_related(*CONTRACT_ROW)
        .order_by("-id")
    )


COUNT_GROUPS = {
    "month": TruncMonth("submitted_at"),
    "establishment": F("establishment__cr_number"),
    "governorate": F("governorate_id"),
}


def contract_counts(*, by: str, since=None, until=None) -> list[dict]:
    """Contracts registered, accepted (ever, ended ones included), rejected (by the worker, social
    insurance or an officer) and pending, per month of registration, establishment or
    governorate of work, in one grouped query (the statistics reuse it)."""
    group = COUNT_GROUPS[by]
    rows = Contract.objects.all()
    if since is not None:
        rows = rows.filter(submitted_at__gte=since)
    if until is not None:
        rows = rows.filter(submitted_at__lt=until)
    return list(
        rows.annotate(key=group)
        .values("key")
        .annotate(
            registered=Count("id"),
            accepted=Count("id", filter=Q(status__in=[S.ACCEPTED, S.ENDED])),
            rejected=Count("id", filter=Q(status__in=REJECTED)),
            pending=Count("id", filter=Q(status__in=PENDING)),
        )
        .order_by("key")
    )


def resignation_recorded(*, employment_id: int) -> bool:
    """Whether the worker's resignation from this employment has been recorded (labour care
    refuses an absconding report against a worker who resigned)."""
    return EndOfService.objects.filter(
        employment_id=employment_id, kind=EndOfService.Kind.RESIGNATION
    ).exists()
