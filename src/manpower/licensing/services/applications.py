"""Licence applications: the eligibility rules, submission, the officer's decision, and the
settlement of the paid fee (which issues the licence)."""

from __future__ import annotations

import datetime as dt
import math
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import User
from manpower.accounts.permissions import StaffAction, require_staff_action
from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError, required_reason
from manpower.core.models import Nationality, Occupation
from manpower.integration import adapters
from manpower.payments import selectors as payments_selectors
from manpower.registry.models import Establishment, Person

from .. import conf
from ..models import ApplicationLine, Gender, Kind, Licence, LicenceApplication, LicenceVacancy
from .fees import _bill, _fee_percent
from .licences import _licence_issue
from .notices import _notify_decision
from .omanisation import omanisation_standing, require_minimum_nationals
from .transitions import APPLICATION_TRANSITIONS, _move
from .visas import wps_non_compliant

A = LicenceApplication.Status
L = Licence.Status


class NotEligible(DomainError):
    """A rule refuses the request; `code` names the rule."""

    code = "not_eligible"
    status = 422


class ApplicationPending(Conflict):
    code = "application_pending"


class InvalidGrant(DomainError):
    code = "invalid_grant"


def _named(thing) -> str:
    """A bilingual reference row's name in the language a message is rendered in."""
    return lazy(lambda: thing.name, str)()


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
    reserved = set(conf.RESERVED_OCCUPATIONS.value)
    domestic = set(conf.PRIVATE_OCCUPATIONS.value)
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
    if establishment.wps_suspended:
        refusal = wps_non_compliant(establishment)
        raise NotEligible(refusal.message, code=refusal.code, **refusal.params)
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
    standing = omanisation_standing(establishment)
    required = standing.required
    # nationals / (workforce + n) >= required  <=>  n <= nationals / required - workforce
    allowed = (
        requested
        if required == 0
        else min(requested, math.floor(standing.nationals / required) - standing.workforce)
    )
    if allowed < 1:
        raise NotEligible(
            _(
                "The establishment must keep at least %(share)s nationals in its workforce "
                "(it has %(nationals)s of %(active)s): no worker can be added."
            ),
            code="omanisation_share_not_met",
            share=standing.required_percent,
            nationals=standing.nationals,
            active=standing.workforce,
        )
    require_minimum_nationals(standing)
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
                share=standing.required_percent,
            )
        )
    return Eligibility(allowed, standing.meets_share, needs_officer, notes)


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
    limit = conf.PRIVATE_MAX_PER_HOUSEHOLD.value
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
    most = conf.AUTO_APPROVE_MAX_WORKERS.value
    automatic = not eligibility.needs_officer and eligibility.allowed <= most
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
    officer = require_staff_action(actor=actor, action=StaffAction.DECIDE_LICENCE_APPLICATION)
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
    officer = require_staff_action(actor=actor, action=StaffAction.DECIDE_LICENCE_APPLICATION)
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
