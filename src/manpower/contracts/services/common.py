"""What the contract services share: the tables of allowed status changes, the errors every
area raises, the worker found by civil number, the certificate and the notices."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from manpower.core import states
from manpower.core.errors import Conflict, DomainError
from manpower.core.identifiers import normalise_civil_number
from manpower.core.money import format_omr
from manpower.documents import selectors as documents
from manpower.documents.services import DocumentField, document_correct, document_issue
from manpower.notifications import services as notifications
from manpower.registry import selectors as registry
from manpower.registry.models import Person

from ..models import Contract, EndOfService

S = Contract.Status

# The one table of allowed contract status changes. The worker accepts (then social insurance
# confirms) or refuses; an officer decides a contract that social insurance leaves waiting.
CONTRACT_TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.AWAITING_INSURANCE, S.REFUSED_BY_WORKER}),
    S.AWAITING_INSURANCE: frozenset({S.ACCEPTED, S.REJECTED}),
    S.ACCEPTED: frozenset({S.ENDED}),
    S.REFUSED_BY_WORKER: frozenset(),
    S.REJECTED: frozenset(),
    S.ENDED: frozenset(),
}
END_TRANSITIONS: dict[str, frozenset[str]] = {
    EndOfService.Status.NOTICE: frozenset({EndOfService.Status.ENDED}),
    EndOfService.Status.ENDED: frozenset(),
}
# The largest amount of money a form or an API may send (a billion rials): beyond is a typo.
MAX_BAISA = 10**12


class ContractStatusConflict(Conflict):
    code = "contract_status_conflict"


class UnknownCivilNumber(DomainError):
    code = "unknown_civil_number"
    status = 422


def move(contract: Contract, to: str, **fields) -> None:
    states.transition(
        contract, to, table=CONTRACT_TRANSITIONS, error=ContractStatusConflict, **fields
    )


def person_by_civil_number(value: str) -> Person:
    """The registry person under a civil number; malformed or unknown numbers are refused."""
    person = registry.person_by_civil_number(value)
    if person is None:
        raise UnknownCivilNumber(
            _("No person with civil number %(number)s is in the registry."),
            number=normalise_civil_number(value or ""),
        )
    return person


# --- The certificate -----------------------------------------------------------------------------


def _certificate_fields(contract: Contract) -> list[DocumentField]:
    person, establishment = contract.person, contract.establishment
    end = contract.end_date.strftime("%d/%m/%Y") if contract.end_date else None
    return [
        DocumentField.of("number", _("Contract number"), contract.number),
        DocumentField.of("worker", _("Worker"), person.name_en, person.name_ar or person.name_en),
        DocumentField.of("civil_number", _("Civil number"), person.civil_number),
        DocumentField.of("employer", _("Employer"), establishment.name_en, establishment.name_ar),
        DocumentField.of("cr_number", _("Commercial registration"), establishment.cr_number),
        DocumentField.of(
            "occupation", _("Occupation"), contract.occupation.name_en, contract.occupation.name_ar
        ),
        DocumentField.of("kind", _("Type"), Contract.Kind(contract.kind).label),
        DocumentField.of("start_date", _("Start date"), contract.start_date.strftime("%d/%m/%Y")),
        DocumentField.of("end_date", _("End date"), end or _("None (unlimited term)")),
        DocumentField.of("weekly_hours", _("Working hours a week"), str(contract.weekly_hours)),
        DocumentField.of("basic_wage", _("Basic wage"), format_omr(contract.basic_wage_baisa)),
        DocumentField.of("allowances", _("Allowances"), format_omr(contract.allowances_baisa)),
        DocumentField.of(
            "place",
            _("Place of work"),
            f"{contract.wilayat.name_en}, {contract.governorate.name_en}",
            f"{contract.wilayat.name_ar}، {contract.governorate.name_ar}",
        ),
    ]


def certificate_issue(*, actor, now: dt.datetime, contract: Contract) -> None:
    """The signed certificate of an accepted contract, in the caller's transaction."""
    document = document_issue(
        actor=actor,
        now=now,
        kind="CONTRACT_CERTIFICATE",
        subject_ref=contract.number,
        fields=_certificate_fields(contract),
    )
    Contract.objects.filter(pk=contract.pk).update(document_code=document.code)
    contract.document_code = document.code


def certificate_refresh(*, actor, now: dt.datetime, contract: Contract, reason: str) -> None:
    """Print the certificate again with the contract's current terms; the earlier one is
    superseded."""
    if not contract.document_code:
        return
    previous = documents.document_by_code(contract.document_code)
    successor = document_correct(
        actor=actor, now=now, document=previous, fields=_certificate_fields(contract), reason=reason
    )
    Contract.objects.filter(pk=contract.pk).update(document_code=successor.code)
    contract.document_code = successor.code


# --- Notices -------------------------------------------------------------------------------------


def notify_worker(person: Person, *, subject, body, link: str, now: dt.datetime, key: str) -> None:
    """The worker's accounts are those signed in under the worker's civil number (as a
    household's are)."""
    notifications.notify_household(
        household=person, subject=subject, body=body, link=link, now=now, key=key
    )


def notify_employer(establishment, *, subject, body, link: str, now: dt.datetime, key: str):
    notifications.notify_establishment(
        establishment=establishment, subject=subject, body=body, link=link, now=now, key=key
    )


def worker_link(contract: Contract) -> str:
    return reverse("contracts:mine-detail", args=[contract.number])


def employer_link(contract: Contract) -> str:
    return reverse("contracts:detail", args=[contract.establishment.cr_number, contract.number])


def contract_notice(contract: Contract, *, to_worker: bool, subject, body, now, key: str) -> None:
    if to_worker:
        notify_worker(
            contract.person,
            subject=subject,
            body=body,
            link=worker_link(contract),
            now=now,
            key=key,
        )
    else:
        notify_employer(
            contract.establishment,
            subject=subject,
            body=body,
            link=employer_link(contract),
            now=now,
            key=key,
        )


message = notifications.message
