"""Every write of licensing: applications and their decisions, licences, visa reservations and
arrivals. One function per use case, one transaction, one audit event.

Vacancies are taken and given back with one conditional UPDATE each, so concurrent requests
never over-allocate on SQLite or PostgreSQL (the check constraint on the table is the last
guard). Calls from the police are idempotent on the visa number: a repeat returns the first
answer, a different body for the same number is a conflict.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import secrets
from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import User
from manpower.core import audit, states
from manpower.core.actor import Actor
from manpower.core.dates import add_months
from manpower.core.errors import Conflict, DomainError, NotFound, PermissionDenied, required_reason
from manpower.core.identifiers import normalise_passport_number, validate_passport_number
from manpower.core.models import Nationality, Occupation
from manpower.documents.services import DocumentField, DocumentTable, document_issue
from manpower.integration import adapters
from manpower.integration.services import publish_event
from manpower.notifications import services as notifications
from manpower.payments import selectors as payments_selectors
from manpower.payments import services as payments
from manpower.registry import services as registry_services
from manpower.registry.models import Establishment, Person
from manpower.registry.selectors import establishment_workforce
from manpower.registry.services import employment_start

from .conf import required_national_share, setting
from .models import (
    ApplicationLine,
    Gender,
    Kind,
    Licence,
    LicenceApplication,
    LicenceVacancy,
    VisaReservation,
)

A = LicenceApplication.Status
L = Licence.Status
V = VisaReservation.Status

# The one table of allowed status changes of each workflow.
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    A.IN_REVIEW: frozenset({A.AWAITING_PAYMENT, A.REJECTED}),
    A.AWAITING_PAYMENT: frozenset({A.ISSUED}),
    A.ISSUED: frozenset(),
    A.REJECTED: frozenset(),
}
LICENCE_TRANSITIONS: dict[str, frozenset[str]] = {
    L.ACTIVE: frozenset({L.EXPIRED, L.CANCELLED}),
    L.EXPIRED: frozenset(),
    L.CANCELLED: frozenset(),
}
VISA_TRANSITIONS: dict[str, frozenset[str]] = {
    V.RESERVED: frozenset({V.ARRIVED, V.CANCELLED}),
    V.ARRIVED: frozenset(),
    V.CANCELLED: frozenset(),
}


# --- Errors ----------------------------------------------------------------------------------


class NotEligible(DomainError):
    """A rule refuses the request; `code` names the rule."""

    code = "not_eligible"
    status = 422


class StatusConflict(Conflict):
    code = "status_conflict"


class ApplicationPending(Conflict):
    code = "application_pending"


class OfficerOnly(PermissionDenied):
    code = "officer_only"


class InvalidGrant(DomainError):
    code = "invalid_grant"


class LicenceNotFound(Conflict):
    code = "licence_not_found"


class LicenceExpired(Conflict):
    code = "licence_expired"


class LicenceCancelled(Conflict):
    code = "licence_cancelled"


class EstablishmentBlocked(Conflict):
    code = "establishment_blocked"


class NoVacancy(Conflict):
    code = "no_vacancy"


class VisaNotFound(NotFound):
    code = "visa_not_found"


class VisaNumberConflict(Conflict):
    code = "visa_number_conflict"


class VisaCancelled(Conflict):
    code = "visa_cancelled"


class AlreadyArrived(Conflict):
    code = "already_arrived"


class WorkerDoesNotMatchVacancy(Conflict):
    code = "worker_does_not_match_vacancy"


class InvalidWorkerData(DomainError):
    code = "invalid_worker_data"
    status = 422


def _move(obj, transitions: dict, to: str, **fields) -> None:
    states.transition(obj, to, table=transitions, error=StatusConflict, **fields)


def _fingerprint(body: dict) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _officer(actor: Actor) -> User:
    user = User.objects.filter(pk=actor.user_id).first() if actor.user_id else None
    if user is None or not user.is_ministry_staff:
        raise OfficerOnly(_("Only a ministry officer can decide on a licence application."))
    return user


def _named(thing) -> str:
    """A bilingual reference row's name in the language a message is rendered in."""
    return lazy(lambda: thing.name, str)()


# --- Applications ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineRequest:
    occupation_code: str
    nationality_code: str
    gender: str
    count: int


def _note(code: str, message, **params) -> dict:
    error = DomainError(message, code=code, **params)
    return {"code": code, **error.bilingual()}


def _cut(lines: list[LineRequest], allowed: int) -> list[int]:
    """Counts granted to each line, in order, up to `allowed` workers in all."""
    granted = []
    for line in lines:
        granted.append(min(line.count, max(0, allowed)))
        allowed -= granted[-1]
    return granted


