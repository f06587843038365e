"""What the demo needs on the day it is loaded, whatever day that is.

The registry is seeded once; these steps run on every `load_demo` and put back, relative to
`today`, what each role needs for its main job: establishments the employer can recruit for
(a valid chamber membership, room under the Omanisation share for a request large enough to go
to an officer), an application in the officer's queue, labour cards due for renewal. Each step
goes through the domain services (audited like any other change) and does nothing when what it
makes is already there, so a second run on the same day changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from contextlib import contextmanager

from django.test import override_settings
from django.utils import timezone

from manpower.accounts.models import User
from manpower.contracts import conf as contract_conf
from manpower.contracts import services as contract_services
from manpower.contracts.models import Contract
from manpower.core.actor import Actor, Channel
from manpower.core.dates import add_months
from manpower.core.errors import DomainError
from manpower.integration.simulator import make_server
from manpower.labourcards import conf as card_conf
from manpower.labourcards import selectors as card_selectors
from manpower.labourcards import services as card_services
from manpower.labourcards.models import LabourCard
from manpower.licensing import services as licensing_services
from manpower.licensing.conf import required_national_share
from manpower.licensing.models import Kind, Licence, LicenceApplication
from manpower.payments import services as payment_services
from manpower.payments.gateways import SANDBOX
from manpower.payments.models import Invoice
from manpower.registry import selectors as registry_selectors
from manpower.registry import services as registry_services
from manpower.registry.models import Establishment

# More workers than an application may have to be approved without an officer
# (LICENSING_AUTO_APPROVE_MAX_WORKERS, 10 by default).
OFFICER_SIZED_REQUEST = 12
# The officer's demo application: bricklayers from India.
QUEUE_LINE = licensing_services.LineRequest("7112", "IND", "M", OFFICER_SIZED_REQUEST)
# Days from today within which the chamber membership of each demo establishment expires: the
# first one's far off, the second one's soon (the portal warns 30 days ahead).
CHAMBER_VALID = (31, 365)
CHAMBER_EXPIRING = (0, 20)
# Days from today to the expiry of each labour card made due for renewal (one already expired).
CARD_EXPIRY_OFFSETS = (-10, 7, 21)
TEST_CARD = "4111 1111 1111 1111"
A = LicenceApplication.Status
# The licence of the employer's first establishment: few enough workers to be approved at once
# (no officer), of which the police reserve visas and one worker arrives.
LICENCE_LINE = licensing_services.LineRequest("9313", "BGD", "M", 4)
RESERVED_VISAS = 2
# The individual's contract with the employer's first establishment: a clerk's, part time (a
# second job beside the one the registry records for them), so no full-time job elsewhere stops it.
CONTRACT_OCCUPATION = "4110"
CONTRACT_WEEKLY_HOURS = 20
CONTRACT_OPEN = (
    Contract.Status.SUBMITTED,
    Contract.Status.AWAITING_INSURANCE,
    Contract.Status.ACCEPTED,
)
# The police, as their partner interface acts (`Actor.for_partner` needs a request).
POLICE = Actor(channel=Channel.PARTNER, label="partner:rop", on_behalf_of=("agency", "rop"))


def room_to_recruit(establishment: Establishment, *, nationals: int, active: int) -> int:
    """Workers the Omanisation share still lets the establishment add (licensing's rule)."""
    activity = establishment.activity
    required = required_national_share(activity.code, activity.parent_id)
    if not required:
        return OFFICER_SIZED_REQUEST
    return math.floor(nationals / required) - active


def recruiting_establishments(limit: int) -> list[Establishment]:
    """Active establishments with the most room to recruit, at least an officer-sized request."""
    candidates = list(
        Establishment.objects.filter(status=Establishment.Status.ACTIVE).select_related("activity")
    )
    workforce = registry_selectors.workforce_by_establishment(
        establishment_ids=[establishment.pk for establishment in candidates]
    )
    room = {
        establishment.pk: room_to_recruit(
            establishment,
            nationals=workforce[establishment.pk].nationals,
            active=workforce[establishment.pk].active,
        )
        for establishment in candidates
    }
    eligible = [e for e in candidates if room[e.pk] >= OFFICER_SIZED_REQUEST]
    eligible.sort(key=lambda e: (-room[e.pk], e.cr_number))
    return eligible[:limit]


def chamber_membership_keep(
    *,
    actor: Actor,
    establishment: Establishment,
    today: dt.date,
    expires_within: tuple[int, int],
    now: dt.datetime,
) -> None:
    """Keep the membership's expiry between these many days from today (renewed to the later
    end when it is not): a long way off, or soon but still valid, so the pages warn of it."""
    soonest, latest = (today + dt.timedelta(days=days) for days in expires_within)
    expiry = establishment.chamber_expiry_date
    if expiry and soonest <= expiry <= latest:
        return
    registry_services.establishment_chamber_membership_update(
        actor=actor,
        cr_number=establishment.cr_number,
        chamber_number=establishment.chamber_number or f"C{establishment.cr_number}"[:12],
        chamber_expiry_date=latest,
        now=now,
    )


def application_for_officer(
    *, actor: Actor, applicant: User, establishment: Establishment, now: dt.datetime
) -> str | None:
    """An application waiting in the officer's queue (the one there, or a new one)."""
    waiting = LicenceApplication.objects.filter(
        establishment=establishment, status=LicenceApplication.Status.IN_REVIEW
    ).first()
    if waiting is not None:
        return waiting.number
    application = _applied(actor, applicant, establishment, QUEUE_LINE, now, A.IN_REVIEW)
    return application.number if application else None


def _applied(
    actor: Actor,
    applicant: User,
    establishment: Establishment,
    line: licensing_services.LineRequest,
    now: dt.datetime,
    status: str,
) -> LicenceApplication | None:
    """A commercial application for one line, if the rules take it and it reaches `status`."""
    try:
        application = licensing_services.application_submit(
            actor=actor,
            applicant=applicant,
            kind=Kind.COMMERCIAL,
            lines=[line],
            establishment=establishment,
            now=now,
        )
    except DomainError:
        return None
    return application if application.status == status else None


def pay_in_sandbox(*, actor: Actor, invoice, now: dt.datetime) -> None:
    """Pay as the employer does: the sandbox gateway's page, then its signed callback."""
    session = payment_services.payment_session_start(actor=actor, now=now, invoice=invoice)
    _charge, callback = payment_services.sandbox_charge(
        now=now, session=session, card_number=TEST_CARD
    )
    payment_services.gateway_callback_receive(
        actor=actor, now=now, gateway=SANDBOX, body=callback.body, signature=callback.signature
    )


def licence_with_visas_keep(
    *, actor: Actor, applicant: User, establishment: Establishment, now: dt.datetime
) -> Licence | None:
    """An active licence of the establishment with visas the police reserved and one worker
    arrived: the open one there, or one applied for, approved at once, paid in the sandbox and
    issued, then reserved through the police's service. None when the rules refuse it."""
    today = timezone.localdate(now)
    held = (
        Licence.objects.filter(
            establishment=establishment,
            kind=Kind.COMMERCIAL,
            status=Licence.Status.ACTIVE,
            valid_from__lte=today,
            valid_until__gte=today,
            vacancies__reservations__isnull=False,
        )
        .order_by("-issued_at")
        .first()
    )
    if held is not None:
        return held
    application = _applied(actor, applicant, establishment, LICENCE_LINE, now, A.AWAITING_PAYMENT)
    if application is None:
        return None
    pay_in_sandbox(
        actor=actor, invoice=Invoice.objects.get(number=application.invoice_number), now=now
    )
    application.refresh_from_db()
    licence = licensing_services.application_payment_confirm(
        actor=actor, application=application, now=now
    )
    line = LICENCE_LINE
    visas = [f"V{licence.number[3:]}{n}" for n in range(1, RESERVED_VISAS + 1)]
    for visa_number in visas:
        licensing_services.visa_reserve(
            actor=POLICE,
            visa_number=visa_number,
            licence_number=licence.number,
            occupation_code=line.occupation_code,
            nationality=line.nationality_code,
            gender=line.gender,
            now=now,
        )
    licensing_services.worker_arrive(
        actor=POLICE,
        visa_number=visas[0],
        arrival=licensing_services.Arrival(
            passport_number=f"D{licence.number[3:10]}",
            nationality=line.nationality_code,
            full_name_en="Rahim Uddin",
            date_of_birth=dt.date(1995, 5, 1),
            gender=line.gender,
            arrival_date=today,
            border_post="Muscat International Airport",
        ),
        now=now,
    )
    return licence


def cards_due_for_renewal_keep(
    *, actor: Actor, establishment: Establishment, today: dt.date
) -> int:
    """Labour cards of the establishment due for renewal: when it has none, cards issued (and
    paid) so long ago that they expire around today. Returns how many are due."""
    employer = card_selectors.Employer(establishment=establishment)
    due = len(card_selectors.cards_due_for_renewal(employer=employer, today=today))
    if due:
        return due
    workers = list(
        card_selectors.workers_without_card(employer=employer)[: len(CARD_EXPIRY_OFFSETS)]
    )
    for employment, offset in zip(workers, CARD_EXPIRY_OFFSETS, strict=False):
        issued_on = add_months(today + dt.timedelta(days=offset), -card_conf.VALIDITY_MONTHS.value)
        issued_at = timezone.make_aware(dt.datetime.combine(issued_on, dt.time(9)))
        request = card_services.card_issue_request(
            actor=actor, now=issued_at, employment=employment, kind=LabourCard.Kind.COMMERCIAL
        )
        pay_in_sandbox(actor=actor, invoice=request.invoice, now=issued_at)
        card_services.card_request_complete(actor=actor, now=issued_at, request=request)
    return card_selectors.cards_due_for_renewal(employer=employer, today=today).count()


def contract_for_individual_keep(
    *, actor: Actor, establishment: Establishment, individual: User, today: dt.date, now
) -> Contract | None:
    """A contract of the establishment with the demo individual, waiting for them to accept it
    on "My contracts" (the one there, or one starting today); kept once they have accepted it."""
    if not individual.civil_number:
        return None
    kept = Contract.objects.filter(
        establishment=establishment,
        person__civil_number=individual.civil_number,
        status__in=CONTRACT_OPEN,
    ).first()
    if kept is not None:
        return kept
    try:
        return contract_services.contract_register(
            actor=actor,
            now=now,
            establishment=establishment,
            civil_number=individual.civil_number,
            occupation_code=CONTRACT_OCCUPATION,
            kind=Contract.Kind.UNLIMITED,
            start_date=today,
            end_date=None,
            probation_months=3,
            weekly_hours=CONTRACT_WEEKLY_HOURS,
            basic_wage_baisa=contract_conf.minimum_wage_baisa() + 50_000,
            allowances_baisa=25_000,
            governorate_code=establishment.governorate_id,
            wilayat_code=establishment.wilayat_id,
        )
    except DomainError:  # not a national after all, an establishment not active...
        return None


@contextmanager
def agencies_simulated():
    """The partner simulators on a free port while the demo's application is checked (the
    commercial registration must be confirmed; `run_demo` serves them on their own port later)."""
    server = make_server(port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with override_settings(INTEGRATION_SIMULATOR_URL=f"http://127.0.0.1:{server.server_port}"):
            yield
    finally:
        server.shutdown()
        server.server_close()
