"""Transfer of services: a worker moves to another employer once the new employer has paid the
fee and the current one has agreed (or a reason allows the move without consent).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.contracts import selectors as contracts
from manpower.core import audit, states
from manpower.core import selectors as reference
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError
from manpower.labourcare.selectors import complaints as labourcare
from manpower.licensing import services as licensing
from manpower.payments.services import invoice_cancel, invoice_create
from manpower.registry import services as registry
from manpower.registry.models import Employment, Establishment
from manpower.wages import selectors as wages

from .. import conf
from ..models import LabourCard, Transfer
from .absconding import ABSCONDING_REVOKED
from .cards import (
    LAPSED_INVOICE,
    PAID_INVOICE,
    UNPAID_INVOICE,
    NationalNeedsNoCard,
    _cancel_card,
    _check_employer_open,
    _check_employment_active,
    _open_card,
    _violates,
)
from .notices import _notify_transfer

logger = logging.getLogger(__name__)

T = Transfer.Status

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

TRANSFER_FEE = "TRANSFER_OF_SERVICES"
DISMISSED = "DISMISSED"
WAGE_COMPLAINT = "WAGE_COMPLAINT"
LABOUR_JUDGMENT = "LABOUR_JUDGMENT"
WPS_NON_COMPLIANT = "WPS_NON_COMPLIANT"


class HouseholdWorkerNotTransferable(Conflict):
    code = "household_worker_not_transferable"


class UnknownTransferReason(DomainError):
    code = "unknown_transfer_reason"
    status = 422


class SameEmployer(DomainError):
    code = "same_employer"


class DismissalNotRecorded(Conflict):
    code = "dismissal_not_recorded"


class ComplaintNotOpen(Conflict):
    code = "wage_complaint_not_open"


class JudgmentNotRecorded(Conflict):
    code = "labour_judgment_not_recorded"


class WagesProtected(Conflict):
    code = "employer_wps_compliant"


class WorkerLeftWorkplace(Conflict):
    code = "worker_left_workplace"


class FreedomNotRecorded(Conflict):
    code = "freedom_to_move_not_recorded"


class TransferPending(Conflict):
    code = "transfer_pending"


class TransferClosed(Conflict):
    code = "transfer_closed"


class TransferNotPaid(Conflict):
    code = "transfer_not_paid"


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
    occupation_code: str,
    basic_wage_baisa: int,
    reason: str = "",
) -> Transfer:
    """The new employer asks for a worker and is billed the transfer fee. Without a reason the
    current employer must agree; with a reason from the no-consent list only the fee is
    awaited. `DISMISSED` needs the employer's termination recorded in contracts (during its
    notice period the employment is still active, so the worker can move). The worker moves
    when the fee is paid and the consent given, in either order.

    A free vacancy of the new employer's licence is held now, so that no fee is billed for a
    transfer that cannot happen; it is used when the worker moves, freed if the transfer ends.

    A worker under an approved absconding report (status 'left the workplace') cannot be
    transferred; `ABSCONDING_REVOKED` needs labour care's revocation recorded on the card.
    """
    occupation = reference.occupation_unit(occupation_code)
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
    if reason and reason not in conf.TRANSFER_REASONS_WITHOUT_CONSENT.value:
        raise UnknownTransferReason(
            _("The reason %(reason)s does not allow a transfer without consent."), reason=reason
        )
    # A dismissal is a fact of the ledger (the employer's termination), not the new employer's
    # word.
    if reason == DISMISSED and not contracts.terminated_by_employer(employment_id=employment.pk):
        raise DismissalNotRecorded(
            _(
                "The current employer has not terminated this worker's service, so the "
                "transfer needs its consent."
            )
        )
    card = _open_card(employment)
    if card is not None and card.worker_status == LabourCard.WorkerStatus.LEFT_WORKPLACE:
        raise WorkerLeftWorkplace(
            _(
                "An approved work-abandonment report says this worker left the workplace, so "
                "the worker cannot be transferred."
            )
        )
    _check_reason_without_consent(reason, employment, card)
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


def _check_reason_without_consent(
    reason: str, employment: Employment, card: LabourCard | None
) -> None:
    """A reason that lets a worker move without the employer's consent is a fact, not the new
    employer's word: an open wage complaint or a labour judgment is read in labour care, months
    of unpaid wages in the Wage Protection System, each against the current employer; a revoked
    work-abandonment report is recorded on the worker's card."""
    if reason == ABSCONDING_REVOKED and (card is None or card.freed_to_move_reason != reason):
        raise FreedomNotRecorded(
            _("No revoked work-abandonment report frees this worker to move without consent.")
        )
    civil_number, employer = employment.person.civil_number, employment.establishment_id
    if reason == WAGE_COMPLAINT and not labourcare.worker_has_open_wage_complaint(
        civil_number=civil_number, establishment_id=employer
    ):
        raise ComplaintNotOpen(
            _(
                "The worker has no open complaint about wages against the current employer, so "
                "the transfer needs its consent."
            )
        )
    if reason == LABOUR_JUDGMENT and not labourcare.judgment_frees_worker(
        civil_number=civil_number, establishment_id=employer
    ):
        raise JudgmentNotRecorded(
            _(
                "No labour judgment for the worker against the current employer ordering a "
                "transfer or dues is recorded, so the transfer needs its consent."
            )
        )
    if reason == WPS_NON_COMPLIANT and not wages.workers_free_to_transfer(
        establishment_id=employer
    ):
        raise WagesProtected(
            _(
                "The current employer has not failed the wage protection checks for %(months)s "
                "months running, so the transfer needs its consent."
            ),
            months=wages.free_transfer_months(),
        )


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