def _check_lines(kind: str, lines: list[LineRequest]) -> list[tuple[Occupation, Nationality]]:
    if not lines:
        raise NotEligible(_("Ask for at least one worker."), code="no_workers_requested")
    keys = [(ln.occupation_code, ln.nationality_code, ln.gender) for ln in lines]
    if len(set(keys)) != len(keys):
        raise NotEligible(
            _("Each occupation, nationality and gender may appear on one line only."),
            code="duplicate_line",
        )
    occupations = Occupation.objects.in_bulk({ln.occupation_code for ln in lines})
    nationalities = Nationality.objects.in_bulk({ln.nationality_code for ln in lines})
    reserved = set(setting("LICENSING_RESERVED_OCCUPATIONS"))
    domestic = set(setting("LICENSING_PRIVATE_OCCUPATIONS"))
    found = []
    for line in lines:
        occupation = occupations.get(line.occupation_code)
        nationality = nationalities.get(line.nationality_code)
        if occupation is None or occupation.level != Occupation.Level.UNIT:
            raise NotEligible(
                _("%(occupation)s is not an ISCO-08 occupation unit code."),
                code="unknown_occupation",
                occupation=line.occupation_code,
            )
        if nationality is None or nationality.code == "OMN":
            raise NotEligible(
                _("%(nationality)s is not a nationality that can be recruited."),
                code="unknown_nationality",
                nationality=line.nationality_code,
            )
        if line.gender not in Gender.values or line.count < 1:
            raise NotEligible(
                _("Give the gender and a number of workers of one or more on every line."),
                code="invalid_line",
            )
        if occupation.code in reserved:
            raise NotEligible(
                _("The occupation %(occupation)s is reserved for nationals."),
                code="occupation_reserved",
                occupation=_named(occupation),
            )
        if kind == Kind.PRIVATE and occupation.code not in domestic:
            raise NotEligible(
                _("A household can recruit only domestic workers; %(occupation)s is not one."),
                code="occupation_not_domestic",
                occupation=_named(occupation),
            )
        found.append((occupation, nationality))
    return found


@dataclass(frozen=True)
class Eligibility:
    allowed: int  # the most workers the rules allow (at least 1)
    omanisation_met: bool
    needs_officer: bool
    notes: list[dict]


def _commercial_eligibility(
    establishment: Establishment, requested: int, now: dt.datetime
) -> Eligibility:
    if establishment.status != Establishment.Status.ACTIVE:
        raise NotEligible(
            _("The establishment is %(state)s and cannot recruit."),
            code="establishment_blocked",
            state=lazy(establishment.get_status_display, str)(),
        )
    commerce = adapters.run_check("cr_validity", establishment.cr_number, now=now).answer
    if not commerce or not commerce.get("valid"):
        raise NotEligible(
            _("The commercial registration %(cr)s is not valid at the Ministry of Commerce."),
            code="cr_not_valid",
            cr=establishment.cr_number,
        )
    notes, needs_officer = [], False
    chamber = adapters.run_check("chamber_membership", establishment.cr_number, now=now)
    if chamber.state == "QUEUED":
        needs_officer = True
        notes.append(
            _note(
                "chamber_check_pending",
                _("The Chamber of Commerce did not answer; an officer will check the membership."),
            )
        )
    else:
        expiry = (chamber.answer or {}).get("expiry_date")
        if not expiry or dt.date.fromisoformat(expiry) < timezone.localdate(now):
            raise NotEligible(
                _("The establishment has no valid Chamber of Commerce membership."),
                code="chamber_membership_not_valid",
            )
    activity = establishment.activity
    required = required_national_share(activity.code, activity.parent_id)
    workforce = establishment_workforce(establishment=establishment)
    share = Fraction(workforce.nationals, workforce.active) if workforce.active else Fraction(0)
    # nationals / (active + n) >= required  <=>  n <= nationals / required - active
    allowed = (
        requested
        if required == 0
        else min(requested, math.floor(workforce.nationals / required) - workforce.active)
    )
    percent = f"{float(required) * 100:g}%"
    if allowed < 1:
        raise NotEligible(
            _(
                "The establishment must keep at least %(share)s nationals in its workforce "
                "(it has %(nationals)s of %(active)s): no worker can be added."
            ),
            code="omanisation_share_not_met",
            share=percent,
            nationals=workforce.nationals,
            active=workforce.active,
        )
    if allowed < requested:
        notes.append(
            _note(
                "cut_by_omanisation",
                _(
                    "Cut from %(requested)s to %(allowed)s workers to keep at least %(share)s "
                    "nationals in the workforce."
                ),
                requested=requested,
                allowed=allowed,
                share=percent,
            )
        )
    return Eligibility(allowed, share >= required, needs_officer, notes)


def _household_open_count(household: Person) -> int:
    """Workers the household holds or has asked for: active licences and open applications."""
    licensed = LicenceVacancy.objects.filter(
        licence__household=household, licence__status=L.ACTIVE
    ).aggregate(n=Sum("issued"))["n"]
    pending = ApplicationLine.objects.filter(
        application__household=household,
        application__status__in=[A.IN_REVIEW, A.AWAITING_PAYMENT],
    ).aggregate(n=Sum("granted"))["n"]
    return (licensed or 0) + (pending or 0)


def _private_eligibility(household: Person, requested: int) -> Eligibility:
    limit = setting("LICENSING_PRIVATE_MAX_PER_HOUSEHOLD")
    left = limit - _household_open_count(household)
    if left < 1:
        raise NotEligible(
            _("A household may hold licences for at most %(limit)s workers; yours are all used."),
            code="household_limit_reached",
            limit=limit,
        )
    notes = []
    if left < requested:
        notes.append(
            _note(
                "cut_by_household_limit",
                _("Cut from %(requested)s to %(allowed)s workers: a household may have %(limit)s."),
                requested=requested,
                allowed=left,
                limit=limit,
            )
        )
    return Eligibility(min(left, requested), False, False, notes)


def household_of(user: User) -> Person:
    """The registry person an individual applies as: the one with the user's civil number."""
    person = (
        Person.objects.filter(civil_number=user.civil_number).first() if user.civil_number else None
    )
    if person is None:
        raise NotEligible(
            _("Your account has no civil number known to the registry, so you cannot apply."),
            code="household_not_found",
        )
    return person


def _fee_percent(kind: str, omanisation_met: bool) -> int:
    if kind == Kind.PRIVATE:
        return 100
    if omanisation_met:
        return setting("LICENSING_FEE_PERCENT_OMANISATION_MET")
    return setting("LICENSING_FEE_PERCENT_OMANISATION_NOT_MET")


