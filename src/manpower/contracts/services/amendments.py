"""Amending an accepted contract: the employer proposes a new wage, occupation or hours, the
worker confirms or declines. Each amendment row keeps the terms before and after, so the rows
are the contract's history; a confirmed one changes the ledger's employment and reprints the
certificate."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from manpower.core import audit, states
from manpower.core import selectors as reference
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError
from manpower.registry import services as registry

from .. import conf, events
from ..models import Contract, ContractAmendment
from .common import S, certificate_refresh, contract_notice, message
from .contracts import check_terms, full_time_elsewhere, full_time_refusal

AMENDED_FIELDS = ["occupation_id", "weekly_hours", "basic_wage_baisa", "allowances_baisa"]
A = ContractAmendment.Status
AMENDMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    A.PROPOSED: frozenset({A.CONFIRMED, A.DECLINED}),
    A.CONFIRMED: frozenset(),
    A.DECLINED: frozenset(),
}


class AmendmentPending(Conflict):
    code = "amendment_pending"


class AmendmentClosed(Conflict):
    code = "amendment_closed"


class NothingAmended(DomainError):
    code = "nothing_amended"


class ContractNotActive(Conflict):
    code = "contract_not_active"


def amendment_propose(
    *,
    actor: Actor,
    now: dt.datetime,
    contract: Contract,
    occupation_code: str,
    weekly_hours: int,
    basic_wage_baisa: int,
    allowances_baisa: int,
) -> ContractAmendment:
    """The employer proposes new terms of an accepted contract; the worker is asked."""
    if contract.status != S.ACCEPTED:
        raise ContractNotActive(
            _("Contract %(number)s is not in force and cannot be amended."),
            number=contract.number,
        )
    occupation = reference.occupation_unit(occupation_code)
    check_terms(
        kind=contract.kind,
        start_date=contract.start_date,
        end_date=contract.end_date,
        weekly_hours=weekly_hours,
        basic_wage_baisa=basic_wage_baisa,
        allowances_baisa=allowances_baisa,
    )
    before = audit.snapshot(contract, AMENDED_FIELDS)
    after = {
        "occupation_id": occupation.pk,
        "weekly_hours": weekly_hours,
        "basic_wage_baisa": basic_wage_baisa,
        "allowances_baisa": allowances_baisa,
    }
    if before == after:
        raise NothingAmended(_("These are the contract's current terms: nothing would change."))
    try:
        with transaction.atomic():
            amendment = ContractAmendment.objects.create(
                contract=contract,
                occupation=occupation,
                weekly_hours=weekly_hours,
                basic_wage_baisa=basic_wage_baisa,
                allowances_baisa=allowances_baisa,
                before=before,
                proposed_at=now,
            )
            audit.record(
                actor=actor,
                action="contract.amendment_proposed",
                obj=contract,
                at=now,
                changes=audit.changes_between(before, after),
            )
            contract_notice(
                contract,
                to_worker=True,
                subject=message(
                    _("New terms of contract %(number)s to confirm"), number=contract.number
                ),
                body=message(
                    _("Your employer proposes new terms of contract %(number)s."),
                    number=contract.number,
                ),
                now=now,
                key=f"contract.amendment:{amendment.pk}",
            )
    except IntegrityError as exc:
        raise AmendmentPending(
            _("An amendment of this contract is already waiting for the worker.")
        ) from exc
    return amendment


def _locked_amendment(amendment: ContractAmendment) -> ContractAmendment:
    amendment = ContractAmendment.objects.select_for_update().get(pk=amendment.pk)
    if amendment.status != A.PROPOSED:
        raise AmendmentClosed(_("This amendment has already been answered."))
    return amendment


def _answer(amendment: ContractAmendment, to: str, now: dt.datetime) -> None:
    states.transition(
        amendment, to, table=AMENDMENT_TRANSITIONS, error=AmendmentClosed, decided_at=now
    )


def amendment_confirm(
    *, actor: Actor, now: dt.datetime, amendment: ContractAmendment
) -> ContractAmendment:
    """The worker confirms: the contract and its employment take the new terms."""
    with transaction.atomic():
        amendment = _locked_amendment(amendment)
        contract = Contract.objects.select_for_update().get(pk=amendment.contract_id)
        if contract.status != S.ACCEPTED:
            raise ContractNotActive(
                _("Contract %(number)s is not in force and cannot be amended."),
                number=contract.number,
            )
        full_time = amendment.weekly_hours >= conf.FULL_TIME_WEEKLY_HOURS.value
        if (
            full_time
            and not contract.full_time
            and full_time_elsewhere(contract.person, establishment=contract.establishment)
        ):
            raise full_time_refusal()
        before = audit.snapshot(contract, AMENDED_FIELDS)
        Contract.objects.filter(pk=contract.pk).update(
            occupation=amendment.occupation,
            weekly_hours=amendment.weekly_hours,
            full_time=full_time,
            basic_wage_baisa=amendment.basic_wage_baisa,
            allowances_baisa=amendment.allowances_baisa,
        )
        contract.refresh_from_db()
        _answer(amendment, A.CONFIRMED, now)
        registry.employment_terms_change(
            actor=actor,
            employment=contract.employment,
            occupation=contract.occupation,
            basic_wage_baisa=contract.basic_wage_baisa,
            now=now,
        )
        audit.record(
            actor=actor,
            action="contract.amended",
            obj=contract,
            at=now,
            changes=audit.changes_between(before, audit.snapshot(contract, AMENDED_FIELDS)),
        )
        certificate_refresh(actor=actor, now=now, contract=contract, reason="Contract amended")
        events.contract_amended(contract=contract, now=now)
        contract_notice(
            contract,
            to_worker=False,
            subject=message(_("Contract %(number)s amended"), number=contract.number),
            body=message(
                _("The worker confirmed the new terms of contract %(number)s."),
                number=contract.number,
            ),
            now=now,
            key=f"contract.amendment_answer:{amendment.pk}",
        )
    return amendment


def amendment_decline(
    *, actor: Actor, now: dt.datetime, amendment: ContractAmendment
) -> ContractAmendment:
    """The worker declines: the contract keeps its terms."""
    with transaction.atomic():
        amendment = _locked_amendment(amendment)
        _answer(amendment, A.DECLINED, now)
        contract = amendment.contract
        audit.record(
            actor=actor,
            action="contract.amendment_declined",
            obj=contract,
            at=now,
            changes={"amendment": [A.PROPOSED, A.DECLINED]},
        )
        contract_notice(
            contract,
            to_worker=False,
            subject=message(_("Amendment of contract %(number)s declined"), number=contract.number),
            body=message(
                _("The worker declined the new terms of contract %(number)s."),
                number=contract.number,
            ),
            now=now,
            key=f"contract.amendment_answer:{amendment.pk}",
        )
    return amendment


def amendment_answer(
    *, actor: Actor, now: dt.datetime, contract: Contract, confirm: bool
) -> ContractAmendment:
    """The worker's answer to the terms the employer proposed, from any channel; refused when
    no amendment is waiting (already answered, or none proposed)."""
    proposed = (
        ContractAmendment.objects.filter(contract=contract, status=A.PROPOSED)
        .order_by("-proposed_at", "-id")
        .first()
    )
    if proposed is None:
        raise AmendmentClosed(_("This amendment has already been answered."))
    answer = amendment_confirm if confirm else amendment_decline
    return answer(actor=actor, now=now, amendment=proposed)
