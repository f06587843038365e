"""Vacancies of a licence taken and given back: the police's visa reservations and their
cancellation, and vacancies held for a transfer between employers.

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
import operator
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, NotFound
from manpower.registry.models import Establishment

from .. import events
from ..models import Licence, LicenceVacancy, VisaReservation
from .transitions import VISA_TRANSITIONS, _move

L = Licence.Status
V = VisaReservation.Status


class LicenceNotFound(Conflict):
    code = "licence_not_found"


class LicenceExpired(Conflict):
    code = "licence_expired"


class LicenceCancelled(Conflict):
    code = "licence_cancelled"


class EstablishmentBlocked(Conflict):
    code = "establishment_blocked"


class WpsNonCompliant(Conflict):
    """The Wage Protection System suspended the establishment's new work-permit services."""

    code = "wps_non_compliant"


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


def _fingerprint(body: dict) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Answer:
    """A police call's outcome; `created` is False when it repeats an earlier call."""

    reservation: VisaReservation
    created: bool


@dataclass(frozen=True)
class _Condition:
    """One test of the open-licence rule: `field` of the licence or of its establishment (a
    household's licence has none, and passes the establishment's tests) compared with the value
    the rule gives for the day."""

    on: str  # "licence" or "establishment"
    field: str
    operator: str  # "=" or ">="
    value: Callable[[dt.date], object]


# The open-licence rule, in one place: the Python check (`_open_licence`, which says why a
# licence is not open) and the police's reservation statement (`_TAKE_SQL`, which takes a
# vacancy only of an open licence) are both made from it.
OPEN_LICENCE = (
    _Condition("licence", "status", "=", lambda today: L.ACTIVE),
    _Condition("licence", "valid_until", ">=", lambda today: today),
    _Condition("establishment", "status", "=", lambda today: Establishment.Status.ACTIVE),
    _Condition("establishment", "wps_suspended", "=", lambda today: False),
)
_COMPARE = {"=": operator.eq, ">=": operator.ge}
_ALIAS = {"licence": "l", "establishment": "e"}


def _open_licence_where() -> str:
    """The rule as the WHERE of the reservation statement (`l` the licence, `e` its
    establishment, LEFT JOINed); its parameters are `_open_licence_params`."""
    tests = []
    for condition in OPEN_LICENCE:
        test = f"{_ALIAS[condition.on]}.{condition.field} {condition.operator} %s"
        tests.append(test if condition.on == "licence" else f"(e.id IS NULL OR {test})")
    return " AND ".join(tests)


def _open_licence_params(today: dt.date) -> list:
    return [condition.value(today) for condition in OPEN_LICENCE]


def _unmet_condition(licence: Licence, today: dt.date) -> _Condition | None:
    """The first test of the rule `licence` fails, or None when it is open."""
    for condition in OPEN_LICENCE:
        row = licence if condition.on == "licence" else licence.establishment
        if row is None:
            continue
        if not _COMPARE[condition.operator](getattr(row, condition.field), condition.value(today)):
            return condition
    return None


def _open_licence(licence_number: str, now: dt.datetime) -> Licence:
    licence = Licence.objects.select_related("establishment").filter(number=licence_number).first()
    if licence is None:
        raise LicenceNotFound(_("There is no licence %(number)s."), number=licence_number)
    unmet = _unmet_condition(licence, timezone.localdate(now))
    if unmet is None:
        return licence
    if unmet.field == "wps_suspended":
        raise wps_non_compliant(licence.establishment)
    if unmet.on == "establishment":
        raise EstablishmentBlocked(
            _("The establishment holding licence %(number)s is %(state)s."),
            number=licence_number,
            state=lazy(licence.establishment.get_status_display, str)(),
        )
    if licence.status == L.CANCELLED:
        raise LicenceCancelled(_("Licence %(number)s was cancelled."), number=licence_number)
    raise LicenceExpired(_("Licence %(number)s has expired."), number=licence_number)


def wps_non_compliant(establishment: Establishment) -> WpsNonCompliant:
    """The refusal of a new work-permit service while wages are not paid correctly."""
    return WpsNonCompliant(
        _(
            "The establishment %(cr)s has not paid its workers' wages correctly; new "
            "work-permit services are suspended until it complies and pays its fines."
        ),
        cr=establishment.cr_number,
    )


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
# (with a join through the licence to the establishment) cost more than running it. A visa
# number already stored takes nothing. On PostgreSQL the same statement inserts the
# reservation and writes its audit event and its outbox event (docs/benchmarks.md); SQLite
# cannot write inside a WITH: there it is two statements, `audit.record` and `publish_event`.
_TAKE_SQL = """
UPDATE {vacancy} SET reserved = reserved + 1
WHERE issued > reserved + used AND id = (
    SELECT v.id FROM {vacancy} v
    JOIN {licence} l ON l.id = v.licence_id
    LEFT JOIN {establishment} e ON e.id = l.establishment_id
    WHERE l.number = %s AND {open_licence}
      AND v.occupation_id = %s AND v.nationality_id = %s AND v.gender = %s
) AND NOT EXISTS (SELECT 1 FROM {reservation} WHERE visa_number = %s)
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
    """PostgreSQL: the start of one statement, which the CTEs of the audit event and the
    outbox event complete; SQLite: the UPDATE that takes the vacancy and the INSERT of the
    reservation."""
    quote = connection.ops.quote_name
    tables = {
        "vacancy": quote(LicenceVacancy._meta.db_table),
        "licence": quote(Licence._meta.db_table),
        "establishment": quote(Establishment._meta.db_table),
        "reservation": quote(VisaReservation._meta.db_table),
    }
    take = _TAKE_SQL.format(open_licence=_open_licence_where(), **tables)
    if vendor == "postgresql":
        # A visa number stored by a concurrent call since the UPDATE began inserts nothing.
        source = "SELECT %s, id, %s, %s, '', '', %s FROM taken ON CONFLICT (visa_number) DO NOTHING"
        insert = _INSERT_RESERVATION_SQL.format(source=source, **tables)
        return (f"WITH taken AS ({take}), reserved AS ({insert}),",)
    insert = _INSERT_RESERVATION_SQL.format(source="VALUES (%s, %s, %s, %s, '', '', %s)", **tables)
    return take, insert


def _reserved_changes(licence_number: str, vacancy: int | audit.Column) -> dict:
    """The audit event's changes of a reservation."""
    return {"licence": licence_number, "vacancy": vacancy}