def _fee_service_code(*, actor: Actor, kind: str, percent: int, now: dt.datetime) -> str:
    """The payments service code billed: the base fee, or a fee of `percent` of it.

    Payments bills whole fees only, so an adjusted fee is its own fee row (code
    `<base>_<percent>PCT`), added when the base fee or the percent changed since it was set.
    """
    base_code = setting("LICENSING_FEE_SERVICE_CODES")[kind]
    if percent == 100:
        return base_code
    today = timezone.localdate(now)
    base = payments.fee_effective(service_code=base_code, on_date=today)
    code, amount = f"{base_code}_{percent}PCT", base.amount_baisa * percent // 100
    try:
        current = payments.fee_effective(service_code=code, on_date=today).amount_baisa
    except payments.NoFee:
        current = None
    if current != amount:
        payments.fee_set(
            actor=actor,
            now=now,
            service_code=code,
            name_en=f"{base.name_en} ({percent}%: Omanisation share)",
            name_ar=f"{base.name_ar} ({percent}٪: نسبة التعمين)",
            amount_baisa=amount,
            effective_from_date=today,
        )
    return code


def _bill(actor: Actor, application: LicenceApplication, now: dt.datetime) -> str:
    code = _fee_service_code(
        actor=actor, kind=application.kind, percent=application.fee_percent, now=now
    )
    invoice = payments.invoice_create(
        actor=actor,
        now=now,
        service_code=code,
        payer_cr_number=application.establishment.cr_number if application.establishment else None,
        payer_user=application.applicant if application.kind == Kind.PRIVATE else None,
        quantity=application.granted_total,
    )
    return invoice.number


def _check_not_pending(
    *, establishment: Establishment | None, household: Person | None, lines: list[LineRequest]
) -> None:
    """A request for the same workers while an earlier one is still open is a double submission
    (a second click, a retried call), not a second need. The holder's row is locked first, so
    two identical requests sent at once are told apart too."""
    holder = establishment or household
    type(holder).objects.select_for_update().get(pk=holder.pk)
    wanted = sorted((ln.occupation_code, ln.nationality_code, ln.gender, ln.count) for ln in lines)
    still_open = LicenceApplication.objects.filter(
        establishment=establishment,
        household=household,
        status__in=[A.IN_REVIEW, A.AWAITING_PAYMENT],
    ).prefetch_related("lines")
    for earlier in still_open.order_by("id"):
        asked = sorted(
            (line.occupation_id, line.nationality_id, line.gender, line.requested)
            for line in earlier.lines.all()
        )
        if asked == wanted:
            raise ApplicationPending(
                _("Application %(number)s asks for the same workers and is still open."),
                number=earlier.number,
            )


def application_submit(
    *,
    actor: Actor,
    applicant: User,
    kind: str,
    lines: list[LineRequest],
    now: dt.datetime,
    establishment: Establishment | None = None,
) -> LicenceApplication:
    """Check the rules, cut the request to what they allow, and either bill it at once (small
    and fully checked) or send it to an officer. A refused request raises NotEligible."""
    found = _check_lines(kind, lines)
    requested = sum(line.count for line in lines)
    household = None
    if kind == Kind.COMMERCIAL:
        if establishment is None:
            raise NotEligible(_("Choose the establishment that recruits."), code="no_establishment")
        eligibility = _commercial_eligibility(establishment, requested, now)
    else:
        household = household_of(applicant)
        establishment = None
        eligibility = _private_eligibility(household, requested)
    granted = _cut(lines, eligibility.allowed)
    automatic = not eligibility.needs_officer and eligibility.allowed <= setting(
        "LICENSING_AUTO_APPROVE_MAX_WORKERS"
    )
    with transaction.atomic():
        _check_not_pending(establishment=establishment, household=household, lines=lines)
        application = LicenceApplication.objects.create(
            number="LA-" + secrets.token_hex(5).upper(),
            kind=kind,
            establishment=establishment,
            household=household,
            applicant=applicant,
            status=A.AWAITING_PAYMENT if automatic else A.IN_REVIEW,
            omanisation_met=eligibility.omanisation_met,
            notes=eligibility.notes,
            fee_percent=_fee_percent(kind, eligibility.omanisation_met),
            submitted_at=now,
        )
        ApplicationLine.objects.bulk_create(
            ApplicationLine(
                application=application,
                occupation=occupation,
                nationality=nationality,
                gender=line.gender,
                requested=line.count,
                granted=count,
            )
            for line, (occupation, nationality), count in zip(lines, found, granted, strict=True)
        )
        if automatic:
            application.invoice_number = _bill(actor, application, now)
            application.save(update_fields=["invoice_number"])
        audit.record(
            actor=actor,
            action="licence_application.submitted",
            obj=application,
            at=now,
            changes={
                "kind": [None, kind],
                "status": [None, application.status],
                "requested": [None, requested],
                "granted": [None, sum(granted)],
                "invoice": [None, application.invoice_number],
            },
        )
        _notify_decision(application, now)
    return application


