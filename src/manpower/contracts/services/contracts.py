"""Registering a national's employment contract and its acceptance: by the worker, then by the
social insurance registration (the `insurance_registration` adapter, or the authority's own
call on the partner API), or by an officer when social insurance leaves it waiting.

An accepted contract starts its employment in the registry's ledger, is printed as a signed
certificate and is published (`contract.accepted`) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.accounts.permissions import StaffAction, require_staff_action
from manpower.core import audit
from manpower.core import selectors as reference
from manpower.core.actor import Actor
from manpower.core.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    required_reason,
)
from manpower.core.money import format_omr
from manpower.integration import adapters
from manpower.registry import services as registry
from manpower.registry.models import Employment, Establishment

from .. import conf, events
from ..models import Contract
from .common import (
    MAX_BAISA,
    ContractStatusConflict,
    S,
    certificate_issue,
    contract_notice,
    message,
    move,
    person_by_civil_number,
)

logger = logging.getLogger(__name__)

INSURANCE_CHECK = "insurance_registration"
REGISTRATION_FIELDS = [
    "number",
    "status",
    "kind",
    "occupation_id",
    "start_date",
    "end_date",
    "probation_months",
    "weekly_hours",
    "basic_wage_baisa",
    "allowances_baisa",
    "governorate_id",
    "wilayat_id",
]


class NotANational(DomainError):
    code = "not_a_national"


class EstablishmentNotActive(PermissionDenied):
    code = "establishment_not_active"


class WageBelowMinimum(DomainError):
    code = "wage_below_minimum"


class FullTimeContractElsewhere(Conflict):
    code = "full_time_contract_elsewhere"


class StartDateTooOld(DomainError):
    code = "start_date_too_old"


class ProbationTooLong(DomainError):
    code = "probation_too_long"


class InvalidContractTerms(DomainError):
    code = "invalid_contract_terms"
    status = 422


class ContractPending(Conflict):
    code = "contract_pending"


class ContractNotFound(NotFound):
    code = "contract_not_found"


class ContractAlreadyDecided(Conflict):
    code = "contract_already_decided"


# --- Registration --------------------------------------------------------------------------------


def check_terms(
    *,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None,
    weekly_hours: int,
    basic_wage_baisa: int,
    allowances_baisa: int,
) -> None:
    """The terms any contract or amendment must have, whoever sends them."""
    if kind not in Contract.Kind.values:
        raise InvalidContractTerms(_("The contract type must be unlimited or fixed term."))
    if kind == Contract.Kind.FIXED and (end_date is None or end_date <= start_date):
        raise InvalidContractTerms(_("A fixed-term contract needs an end date after its start."))
    if kind == Contract.Kind.UNLIMITED and end_date is not None:
        raise InvalidContractTerms(_("An unlimited contract has no end date."))
    most = conf.MAX_WEEKLY_HOURS.value
    if not 1 <= weekly_hours <= most:
        raise InvalidContractTerms(
            _("Working hours must be between 1 and %(most)s a week."), most=most
        )
    if not (0 < basic_wage_baisa <= MAX_BAISA and 0 <= allowances_baisa <= MAX_BAISA):
        raise InvalidContractTerms(_("The wage or the allowances are not a valid amount."))
    minimum = conf.minimum_wage_baisa()
    if basic_wage_baisa < minimum:
        raise WageBelowMinimum(
            _("The basic wage %(wage)s is under the national minimum wage of %(minimum)s."),
            wage=format_omr(basic_wage_baisa),
            minimum=format_omr(minimum),
        )


def _idempotency_key(**terms) -> str:
    text = "|".join(f"{name}={terms[name]}" for name in sorted(terms))
    return hashlib.sha256(text.encode()).hexdigest()


def _new_number() -> str:
    return "CT" + secrets.token_hex(5).upper()


def full_time_refusal() -> FullTimeContractElsewhere:
    return FullTimeContractElsewhere(
        _("This worker already has a full-time job with another employer.")
    )


def full_time_elsewhere(person, *, establishment: Establishment) -> bool:
    """Whether the person holds a full-time job at another employer: an accepted full-time
    contract, or an active employment of the ledger that no part-time contract explains (the
    ledger is the truth: employments recorded before contracts were registered online)."""
    return (
        Employment.objects.filter(person=person, status=Employment.Status.ACTIVE)
        .exclude(establishment=establishment)
        .exclude(contract__full_time=False)
        .exists()
    )


def contract_register(
    *,
    actor: Actor,
    now: dt.datetime,
    establishment: Establishment,
    civil_number: str,
    occupation_code: str,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None,
    probation_months: int,
    weekly_hours: int,
    basic_wage_baisa: int,
    allowances_baisa: int,
    governorate_code: str,
    wilayat_code: str,
    notice_days: int | None = None,
) -> Contract:
    """The establishment registers a contract with a national; the worker is asked to accept
    it. The same contract sent again (the same terms) returns the first one."""
    if establishment.status != Establishment.Status.ACTIVE:
        raise EstablishmentNotActive(
            _("The establishment is %(state)s and cannot register contracts."),
            state=establishment.get_status_display(),
        )
    person = person_by_civil_number(civil_number)
    if not person.is_national:
        raise NotANational(
            _(
                "Civil number %(number)s is not a national's: a non-national works under a "
                "labour card."
            ),
            number=person.civil_number,
        )
    occupation = reference.occupation_unit(occupation_code)
    check_terms(
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        weekly_hours=weekly_hours,
        basic_wage_baisa=basic_wage_baisa,
        allowances_baisa=allowances_baisa,
    )
    wilayat = reference.wilayats(governorate_code=governorate_code).filter(pk=wilayat_code).first()
    if wilayat is None:
        raise InvalidContractTerms(_("Choose a wilayat of the governorate of work."))
    longest = conf.PROBATION_MAX_MONTHS.value
    if not 0 <= probation_months <= longest:
        raise ProbationTooLong(
            _("The probation period may be at most %(months)s months."), months=longest
        )
    notice = conf.NOTICE_DAYS.value if notice_days is None else notice_days
    if not 0 <= notice <= 365:
        raise InvalidContractTerms(_("The notice period must be between 0 and 365 days."))
    today = timezone.localdate(now)
    days = conf.START_DATE_MAX_DAYS_PAST.value
    if start_date < today - dt.timedelta(days=days):
        raise StartDateTooOld(
            _("The work started more than %(days)s days ago: the contract is registered late."),
            days=days,
        )
    full_time = weekly_hours >= conf.FULL_TIME_WEEKLY_HOURS.value
    key = _idempotency_key(
        cr=establishment.cr_number,
        person=person.pk,
        occupation=occupation.pk,
        kind=kind,
        start=start_date,
        end=end_date,
        probation=probation_months,
        hours=weekly_hours,
        wage=basic_wage_baisa,
        allowances=allowances_baisa,
        wilayat=wilayat.pk,
        notice=notice,
    )
    first = Contract.objects.filter(idempotency_key=key).first()
    if first is not None:
        return first
    if full_time and full_time_elsewhere(person, establishment=establishment):
        raise full_time_refusal()
    try:
        with transaction.atomic():
            contract = Contract.objects.create(
                number=_new_number(),
                establishment=establishment,
                person=person,
                occupation=occupation,
                kind=kind,
                start_date=start_date,
                end_date=end_date,
                probation_months=probation_months,
                weekly_hours=weekly_hours,
                full_time=full_time,
                notice_days=notice,
                basic_wage_baisa=basic_wage_baisa,
                allowances_baisa=allowances_baisa,
                governorate_id=governorate_code,
                wilayat=wilayat,
                channel=actor.channel,
                idempotency_key=key,
                submitted_at=now,
            )
            audit.record(
                actor=actor,
                action="contract.registered",
                obj=contract,
                at=now,
                changes=audit.changes_between({}, audit.snapshot(contract, REGISTRATION_FIELDS)),
            )
            contract_notice(
                contract,
                to_worker=True,
                subject=message(_("An employment contract is waiting for you")),
                body=message(
                    _(
                        "%(employer)s registered employment contract %(number)s with you. "
                        "Read it and accept or refuse it."
                    ),
                    employer=establishment.name_en,
                    number=contract.number,
                ),
                now=now,
                key=f"contract.registered:{contract.number}",
            )
    except IntegrityError as exc:
        first = Contract.objects.filter(idempotency_key=key).first()
        if first is not None:  # the same contract, sent twice at once
            return first
        if "one_open_contract_per_pair" in str(exc) or "contracts_contract.establishment_id" in str(
            exc
        ):
            raise _pending() from exc
        raise
    return contract


def _pending() -> ContractPending:
    return ContractPending(
        _(
            "Another contract of this worker with this establishment is waiting for a "
            "decision; wait for it or register the same terms."
        )
    )


# --- The worker's answer -------------------------------------------------------------------------


def _locked(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update()
        .select_related("person", "establishment", "occupation", "governorate", "wilayat")
        .get(pk=contract.pk)
    )


def contract_accept(*, actor: Actor, now: dt.datetime, contract: Contract) -> Contract:
    """The worker accepts: social insurance is asked to confirm the registration at once; when
    it cannot answer the contract waits and completes by itself later
    (`contracts_insurance_settle`)."""
    with transaction.atomic():
        contract = _locked(contract)
        move(contract, S.AWAITING_INSURANCE, worker_decided_at=now)
        audit.record(
            actor=actor,
            action="contract.worker_accepted",
            obj=contract,
            at=now,
            changes={"status": [S.SUBMITTED, S.AWAITING_INSURANCE]},
        )
    return insurance_settle(actor=actor, now=now, contract=contract)


def contract_refuse(*, actor: Actor, now: dt.datetime, contract: Contract, reason: str) -> Contract:
    """The worker refuses the contract, saying why; the employer is told."""
    reason = required_reason(reason)
    with transaction.atomic():
        contract = _locked(contract)
        move(
            contract,
            S.REFUSED_BY_WORKER,
            worker_decided_at=now,
            decided_at=now,
            decision_reason=reason,
        )
        audit.record(
            actor=actor,
            action="contract.worker_refused",
            obj=contract,
            at=now,
            changes={"status": [S.SUBMITTED, S.REFUSED_BY_WORKER], "reason": [None, reason]},
        )
        contract_notice(
            contract,
            to_worker=False,
            subject=message(_("Contract %(number)s was refused"), number=contract.number),
            body=message(
                _("The worker refused contract %(number)s: %(reason)s"),
                number=contract.number,
                reason=reason,
            ),
            now=now,
            key=f"contract.refused:{contract.number}",
        )
    return contract


# --- Social insurance ----------------------------------------------------------------------------


def insurance_settle(
    *, actor: Actor, now: dt.datetime, contract: Contract, answer: dict | None = None
) -> Contract:
    """Decide a waiting contract on social insurance's answer: the one given (a queued check
    answered), else asked now; with no answer (the authority down) it keeps waiting."""
    if answer is None:
        outcome = adapters.run_check(INSURANCE_CHECK, contract.person.civil_number, now=now)
        if outcome.state == "QUEUED":
            return contract
        answer = outcome.answer or {}
    registered = bool(answer.get("found") and answer.get("insurable"))
    try:
        return _decide(
            actor=actor,
            now=now,
            contract=contract,
            accept=registered,
            reason="" if registered else "Social insurance refused the registration",
            action="contract.insurance_confirmed" if registered else "contract.insurance_refused",
        )
    except ContractStatusConflict:
        contract.refresh_from_db()  # decided meanwhile (the authority's call, an officer)
        return contract


def contracts_insurance_settle(
    *, actor: Actor, now: dt.datetime, civil_number: str | None = None, answer: dict | None = None
) -> int:
    """Decide the contracts still waiting for social insurance whose answer can now be had:
    every one (the daily run asks the authority), or one worker's with the answer of a queued
    check (the receiver of `queued_check_answered`). Returns how many were decided."""
    decided = 0
    waiting = Contract.objects.filter(status=S.AWAITING_INSURANCE).select_related("person")
    if civil_number is not None:
        waiting = waiting.filter(person__civil_number=civil_number)
    for contract in waiting.order_by("id").iterator():
        try:
            settled = insurance_settle(actor=actor, now=now, contract=contract, answer=answer)
        except DomainError as error:
            logger.warning("Contract %s not settled: %s", contract.number, error.text("en"))
            continue
        decided += settled.status != S.AWAITING_INSURANCE
    return decided


def contract_insurance_record(
    *, actor: Actor, now: dt.datetime, contract_number: str, registered: bool, reason: str = ""
) -> Contract:
    """Social insurance tells us itself (partner API) that it registered the worker, or
    refused to. The same answer again returns the contract as it is; a different answer to a
    contract already decided is refused."""
    contract = Contract.objects.filter(number=contract_number.strip()).first()
    if contract is None:
        raise ContractNotFound(
            _("No contract with number %(number)s was found."), number=contract_number
        )
    done = S.ACCEPTED if registered else S.REJECTED
    if contract.status == done or (registered and contract.status == S.ENDED):
        return contract
    if contract.status != S.AWAITING_INSURANCE:
        raise ContractAlreadyDecided(
            _("Contract %(number)s is %(state)s: it is not waiting for social insurance."),
            number=contract.number,
            state=contract.get_status_display(),
        )
    return _decide(
        actor=actor,
        now=now,
        contract=contract,
        accept=registered,
        reason=reason.strip()[:500] or ("" if registered else "Refused by social insurance"),
        action="contract.insurance_confirmed" if registered else "contract.insurance_refused",
    )


def contract_decide(
    *, actor: Actor, now: dt.datetime, contract: Contract, accept: bool, reason: str
) -> Contract:
    """An officer of the employment department accepts or rejects a contract that social
    insurance leaves waiting, with the reason."""
    require_staff_action(actor=actor, action=StaffAction.DECIDE_CONTRACT)
    reason = required_reason(reason)
    return _decide(
        actor=actor,
        now=now,
        contract=contract,
        accept=accept,
        reason=reason,
        action="contract.officer_accepted" if accept else "contract.officer_rejected",
    )


def _decide(
    *, actor: Actor, now: dt.datetime, contract: Contract, accept: bool, reason: str, action: str
) -> Contract:
    with transaction.atomic():
        contract = _locked(contract)
        if contract.status != S.AWAITING_INSURANCE:
            raise ContractStatusConflict(
                _("Contract %(number)s has already been decided."), number=contract.number
            )
        if accept:
            return _accept(actor=actor, now=now, contract=contract, reason=reason, action=action)
        move(contract, S.REJECTED, decided_at=now, decision_reason=reason)
        audit.record(
            actor=actor,
            action=action,
            obj=contract,
            at=now,
            changes={"status": [S.AWAITING_INSURANCE, S.REJECTED], "reason": [None, reason]},
        )
        for to_worker in (True, False):
            contract_notice(
                contract,
                to_worker=to_worker,
                subject=message(_("Contract %(number)s was rejected"), number=contract.number),
                body=message(
                    _("Contract %(number)s was rejected: %(reason)s"),
                    number=contract.number,
                    reason=reason,
                ),
                now=now,
                key=f"contract.rejected:{contract.number}",
            )
    return contract


def _accept(
    *, actor: Actor, now: dt.datetime, contract: Contract, reason: str, action: str
) -> Contract:
    """Start the employment in the ledger, print the certificate and publish the event, in the
    caller's transaction."""
    if contract.full_time and full_time_elsewhere(
        contract.person, establishment=contract.establishment
    ):
        raise full_time_refusal()
    employment = registry.employment_start(
        actor=actor,
        person=contract.person,
        establishment=contract.establishment,
        occupation=contract.occupation,
        start_date=contract.start_date,
        basic_wage_baisa=contract.basic_wage_baisa,
        now=now,
    )
    try:
        with transaction.atomic():
            move(
                contract, S.ACCEPTED, employment=employment, decided_at=now, decision_reason=reason
            )
    except IntegrityError as exc:  # another full-time contract accepted at the same moment
        raise full_time_refusal() from exc
    audit.record(
        actor=actor,
        action=action,
        obj=contract,
        at=now,
        changes={
            "status": [S.AWAITING_INSURANCE, S.ACCEPTED],
            "employment": [None, employment.pk],
            **({"reason": [None, reason]} if reason else {}),
        },
    )
    certificate_issue(actor=actor, now=now, contract=contract)
    events.contract_accepted(contract=contract, now=now)
    for to_worker in (True, False):
        contract_notice(
            contract,
            to_worker=to_worker,
            subject=message(_("Contract %(number)s is accepted"), number=contract.number),
            body=message(
                _(
                    "Contract %(number)s is accepted and registered with social insurance; "
                    "its certificate is ready."
                ),
                number=contract.number,
            ),
            now=now,
            key=f"contract.accepted:{contract.number}",
        )
    return contract
