"""Every write to the registry: one function per use case, one transaction, one audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext_lazy as _

from manpower.accounts.permissions import StaffAction, require_staff_action
from manpower.core import audit, states
from manpower.core.actor import Actor, Channel
from manpower.core.errors import Conflict, DomainError, NotFound, required_reason
from manpower.core.models import Occupation

from . import selectors
from .models import Employment, Establishment, EstablishmentWorkforce, Person, Representation

E = Establishment.Status
# An establishment is suspended (its licensing stops) and reactivated; a closed one stays closed.
ESTABLISHMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    E.ACTIVE: frozenset({E.SUSPENDED, E.CLOSED}),
    E.SUSPENDED: frozenset({E.ACTIVE, E.CLOSED}),
    E.CLOSED: frozenset(),
}
EMPLOYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    Employment.Status.ACTIVE: frozenset({Employment.Status.ENDED}),
    Employment.Status.ENDED: frozenset(),
}
# What a ministry correction of a person's record may change.
CORRECTABLE_PERSON_FIELDS = (
    "name_ar",
    "name_en",
    "nationality",
    "birth_date",
    "gender",
    "passport_number",
    "passport_expiry_date",
)


class AlreadyEmployed(Conflict):
    code = "already_employed"


class EmploymentAlreadyEnded(Conflict):
    code = "employment_already_ended"


class InvalidEndDate(DomainError):
    code = "invalid_end_date"


class RepresentationExists(Conflict):
    code = "representation_exists"


class RepresentationNotFound(NotFound):
    code = "representation_not_found"


class EstablishmentStatusChange(Conflict):
    code = "establishment_status_change"


class IdentifierTaken(Conflict):
    code = "identifier_taken"


class OneEmployerRequired(DomainError):
    code = "one_employer_required"


def employment_start(
    *,
    actor: Actor,
    person: Person,
    occupation: Occupation,
    start_date: dt.date,
    basic_wage_baisa: int,
    now: dt.datetime,
    establishment: Establishment | None = None,
    household: Person | None = None,
) -> Employment:
    """Record that a person starts working for an establishment or, as a domestic worker, for
    a household (the person who holds the private licence)."""
    if (establishment is None) == (household is None):
        raise OneEmployerRequired(
            _("An employment has one employer: an establishment or a household.")
        )
    try:
        with transaction.atomic():
            employment = Employment.objects.create(
                person=person,
                establishment=establishment,
                household=household,
                occupation=occupation,
                person_is_national=person.is_national,
                start_date=start_date,
                basic_wage_baisa=basic_wage_baisa,
            )
            if establishment is not None:
                omanisation_recompute(establishment_ids=[establishment.pk])
            audit.record(
                actor=actor,
                action="employment.started",
                obj=employment,
                at=now,
                changes=audit.changes_between(
                    {},
                    {
                        "person": person.pk,
                        "establishment": establishment.cr_number if establishment else None,
                        "household": household.pk if household else None,
                        "occupation": occupation.code,
                        "start_date": start_date,
                        "basic_wage_baisa": basic_wage_baisa,
                    },
                ),
            )
    except IntegrityError as exc:
        if "one_active_employment" in str(exc) or "UNIQUE" in str(exc).upper():
            raise AlreadyEmployed(
                _("This worker already has an active employment with another employer.")
            ) from exc
        raise
    return employment


@transaction.atomic
def employment_end(
    *, actor: Actor, employment: Employment, end_date: dt.date, now: dt.datetime
) -> Employment:
    """Close an active employment on `end_date`."""
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    if employment.status != Employment.Status.ACTIVE:
        raise EmploymentAlreadyEnded(_("This employment has already ended."))
    if end_date < employment.start_date:
        raise InvalidEndDate(_("The end date cannot be before the start date."))
    before = audit.snapshot(employment, ["status", "end_date"])
    states.transition(
        employment,
        Employment.Status.ENDED,
        table=EMPLOYMENT_TRANSITIONS,
        error=EmploymentAlreadyEnded,
        end_date=end_date,
    )
    if employment.establishment_id is not None:
        omanisation_recompute(establishment_ids=[employment.establishment_id])
    audit.record(
        actor=actor,
        action="employment.ended",
        obj=employment,
        at=now,
        changes=audit.changes_between(before, audit.snapshot(employment, ["status", "end_date"])),
    )
    return employment


@transaction.atomic
def employment_terms_change(
    *,
    actor: Actor,
    employment: Employment,
    occupation: Occupation,
    basic_wage_baisa: int,
    now: dt.datetime,
) -> Employment:
    """Record new terms of an active employment (an amended contract): the ledger's occupation
    and basic wage are what wage protection and the statistics read."""
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    if employment.status != Employment.Status.ACTIVE:
        raise EmploymentAlreadyEnded(_("This employment has already ended."))
    fields = ["occupation_id", "basic_wage_baisa"]
    before = audit.snapshot(employment, fields)
    employment.occupation = occupation
    employment.basic_wage_baisa = basic_wage_baisa
    employment.save(update_fields=["occupation", "basic_wage_baisa"])
    audit.record(
        actor=actor,
        action="employment.terms_changed",
        obj=employment,
        at=now,
        changes=audit.changes_between(before, audit.snapshot(employment, fields)),
    )
    return employment


# The establishments' Omanisation figures from the active rows of the ledger, set-based: first
# a zero row for each establishment that has none, then one UPDATE ... FROM of the ledger grouped
# by establishment, joined to those rows (an establishment without workers gets zeros), writing
# only the rows whose figures differ. PostgreSQL and SQLite (3.33+) both have UPDATE ... FROM;
# integer division rounds the share down on both.
_MISSING_SQL = """
INSERT INTO {figures} (establishment_id, nationals, workforce, share_permyriad)
SELECT e.id, 0, 0, 0
  FROM {establishment} e
 WHERE NOT EXISTS (SELECT 1 FROM {figures} f WHERE f.establishment_id = e.id) {and_establishment}