def application_approve(
    *,
    actor: Actor,
    application: LicenceApplication,
    reason: str,
    now: dt.datetime,
    granted: dict[int, int] | None = None,
) -> LicenceApplication:
    """An officer approves, possibly reducing lines (`granted`: line id -> count); the applicant
    is billed for what was granted."""
    officer = _officer(actor)
    reason = required_reason(reason)
    with transaction.atomic():
        lines = list(application.lines.select_for_update().order_by("id"))
        for line in lines:
            count = (granted or {}).get(line.pk, line.granted)
            if not 0 <= count <= line.granted:
                raise InvalidGrant(
                    _("A line can be reduced, not raised: give 0 to %(most)s workers."),
                    most=line.granted,
                )
            line.granted = count
        if sum(line.granted for line in lines) < 1:
            raise InvalidGrant(_("Grant at least one worker, or reject the application."))
        ApplicationLine.objects.bulk_update(lines, ["granted"])
        _move(
            application,
            APPLICATION_TRANSITIONS,
            A.AWAITING_PAYMENT,
            decision_reason=reason,
            decided_by_user_id=officer.pk,
            decided_at=now,
        )
        application.invoice_number = _bill(actor, application, now)
        application.save(update_fields=["invoice_number"])
        audit.record(
            actor=actor,
            action="licence_application.approved",
            obj=application,
            at=now,
            changes={
                "status": [A.IN_REVIEW, A.AWAITING_PAYMENT],
                "granted": {str(line.pk): line.granted for line in lines},
                "reason": reason,
            },
        )
        _notify_decision(application, now)
    return application


def application_reject(
    *, actor: Actor, application: LicenceApplication, reason: str, now: dt.datetime
) -> LicenceApplication:
    officer = _officer(actor)
    reason = required_reason(reason)
    with transaction.atomic():
        _move(
            application,
            APPLICATION_TRANSITIONS,
            A.REJECTED,
            decision_reason=reason,
            decided_by_user_id=officer.pk,
            decided_at=now,
        )
        audit.record(
            actor=actor,
            action="licence_application.rejected",
            obj=application,
            at=now,
            changes={"status": [A.IN_REVIEW, A.REJECTED], "reason": reason},
        )
        _notify_decision(application, now)
    return application


def application_payment_confirm(
    *, actor: Actor, application: LicenceApplication, now: dt.datetime
) -> Licence | None:
    """Issue the licence once the application's invoice is paid; None while it is not."""
    if application.status != A.AWAITING_PAYMENT:
        return getattr(application, "licence", None)
    invoice = payments_selectors.invoice_for_payer(
        user=application.applicant, number=application.invoice_number
    )
    if invoice.paid_at is None:
        return None
    return _licence_issue(actor, application, now)


def application_settle_invoice(
    *, actor: Actor, now: dt.datetime, invoice_number: str
) -> Licence | None:
    """For the payment flow: issue the licence of the application this paid invoice bills, if
    it is still waiting for payment; None when the invoice is not a licence fee."""
    application = (
        LicenceApplication.objects.filter(status=A.AWAITING_PAYMENT, invoice_number=invoice_number)
        .select_related("applicant")
        .first()
    )
    if application is None:
        return None
    return application_payment_confirm(actor=actor, application=application, now=now)


def applications_issue_paid(*, actor: Actor, now: dt.datetime) -> int:
    """Issue the licence of every application whose invoice was paid; returns how many. The
    `invoice_paid` receiver issues them as they are paid: this is its safety net."""
    issued = 0
    waiting = LicenceApplication.objects.filter(status=A.AWAITING_PAYMENT).select_related(
        "applicant"
    )
    for application in waiting.order_by("submitted_at", "id").iterator():
        try:
            if application_payment_confirm(actor=actor, application=application, now=now):
                issued += 1
        except DomainError:
            # Issued meanwhile by the applicant, or the invoice is no longer the applicant's
            # to read (representation withdrawn): the applicant's own request settles it.
            continue
    return issued


def _licence_issue(actor: Actor, application: LicenceApplication, now: dt.datetime) -> Licence:
    valid_from = timezone.localdate(now)
    with transaction.atomic():
        _move(application, APPLICATION_TRANSITIONS, A.ISSUED)
        licence = Licence.objects.create(
            number="WP-" + secrets.token_hex(5).upper(),
            application=application,
            kind=application.kind,
            establishment=application.establishment,
            household=application.household,
            valid_from=valid_from,
            valid_until=add_months(valid_from, setting("LICENSING_WORK_PERMIT_MONTHS"))
            - dt.timedelta(days=1),
            issued_at=now,
        )
        lines = application.lines.filter(granted__gt=0).select_related("occupation", "nationality")
        LicenceVacancy.objects.bulk_create(
            LicenceVacancy(
                licence=licence,
                occupation=line.occupation,
                nationality=line.nationality,
                gender=line.gender,
                issued=line.granted,
            )
            for line in lines
        )
        document = document_issue(
            actor=actor,
            now=now,
            kind="LICENCE",
            subject_ref=licence.number,
            fields=_licence_fields(licence),
            tables=[_vacancy_table(licence)],
        )
        licence.document_code = document.code
        licence.save(update_fields=["document_code"])
        audit.record(
            actor=actor,
            action="licence.issued",
            obj=licence,
            at=now,
            changes={
                "application": [None, application.number],
                "valid_until": [None, licence.valid_until],
                "workers": [None, application.granted_total],
            },
        )
        _publish(licence, "licence.issued", now)
        _notify_licence(licence, now)
    return licence


def _holder_names(licence: Licence) -> tuple[str, str]:
    holder = licence.establishment or licence.household
    return holder.name_en, holder.name_ar


def _licence_fields(licence: Licence) -> list[DocumentField]:
    name_en, name_ar = _holder_names(licence)
    holder_id = (
        licence.establishment.cr_number if licence.establishment else licence.household.civil_number
    )
    return [
        DocumentField.of("number", _("Licence number"), licence.number),
        DocumentField.of("kind", _("Kind"), Kind(licence.kind).label),
        DocumentField.of("holder", _("Holder"), name_en, name_ar),
        DocumentField.of("holder_id", _("CR or civil number"), holder_id),
        DocumentField.of("valid_from", _("Valid from"), licence.valid_from.strftime("%d/%m/%Y")),
        DocumentField.of("valid_until", _("Valid until"), licence.valid_until.strftime("%d/%m/%Y")),
    ]


