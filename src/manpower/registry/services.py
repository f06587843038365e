"""Every write to the registry: one function per use case, one transaction, one audit event."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError
from manpower.core.models import Occupation

from .models import Employment, Establishment, Person, Representation


class AlreadyEmployed(Conflict):
    code = "already_employed"


class EmploymentAlreadyEnded(Conflict):
    code = "employment_already_ended"


class InvalidEndDate(DomainError):
    code = "invalid_end_date"


class RepresentationExists(Conflict):
    code = "representation_exists"


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
    employment.status = Employment.Status.ENDED
    employment.end_date = end_date
    employment.save(update_fields=["status", "end_date"])
    audit.record(
        actor=actor,
        action="employment.ended",
        obj=employment,
        at=now,
        changes=audit.changes_between(before, audit.snapshot(employment, ["status", "end_date"])),
    )
    return employment


def representation_grant(
    *, actor: Actor, user, establishment: Establishment, now: dt.datetime
) -> Representation:
    """Authorise a user to act for an establishment."""
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
    """Change a person's fields (names, numbers, nationality); the audit event keeps the
    previous values. Returns the changes."""
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
    audit.record(actor=actor, action="person.modified", obj=person, at=now, changes=changes)
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