"""
_RECOMPUTE_SQL = """
UPDATE {figures}
   SET nationals = s.nationals,
       workforce = s.total,
       share_permyriad = CASE WHEN s.total = 0 THEN 0 ELSE s.nationals * 10000 / s.total END
  FROM (SELECT f.establishment_id AS id,
               COALESCE(c.total, 0) AS total, COALESCE(c.nationals, 0) AS nationals
          FROM {figures} f
          LEFT JOIN (SELECT establishment_id, COUNT(*) AS total,
                            SUM(CASE WHEN person_is_national THEN 1 ELSE 0 END) AS nationals
                       FROM {employment}
                      WHERE status = %s AND establishment_id IS NOT NULL {and_employment}
                      GROUP BY establishment_id) c ON c.establishment_id = f.establishment_id
         {where_figures}) s
 WHERE {figures}.establishment_id = s.id
   AND ({figures}.nationals <> s.nationals OR {figures}.workforce <> s.total)
"""


def omanisation_recompute(*, establishment_ids: Iterable[int] | None = None) -> int:
    """Set the stored Omanisation figures (nationals, workforce, share) of these establishments,
    or of every one when none are named, from the active rows of the employment ledger; returns
    how many establishments' figures changed (a first row of zeros counts as a change).

    The one function through which the figures change: `employment_start` and `employment_end`
    call it in their transaction, the bulk recompute and the seed call it for all. The figures
    are derived from the ledger, whose changes are audited, so it writes no audit event itself.
    With named establishments their rows are locked first (in id order; a lock that does not
    hold up the ledger's inserts), so that the count, taken by the next statements, sees every
    concurrent ledger change already committed.
    """
    quote = connection.ops.quote_name
    tables = {
        "figures": quote(EstablishmentWorkforce._meta.db_table),
        "establishment": quote(Establishment._meta.db_table),
        "employment": quote(Employment._meta.db_table),
    }
    ids: list[int] = []
    filters = {"and_establishment": "", "and_employment": "", "where_figures": ""}
    if establishment_ids is not None:
        ids = sorted(set(establishment_ids))
        if not ids:
            return 0
        marks = ", ".join(["%s"] * len(ids))
        filters = {
            "and_establishment": f"AND e.id IN ({marks})",
            "and_employment": f"AND establishment_id IN ({marks})",
            "where_figures": f"WHERE f.establishment_id IN ({marks})",
        }
    with transaction.atomic(), connection.cursor() as cursor:
        if ids:
            list(
                Establishment.objects.select_for_update(no_key=True)
                .filter(pk__in=ids)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        cursor.execute(_MISSING_SQL.format(**tables, **filters), ids)
        added = cursor.rowcount
        cursor.execute(
            _RECOMPUTE_SQL.format(**tables, **filters), [Employment.Status.ACTIVE, *ids, *ids]
        )
        return added + cursor.rowcount


def omanisation_recompute_all() -> int:
    """Every establishment's figures from the ledger in one set-based statement (after a bulk
    load, or to repair figures changed by hand); returns how many changed. It takes no lock on
    the establishments: an employment that starts or ends while it runs may be counted as the
    statement's snapshot saw it, so run it while the ledger is quiet (or run it again)."""
    return omanisation_recompute()