def _vacancy_table(licence: Licence) -> DocumentTable:
    vacancies = licence.vacancies.select_related("occupation", "nationality").order_by("id")
    return DocumentTable.of(
        "vacancies",
        _("Workers allowed"),
        [_("Occupation"), _("Nationality"), _("Gender"), _("Number")],
        [
            (
                (v.occupation.name_en, v.occupation.name_ar),
                (v.nationality.name_en, v.nationality.name_ar),
                Gender(v.gender).label,
                str(v.issued),
            )
            for v in vacancies
        ],
    )


def _publish(licence: Licence, event_type: str, now: dt.datetime, **details) -> None:
    publish_event(
        subject=f"licence:{licence.number}",
        event_type=event_type,
        payload={
            "licence_number": licence.number,
            "kind": licence.kind,
            "establishment_cr": licence.establishment.cr_number if licence.establishment else None,
            "status": licence.status,
            "valid_until": licence.valid_until.isoformat(),
            **details,
        },
        now=now,
    )


# --- Licences --------------------------------------------------------------------------------


def licence_cancel_by_holder(
    *, actor: Actor, licence: Licence, reason: str, now: dt.datetime
) -> Licence:
    """The employer gives up the vacancies no visa was reserved for; the licence ends when none
    is reserved or used, else it keeps only those."""
    reason = required_reason(reason)
    with transaction.atomic():
        if licence.status != L.ACTIVE:
            raise StatusConflict(_("Only an active licence can be cancelled."))
        released = 0
        for vacancy in licence.vacancies.select_for_update().order_by("id"):
            released += vacancy.free
            LicenceVacancy.objects.filter(pk=vacancy.pk).update(issued=F("reserved") + F("used"))
        in_use = licence.vacancies.filter(issued__gt=0).exists()
        if not in_use:
            _move(
                licence,
                LICENCE_TRANSITIONS,
                L.CANCELLED,
                cancelled_at=now,
                cancel_reason=reason,
            )
        audit.record(
            actor=actor,
            action="licence.vacancies_released" if in_use else "licence.cancelled",
            obj=licence,
            at=now,
            changes={"released": released, "status": licence.status, "reason": reason},
        )
        _publish(licence, "licence.changed", now, released=released)
    return licence


def licence_cancel_by_ministry(
    *, actor: Actor, licence: Licence, reason: str, now: dt.datetime
) -> Licence:
    """The ministry ends a licence: no new visa can be reserved; visas already reserved may
    still arrive."""
    _officer(actor)
    reason = required_reason(reason)
    with transaction.atomic():
        _move(
            licence,
            LICENCE_TRANSITIONS,
            L.CANCELLED,
            cancelled_at=now,
            cancel_reason=reason,
        )
        audit.record(
            actor=actor,
            action="licence.cancelled",
            obj=licence,
            at=now,
            changes={"status": [L.ACTIVE, L.CANCELLED], "reason": reason, "by": "ministry"},
        )
        _publish(licence, "licence.changed", now)
        _notify_licence(licence, now)
    return licence


def licences_expire(*, actor: Actor, now: dt.datetime) -> int:
    """Mark every active licence past its last valid day expired; returns how many."""
    due = Licence.objects.filter(status=L.ACTIVE, valid_until__lt=timezone.localdate(now))
    return states.sweep(
        due,
        L.EXPIRED,
        table=LICENCE_TRANSITIONS,
        error=StatusConflict,
        actor=actor,
        action="licence.expired",
        at=now,
    )


# --- Visa reservations and arrivals (the police) ------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A police call's outcome; `created` is False when it repeats an earlier call."""

    reservation: VisaReservation
    created: bool


def _open_licence(licence_number: str, now: dt.datetime) -> Licence:
    licence = Licence.objects.select_related("establishment").filter(number=licence_number).first()
    if licence is None:
        raise LicenceNotFound(_("There is no licence %(number)s."), number=licence_number)
    if licence.status == L.CANCELLED:
        raise LicenceCancelled(_("Licence %(number)s was cancelled."), number=licence_number)
    if licence.status == L.EXPIRED or licence.valid_until < timezone.localdate(now):
        raise LicenceExpired(_("Licence %(number)s has expired."), number=licence_number)
    establishment = licence.establishment
    if establishment and establishment.status != Establishment.Status.ACTIVE:
        raise EstablishmentBlocked(
            _("The establishment holding licence %(number)s is %(state)s."),
            number=licence_number,
            state=lazy(establishment.get_status_display, str)(),
        )
    return licence


def _repeat(reservation: VisaReservation, fingerprint: str, field: str) -> Answer:
    if reservation.status == V.CANCELLED:
        raise VisaCancelled(_("Visa %(visa)s was cancelled."), visa=reservation.visa_number)
    if getattr(reservation, field) != fingerprint:
        raise VisaNumberConflict(
            _("Visa %(visa)s was already sent with other details."),
            visa=reservation.visa_number,
        )
    return Answer(reservation, created=False)


def _reservation(visa_number: str) -> VisaReservation | None:
    return (
        VisaReservation.objects.select_related("vacancy__licence__establishment")
        .filter(visa_number=visa_number)
        .first()
    )


def _known_visa(visa_number: str) -> VisaReservation | None:
    """The reservation alone: what a repeated reservation's answer needs (the police call
    again and again for a licence with no vacancy left, and this is read every time)."""
    return VisaReservation.objects.filter(visa_number=visa_number).first()