def _reservation_insert(
    *,
    actor: Actor,
    visa_number: str,
    licence_number: str,
    fingerprint: str,
    take: list,
    now: dt.datetime,
) -> tuple[int, int] | None:
    """Take the vacancy, store the reservation, its audit event and its outbox event, in one
    transaction: the ids of the reservation and of its vacancy, or None when nothing was taken
    (no vacancy free, or the visa number is known); nothing is changed then. On SQLite,
    IntegrityError when a concurrent call stored the visa number; nothing is changed then."""
    created_at = VisaReservation._meta.get_field("created_at").get_db_prep_save(now, connection)
    stored = [visa_number, V.RESERVED, fingerprint, created_at]
    event = {"actor": actor, "action": "visa.reserved", "at": now}
    statements = _reserve_statements(connection.vendor)
    if len(statements) == 1:
        return _reserve_in_one_statement(statements[0], take, stored, event, licence_number)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statements[0], take)
        taken = cursor.fetchone()
        if taken is None:
            return None
        cursor.execute(statements[1], [visa_number, taken[0], *stored[1:]])
        reservation_id, vacancy_id = cursor.fetchone()
        audit.record(
            **event,
            obj=VisaReservation(pk=reservation_id),
            changes=_reserved_changes(licence_number, vacancy_id),
        )
        events.visa_reserved(visa_number=visa_number, licence_number=licence_number, now=now)
    return reservation_id, vacancy_id


def _reserve_in_one_statement(
    start: str, take: list, stored: list, event: dict, licence_number: str
) -> tuple[int, int] | None:
    """PostgreSQL: the vacancy, the reservation, its audit event and its outbox event in one
    statement, no savepoint. The reservation's INSERT does nothing on a visa number stored by
    a concurrent call since the statement began (the vacancy is given back then), and both
    events are written only with the reservation."""
    audited = audit.event_in_statement(
        **event,
        model=VisaReservation,
        source="reserved",
        changes=_reserved_changes(licence_number, audit.Column("vacancy_id")),
    )
    published = events.visa_reserved_in_statement(
        visa_number=stored[0], licence_number=licence_number, source="reserved", now=event["at"]
    )
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            f"{start} {audited.ctes}, {published.ctes} "
            f"SELECT t.id, r.id, {audited.written}, {published.owed} "
            "FROM taken t LEFT JOIN reserved r ON true",
            [*take, *stored, *audited.params, *published.params],
        )
        row = cursor.fetchone()
        if row is None:
            return None
        vacancy_id, reservation_id, event_written, owed = row
        if reservation_id is None:
            _give_back(vacancy_id)
            return None
        if not event_written:  # the chain's head is missing: `record` creates the heads
            audit.record(
                **event,
                obj=VisaReservation(pk=reservation_id),
                changes=_reserved_changes(licence_number, vacancy_id),
            )
        published.written(owed)
    return reservation_id, vacancy_id


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

    The usual call costs one statement on PostgreSQL (a transaction of four on SQLite) that
    takes the vacancy of an open licence of an open establishment, stores the reservation and
    writes its audit event and its outbox event `visa.reserved`. Only when it takes nothing (a
    repeat, a refusal) are the visa and the licence read to give the answer or the reason.
    """
    fingerprint = _fingerprint(
        {"l": licence_number, "o": occupation_code, "n": nationality, "g": gender}
    )
    take = [
        licence_number,
        *_open_licence_params(timezone.localdate(now)),
        occupation_code,
        nationality,
        gender,
        visa_number,
    ]
    try:
        stored = _reservation_insert(
            actor=actor,
            visa_number=visa_number,
            licence_number=licence_number,
            fingerprint=fingerprint,
            take=take,
            now=now,
        )
    except IntegrityError:
        # SQLite: the visa number was stored by a concurrent call; the vacancy taken above was
        # given back by the rollback.
        existing = _known_visa(visa_number)
        if existing is None:
            raise
        return _repeat(existing, fingerprint, "request_hash")
    if stored is not None:
        reservation = VisaReservation(
            pk=stored[0],
            visa_number=visa_number,
            vacancy_id=stored[1],
            status=V.RESERVED,
            request_hash=fingerprint,
            created_at=now,
        )
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
            VisaReservation.objects.select_for_update(of=("self",))
            .select_related("vacancy__licence")
            .filter(visa_number=visa_number)
            .first()
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
        events.visa_cancelled(reservation=reservation, now=now)
    return reservation