def representation_grant(
    *, actor: Actor, user, establishment: Establishment, now: dt.datetime
) -> Representation:
    """Authorise a user to act for an establishment: ministry staff with the right, or the
    system itself (the demo loader; later the commercial registry's import)."""
    if actor.channel != Channel.SYSTEM:
        require_staff_action(actor=actor, action=StaffAction.MANAGE_REPRESENTATION)
    try:
        with transaction.atomic():
            representation = Representation.objects.create(
                user=user, establishment=establishment, granted_at=now
            )
            audit.record(
                actor=actor,
                action="representation.granted",
                obj=representation,
                at=now,
                changes={"user": [None, user.pk], "establishment": [None, establishment.cr_number]},
            )
    except IntegrityError as exc:
        raise RepresentationExists(_("This user already represents this establishment.")) from exc
    return representation


@transaction.atomic
def representation_revoke(
    *, actor: Actor, representation: Representation, reason: str, now: dt.datetime
) -> None:
    """Withdraw a user's authority to act for an establishment; the audit event keeps who it
    was and why."""
    require_staff_action(actor=actor, action=StaffAction.MANAGE_REPRESENTATION)
    reason = required_reason(reason)
    found = Representation.objects.select_for_update().filter(pk=representation.pk).first()
    if found is None:
        raise RepresentationNotFound(_("This representation was already revoked."))
    audit.record(
        actor=actor,
        action="representation.revoked",
        obj=found,
        at=now,
        changes={
            "user": [found.user_id, None],
            "establishment": [found.establishment.cr_number, None],
            "reason": [None, reason],
        },
    )
    found.delete()


def _establishment_move(
    *,
    actor: Actor,
    establishment: Establishment,
    to: str,
    action: str,
    reason: str,
    now: dt.datetime,
    checked: bool = True,
) -> Establishment:
    """`checked=False` when the calling service has already checked who decides (a sanction
    of labour care's inspection)."""
    if checked:
        require_staff_action(actor=actor, action=StaffAction.MANAGE_ESTABLISHMENT_STATUS)
    reason = required_reason(reason)
    with transaction.atomic():
        establishment = Establishment.objects.select_for_update().get(pk=establishment.pk)
        before = establishment.status
        states.transition(
            establishment, to, table=ESTABLISHMENT_TRANSITIONS, error=EstablishmentStatusChange
        )
        audit.record(
            actor=actor,
            action=action,
            obj=establishment,
            at=now,
            changes={"status": [before, to], "reason": [None, reason]},
        )
    return establishment


def establishment_suspend(
    *, actor: Actor, establishment: Establishment, reason: str, now: dt.datetime
) -> Establishment:
    """Stop an establishment's licensing (a court order, unpaid fines) until reactivated."""
    return _establishment_move(
        actor=actor,
        establishment=establishment,
        to=E.SUSPENDED,
        action="establishment.suspended",
        reason=reason,
        now=now,
    )


def establishment_reactivate(
    *, actor: Actor, establishment: Establishment, reason: str, now: dt.datetime
) -> Establishment:
    """Lift a suspension."""
    return _establishment_move(
        actor=actor,
        establishment=establishment,
        to=E.ACTIVE,
        action="establishment.reactivated",
        reason=reason,
        now=now,
    )


def establishment_close(
    *, actor: Actor, establishment: Establishment, reason: str, now: dt.datetime
) -> Establishment:
    """Record that an establishment has closed (struck off the commercial register); final."""
    return _establishment_move(
        actor=actor,
        establishment=establishment,
        to=E.CLOSED,
        action="establishment.closed",
        reason=reason,
        now=now,
    )


def establishment_sanction_suspend(
    *, actor: Actor, establishment: Establishment, reason: str, now: dt.datetime
) -> bool:
    """Stop an establishment's services as a sanction another app decided (an inspection found
    it non-compliant); the caller checked the decider. False when it was already suspended."""
    if establishment.status != E.ACTIVE:
        return False
    _establishment_move(
        actor=actor,
        establishment=establishment,
        to=E.SUSPENDED,
        action="establishment.sanction_suspended",
        reason=reason,
        now=now,
        checked=False,
    )
    return True


def establishment_sanction_lift(
    *, actor: Actor, establishment: Establishment, reason: str, now: dt.datetime
) -> bool:
    """Restore the services a sanction stopped, when its time is over (a system job). False
    when the establishment is no longer suspended by a sanction: reactivated or closed
    meanwhile, or suspended again by hand (that suspension stays until lifted by hand)."""
    with transaction.atomic():
        establishment = Establishment.objects.select_for_update().get(pk=establishment.pk)
        if not selectors.suspended_by_sanction(establishment=establishment):
            return False
        _establishment_move(
            actor=actor,
            establishment=establishment,
            to=E.ACTIVE,
            action="establishment.sanction_lifted",
            reason=reason,
            now=now,
            checked=False,
        )
    return True