def _take_vacancy(
    *, licence: Licence, occupation_code: str, nationality: str, gender: str, counter: str
) -> LicenceVacancy:
    """Count one more `reserved` or `used` on the matching vacancy with one conditional UPDATE,
    so concurrent requests never take more than were issued."""
    vacancy = LicenceVacancy.objects.filter(
        licence=licence,
        occupation_id=occupation_code,
        nationality_id=nationality,
        gender=gender,
    ).first()
    taken = vacancy is not None and LicenceVacancy.objects.filter(
        pk=vacancy.pk, issued__gt=F("reserved") + F("used")
    ).update(**{counter: F(counter) + 1})
    if not taken:
        raise _no_vacancy(licence.number, occupation_code, nationality, gender)
    return vacancy


def _no_vacancy(licence_number: str, occupation_code: str, nationality: str, gender: str):
    return NoVacancy(
        _(
            "Licence %(number)s has no free vacancy for %(occupation)s, "
            "%(nationality)s, %(gender)s."
        ),
        number=licence_number,
        occupation=occupation_code,
        nationality=nationality,
        gender=gender,
    )


def _transfer_licence(
    licence_number: str, establishment: Establishment, now: dt.datetime
) -> Licence:
    licence = _open_licence(licence_number, now)
    if licence.establishment_id != establishment.pk:
        # Another employer's licence is reported as unknown, not revealed.
        raise LicenceNotFound(_("There is no licence %(number)s."), number=licence_number)
    return licence


def vacancy_hold_for_transfer(
    *,
    actor: Actor,
    licence_number: str,
    establishment: Establishment,
    occupation_code: str,
    nationality: str,
    gender: str,
    now: dt.datetime,
) -> LicenceVacancy:
    """When a transfer is asked for: the new employer's licence is open and one of its free
    vacancies for the worker is held (`reserved + 1`) until the worker moves or the transfer
    ends, so two transfers are never billed for the last vacancy. In the caller's transaction.
    """
    licence = _transfer_licence(licence_number, establishment, now)
    vacancy = _take_vacancy(
        licence=licence,
        occupation_code=occupation_code,
        nationality=nationality,
        gender=gender,
        counter="reserved",
    )
    audit.record(
        actor=actor,
        action="vacancy.held_for_transfer",
        obj=vacancy,
        at=now,
        changes={"licence": licence_number, "reserved": [vacancy.reserved, vacancy.reserved + 1]},
    )
    return vacancy


def vacancy_use_held(*, actor: Actor, vacancy: LicenceVacancy, now: dt.datetime) -> None:
    """The transferred worker moved: the vacancy held for the transfer is now used."""
    _reserved_to_used(vacancy.pk)
    audit.record(actor=actor, action="vacancy.used_for_transfer", obj=vacancy, at=now, changes={})


def vacancy_release_held(*, actor: Actor, vacancy: LicenceVacancy, now: dt.datetime) -> None:
    """The transfer ended without the worker moving: the vacancy held for it is free again."""
    _give_back(vacancy.pk)
    audit.record(actor=actor, action="vacancy.released", obj=vacancy, at=now, changes={})


def _reserved_to_used(vacancy_id: int) -> None:
    LicenceVacancy.objects.filter(pk=vacancy_id, reserved__gt=0).update(
        reserved=F("reserved") - 1, used=F("used") + 1
    )


def _give_back(vacancy_id: int) -> None:
    LicenceVacancy.objects.filter(pk=vacancy_id, reserved__gt=0).update(reserved=F("reserved") - 1)


# The police's reservation path, at national scale: the licence's checks and the vacancy's
# count in one conditional UPDATE, written in SQL because compiling the equivalent ORM query
# (with a join through the licence to the establishment) cost more than running it. On
# PostgreSQL the same statement inserts the reservation and appends its audit event: one round
# trip and no BEGIN/COMMIT (docs/benchmarks.md). SQLite cannot write inside a WITH: there it is
# two statements and `audit.record`, in a transaction.
_TAKE_SQL = """
UPDATE {vacancy} SET reserved = reserved + 1
WHERE issued > reserved + used AND id = (
    SELECT v.id FROM {vacancy} v
    JOIN {licence} l ON l.id = v.licence_id
    LEFT JOIN {establishment} e ON e.id = l.establishment_id
    WHERE l.number = %s AND l.status = %s AND l.valid_until >= %s
      AND (e.id IS NULL OR e.status = %s)
      AND v.occupation_id = %s AND v.nationality_id = %s AND v.gender = %s
)
RETURNING id
"""
_INSERT_RESERVATION_SQL = """
INSERT INTO {reservation} (visa_number, vacancy_id, status, request_hash, arrival_hash,
                           border_post, created_at)
{source}
RETURNING id, vacancy_id
"""


@functools.cache
def _reserve_statements(vendor: str) -> tuple[str, ...]:
    """PostgreSQL: the start of one statement, which the audit event's CTEs complete;
    SQLite: the UPDATE that takes the vacancy and the INSERT of the reservation."""
    quote = connection.ops.quote_name
    tables = {
        "vacancy": quote(LicenceVacancy._meta.db_table),
        "licence": quote(Licence._meta.db_table),
        "establishment": quote(Establishment._meta.db_table),
        "reservation": quote(VisaReservation._meta.db_table),
    }
    take = _TAKE_SQL.format(**tables)
    if vendor == "postgresql":
        source = "SELECT %s, id, %s, %s, '', '', %s FROM taken"
        insert = _INSERT_RESERVATION_SQL.format(source=source, **tables)
        return (f"WITH taken AS ({take}), reserved AS ({insert}),",)
    insert = _INSERT_RESERVATION_SQL.format(source="VALUES (%s, %s, %s, %s, '', '', %s)", **tables)
    return take, insert