@transaction.atomic
def establishment_chamber_membership_update(
    *,
    actor: Actor,
    cr_number: str,
    chamber_number: str,
    chamber_expiry_date: dt.date,
    now: dt.datetime,
) -> Establishment:
    """Record an establishment's (renewed) chamber of commerce membership."""
    establishment = Establishment.objects.select_for_update().get(cr_number=cr_number)
    fields = ["chamber_number", "chamber_expiry_date"]
    before = audit.snapshot(establishment, fields)
    establishment.chamber_number = chamber_number
    establishment.chamber_expiry_date = chamber_expiry_date
    establishment.save(update_fields=fields)
    audit.record(
        actor=actor,
        action="establishment.chamber_membership_renewed",
        obj=establishment,
        at=now,
        changes=audit.changes_between(before, audit.snapshot(establishment, fields)),
    )
    return establishment


def person_update(*, actor: Actor, now: dt.datetime, person: Person, values: dict) -> dict:
    """Change a person's fields (names, numbers, nationality) in the caller's transaction; the
    audit event keeps the previous values. Returns the changes."""
    return _person_change(
        actor=actor, now=now, person=person, values=values, action="person.modified"
    )


@transaction.atomic
def person_correct(
    *, actor: Actor, person: Person, values: dict, reason: str, now: dt.datetime
) -> dict:
    """A ministry correction of a person's record (a name misspelt at the border, a wrong birth
    date); only the fields that differ are written and audited, with the reason."""
    require_staff_action(actor=actor, action=StaffAction.CORRECT_PERSON)
    reason = required_reason(reason)
    unknown = set(values) - set(CORRECTABLE_PERSON_FIELDS)
    assert not unknown, f"not correctable here: {sorted(unknown)}"
    return _person_change(
        actor=actor, now=now, person=person, values=values, action="person.corrected", reason=reason
    )


def _person_change(
    *, actor: Actor, now: dt.datetime, person: Person, values: dict, action: str, reason=""
) -> dict:
    person = Person.objects.select_for_update().get(pk=person.pk)
    fields = [name if name != "nationality" else "nationality_id" for name in values]
    before = audit.snapshot(person, fields)
    for name, value in values.items():
        setattr(person, name, value)
    try:
        with transaction.atomic():
            person.save(update_fields=list(values))
    except IntegrityError as exc:
        raise IdentifierTaken(
            _("This resident card or passport number belongs to another person.")
        ) from exc
    changes = audit.changes_between(before, audit.snapshot(person, fields))
    recorded = {**changes, "reason": [None, reason]} if reason else changes
    audit.record(actor=actor, action=action, obj=person, at=now, changes=recorded)
    return changes


def person_register_arrival(
    *,
    actor: Actor,
    nationality_code: str,
    passport_number: str,
    name_en: str,
    birth_date: dt.date,
    gender: str,
    now: dt.datetime,
) -> Person:
    """The non-national the border post reports, found by passport or registered."""
    person, created = Person.objects.get_or_create(
        nationality_id=nationality_code,
        passport_number=passport_number,
        defaults={
            "is_national": False,
            "name_en": name_en,
            "birth_date": birth_date,
            "gender": gender,
        },
    )
    if created:
        audit.record(
            actor=actor,
            action="person.arrived",
            obj=person,
            at=now,
            changes={
                "passport_number": [None, passport_number],
                "nationality": [None, nationality_code],
            },
        )
    return person


def establishment_wps_suspension_set(
    *,
    actor: Actor,
    establishment_ids: Iterable[int],
    suspended: bool,
    reason: str,
    now: dt.datetime,
) -> list[int]:
    """Set or lift the Wage Protection System's suspension of new work-permit services (the
    flag licensing reads) on these establishments; the ids whose flag changed, each audited.
    Only wages calls it, from its escalation ladder and its lift on compliance."""
    with transaction.atomic():
        changed = list(
            Establishment.objects.filter(pk__in=list(establishment_ids))
            .exclude(wps_suspended=suspended)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Establishment.objects.filter(pk__in=changed).update(wps_suspended=suspended)
        for establishment in Establishment.objects.filter(pk__in=changed).order_by("pk"):
            audit.record(
                actor=actor,
                action="establishment.wps_suspended" if suspended else "establishment.wps_lifted",
                obj=establishment,
                at=now,
                changes={"wps_suspended": [not suspended, suspended], "reason": [None, reason]},
            )
    return changed