def _reservation_insert(
    *,
    actor: Actor,
    visa_number: str,
    licence_number: str,
    fingerprint: str,
    take: list,
    now: dt.datetime,
) -> VisaReservation | None:
    """Take the vacancy, store the reservation and its audit event; None when no vacancy was
    free. IntegrityError when the visa number is known; nothing is changed then."""
    statements = _reserve_statements(connection.vendor)
    created_at = VisaReservation._meta.get_field("created_at").get_db_prep_save(now, connection)
    event = {"actor": actor, "action": "visa.reserved", "at": now}
    if len(statements) == 1:
        in_statement = audit.event_in_statement(
            **event,
            model=VisaReservation,
            source="reserved",
            changes={"licence": licence_number, "vacancy": audit.Column("vacancy_id")},
        )
        row = audit.execute_with_event(
            f"{statements[0]} {in_statement.ctes} "
            f"SELECT id, vacancy_id, {in_statement.check} FROM reserved",
            [*take, visa_number, V.RESERVED, fingerprint, created_at, *in_statement.params],
        )
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statements[0], take)
            taken = cursor.fetchone()
            if taken is None:
                return None
            cursor.execute(
                statements[1], [visa_number, taken[0], V.RESERVED, fingerprint, created_at]
            )
            row = cursor.fetchone()
            audit.record(
                **event,
                obj=VisaReservation(pk=row[0]),
                changes={"licence": licence_number, "vacancy": row[1]},
            )
    if row is None:
        return None
    return VisaReservation(
        pk=row[0],
        visa_number=visa_number,
        vacancy_id=row[1],
        status=V.RESERVED,
        request_hash=fingerprint,
        created_at=now,
    )


def visa_reserve(
    *,
    actor: Actor,
    visa_number: str,
    licence_number: str,
    occupation_code: str,
    nationality: str,
    gender: str,
    now: dt.datetime,
) -> Answer:
    """Take one vacancy of a licence for a visa.

    The usual call costs one statement on PostgreSQL (a transaction of three on SQLite) that
    takes the vacancy of an open licence of an open establishment, stores the reservation and
    appends its audit event. Only when it takes nothing (a repeat, a refusal) are the visa and
    the licence read to give the answer or the reason.
    """
    fingerprint = _fingerprint(
        {"l": licence_number, "o": occupation_code, "n": nationality, "g": gender}
    )
    take = [
        licence_number,
        L.ACTIVE,
        timezone.localdate(now),
        Establishment.Status.ACTIVE,
        occupation_code,
        nationality,
        gender,
    ]
    try:
        reservation = _reservation_insert(
            actor=actor,
            visa_number=visa_number,
            licence_number=licence_number,
            fingerprint=fingerprint,
            take=take,
            now=now,
        )
    except IntegrityError:
        # The visa number is known (this call repeats one, perhaps concurrently): the
        # vacancy taken above was given back by the rollback.
        existing = _known_visa(visa_number)
        if existing is None:
            raise
        return _repeat(existing, fingerprint, "request_hash")
    if reservation is not None:
        return Answer(reservation, created=True)
    existing = _known_visa(visa_number)
    if existing is not None:
        return _repeat(existing, fingerprint, "request_hash")
    _open_licence(licence_number, now)  # raises the licence's own reason, if it has one
    raise _no_vacancy(licence_number, occupation_code, nationality, gender)


def visa_cancel(*, actor: Actor, visa_number: str, now: dt.datetime) -> VisaReservation:
    """Give the vacancy back; a visa already used for an arrival cannot be cancelled."""
    with transaction.atomic():
        reservation = (
            VisaReservation.objects.select_for_update().filter(visa_number=visa_number).first()
        )
        if reservation is None:
            raise VisaNotFound(_("There is no visa %(visa)s."), visa=visa_number)
        if reservation.status == V.CANCELLED:
            return reservation
        if reservation.status == V.ARRIVED:
            raise AlreadyArrived(
                _("The worker of visa %(visa)s has arrived; it cannot be cancelled."),
                visa=visa_number,
            )
        _move(reservation, VISA_TRANSITIONS, V.CANCELLED, cancelled_at=now)
        _give_back(reservation.vacancy_id)
        audit.record(
            actor=actor,
            action="visa.cancelled",
            obj=reservation,
            at=now,
            changes={"status": [V.RESERVED, V.CANCELLED]},
        )
    return reservation


@dataclass(frozen=True)
class Arrival:
    passport_number: str
    nationality: str
    full_name_en: str
    date_of_birth: dt.date
    gender: str
    arrival_date: dt.date
    border_post: str
    basic_wage_baisa: int | None = None


def _arriving_person(actor: Actor, arrival: Arrival, now: dt.datetime) -> Person:
    """The worker by passport: one seen before is the same person, else a new one."""
    try:
        validate_passport_number(arrival.passport_number)
    except ValidationError as error:
        first = error.error_list[0]
        raise InvalidWorkerData(
            first.message, code="invalid_passport_number", **(first.params or {})
        ) from error
    if arrival.date_of_birth >= arrival.arrival_date or not arrival.full_name_en.strip():
        raise InvalidWorkerData(_("Give the worker's name and a date of birth before arrival."))
    return registry_services.person_register_arrival(
        actor=actor,
        nationality_code=arrival.nationality,
        passport_number=arrival.passport_number,
        name_en=arrival.full_name_en.strip(),
        birth_date=arrival.date_of_birth,
        gender=arrival.gender,
        now=now,
    )


def worker_arrive(*, actor: Actor, visa_number: str, arrival: Arrival, now: dt.datetime) -> Answer:
    """The worker entered the country: register the person, start the employment with the
    licence holder (the establishment, or the household of a private licence), and move the
    vacancy from reserved to used, in one transaction."""
    arrival = Arrival(
        **{
            **arrival.__dict__,
            "passport_number": normalise_passport_number(arrival.passport_number),
        }
    )
    fingerprint = _fingerprint(arrival.__dict__)
    reservation = _reservation(visa_number)
    if reservation is None:
        raise VisaNotFound(_("There is no visa %(visa)s."), visa=visa_number)
    if reservation.status != V.RESERVED:
        return _repeat(reservation, fingerprint, "arrival_hash")
    vacancy = reservation.vacancy
    if (arrival.nationality, arrival.gender) != (vacancy.nationality_id, vacancy.gender):
        raise WorkerDoesNotMatchVacancy(
            _(
                "Visa %(visa)s is for a worker of nationality %(nationality)s and gender "
                "%(gender)s."
            ),
            visa=visa_number,
            nationality=vacancy.nationality_id,
            gender=vacancy.gender,
        )
    wage = arrival.basic_wage_baisa or setting("LICENSING_ARRIVAL_DEFAULT_WAGE_BAISA")
    try:
        with transaction.atomic():
            person = _arriving_person(actor, arrival, now)
            _move(
                reservation,
                VISA_TRANSITIONS,
                V.ARRIVED,
                arrived_at=now,
                worker=person,
                arrival_hash=fingerprint,
                arrival_date=arrival.arrival_date,
                border_post=arrival.border_post[:60],
            )
            _reserved_to_used(vacancy.pk)
            licence = vacancy.licence
            employment_start(
                actor=actor,
                person=person,
                establishment=licence.establishment,
                household=licence.household,
                occupation=vacancy.occupation,
                start_date=arrival.arrival_date,
                basic_wage_baisa=wage,
                now=now,
            )
            audit.record(
                actor=actor,
                action="visa.arrived",
                obj=reservation,
                at=now,
                changes={"status": [V.RESERVED, V.ARRIVED], "worker": person.pk},
            )
            _publish(licence, "worker.arrived", now, visa_number=visa_number, worker_id=person.pk)
    except StatusConflict:
        # The same arrival was recorded concurrently and committed first.
        return _repeat(_reservation(visa_number), fingerprint, "arrival_hash")
    return Answer(reservation, created=True)


# --- Notices to the holder -----------------------------------------------------------------------


# Subject and text of each notice; every parameter is given, each text uses those it names.
NOTICES = {
    "approved": (
        _("Licence application %(number)s approved"),
        _(
            "Your licence application %(number)s was approved. Workers granted: "
            "%(granted)s.\nPay invoice %(invoice)s to receive the licence."
        ),
    ),
    "reduced": (
        _("Licence application %(number)s approved for fewer workers"),
        _(
            "Your licence application %(number)s was approved for fewer workers than "
            "asked: %(granted)s of %(requested)s.\nReason: %(reason)s\n"
            "Pay invoice %(invoice)s to receive the licence."
        ),
    ),
    "rejected": (
        _("Licence application %(number)s rejected"),
        _("Your licence application %(number)s was rejected.\nReason: %(reason)s"),
    ),
    "issued": (
        _("Licence %(number)s issued"),
        _(
            "Licence %(number)s was issued, valid from %(start)s until %(end)s. Workers "
            "allowed: %(workers)s. Its PDF is on the licence's page."
        ),
    ),
    "cancelled": (
        _("Licence %(number)s cancelled by the ministry"),
        _(
            "The ministry cancelled licence %(number)s: no new visa can be reserved against "
            "it; visas already reserved may still be used.\nReason: %(reason)s"
        ),
    ),
}


def _notify_holder(holder, notice: str, params: dict, *, link: str, now: dt.datetime) -> None:
    """Tell the representatives of the establishment, or the users of the household, that an
    application or licence (`holder`) changed; the e-mails leave after commit."""
    subject, body = NOTICES[notice]
    texts = {
        "subject": notifications.message(subject, **params),
        "body": notifications.message(body, **params),
        "link": link,
        "now": now,
    }
    if holder.establishment_id:
        notifications.notify_establishment(establishment=holder.establishment, **texts)
    else:
        notifications.notify_household(household=holder.household, **texts)


def _decision_reason(application: LicenceApplication):
    """The officer's reason, or the eligibility notes of an automatic decision."""
    if application.decision_reason:
        return application.decision_reason
    notes = application.notes
    return notifications.localised(
        " ".join(note["ar"] for note in notes), " ".join(note["en"] for note in notes)
    )


def _notify_decision(application: LicenceApplication, now: dt.datetime) -> None:
    """Approved (for all or fewer workers) or rejected; one waiting for an officer tells
    nothing yet."""
    if application.status not in (A.AWAITING_PAYMENT, A.REJECTED):
        return
    granted, requested = application.granted_total, application.requested_total
    if application.status == A.REJECTED:
        notice = "rejected"
    else:
        notice = "reduced" if granted < requested else "approved"
    params = {
        "number": application.number,
        "granted": granted,
        "requested": requested,
        "reason": _decision_reason(application),
        "invoice": application.invoice_number,
    }
    link = reverse("licensing:application", args=[application.number])
    _notify_holder(application, notice, params, link=link, now=now)


def _notify_licence(licence: Licence, now: dt.datetime) -> None:
    """Issued, or cancelled by the ministry (the holder who cancels needs no notice)."""
    params = {
        "number": licence.number,
        "reason": licence.cancel_reason,
        "workers": licence.application.granted_total,
        "start": licence.valid_from.strftime("%d/%m/%Y"),
        "end": licence.valid_until.strftime("%d/%m/%Y"),
    }
    notice = "cancelled" if licence.status == L.CANCELLED else "issued"
    link = reverse("licensing:licence", args=[licence.number])
    _notify_holder(licence, notice, params, link=link, now=now)
