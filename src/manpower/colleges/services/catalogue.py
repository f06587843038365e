"""A college's catalogue kept by its registrar: the programmes its students follow, the intakes
they were admitted in and the courses they are graded in. The students and grades files name
them by code, so a code is unique in its college and written in capitals, as the files hold it."""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.dates import MUSCAT
from manpower.core.errors import Conflict, DomainError
from manpower.core.middleware import UNSTORABLE

from ..models import College, Course, Intake, Programme
from .registrars import registrar_of

CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,15}")
TITLE_MAX_LENGTH = 200
# Sanity bounds, beyond which a number is a typo: a bachelor takes some 130 credits, a course 1-6.
PROGRAMME_MAX_CREDITS = 300
COURSE_MAX_CREDITS = 30
# Intakes start between the colleges' opening and the next two academic years.
FIRST_INTAKE_YEAR, INTAKE_YEARS_AHEAD = 1980, 2


class InvalidCatalogueEntry(DomainError):
    code = "invalid_catalogue_entry"
    status = 422


class CatalogueCodeTaken(Conflict):
    code = "catalogue_code_taken"


def _code(value: str) -> str:
    code = value.strip().upper()
    if not CODE.fullmatch(code):
        raise InvalidCatalogueEntry(
            _("A code is 1 to 16 letters, digits or hyphens (such as IT-DIP or 2025-FALL)."),
            code="invalid_catalogue_code",
        )
    return code


def _text(value: str, *, label) -> str:
    text = value.strip()
    if not text:
        raise InvalidCatalogueEntry(_("Fill in the %(field)s."), field=label)
    if len(text) > TITLE_MAX_LENGTH:
        raise InvalidCatalogueEntry(
            _("The %(field)s is longer than %(most)s characters."),
            field=label,
            most=TITLE_MAX_LENGTH,
        )
    if UNSTORABLE.search(text):
        raise InvalidCatalogueEntry(
            _("The %(field)s holds characters that cannot be stored."), field=label
        )
    return text


def _credits(value: int, *, most: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
        raise InvalidCatalogueEntry(
            _("Credits are a whole number from 1 to %(most)s."), code="invalid_credits", most=most
        )
    return value


def _add(*, actor: Actor, entry: models.Model, fields: list[str], now: dt.datetime):
    """Save the new entry and its audit event; a code already in the college is refused, the
    unique constraint deciding between two registrars adding it at once."""
    model = type(entry)
    taken = CatalogueCodeTaken(
        _("The college already has a %(kind)s with the code %(entry)s."),
        kind=model._meta.verbose_name,
        entry=entry.code,
    )
    if model.objects.filter(college=entry.college, code=entry.code).exists():
        raise taken
    try:
        with transaction.atomic():
            entry.save()
            audit.record(
                actor=actor,
                action=f"{model._meta.model_name}.added",
                obj=entry,
                at=now,
                changes=audit.changes_between({}, audit.snapshot(entry, fields)),
            )
    except IntegrityError as raced:
        raise taken from raced
    return entry


def programme_add(
    *,
    actor: Actor,
    college: College,
    code: str,
    level: str,
    specialisation_ar: str,
    specialisation_en: str,
    credits_required: int,
    now: dt.datetime,
) -> Programme:
    """The registrar adds a programme of study: its graduates' qualification and
    specialisation on the job seekers' register come from it."""
    registrar_of(actor=actor, college=college)
    if level not in Programme.Level.values:
        raise InvalidCatalogueEntry(_("Choose the level: diploma or bachelor."))
    programme = Programme(
        college=college,
        code=_code(code),
        level=level,
        specialisation_ar=_text(specialisation_ar, label=_("specialisation in Arabic")),
        specialisation_en=_text(specialisation_en, label=_("specialisation in English")),
        credits_required=_credits(credits_required, most=PROGRAMME_MAX_CREDITS),
    )
    fields = ["code", "level", "specialisation_ar", "specialisation_en", "credits_required"]
    return _add(actor=actor, entry=programme, fields=fields, now=now)


def intake_add(
    *, actor: Actor, college: College, code: str, start_date: dt.date, now: dt.datetime
) -> Intake:
    """The registrar adds an intake: the students admitted at one start."""
    registrar_of(actor=actor, college=college)
    latest = now.astimezone(MUSCAT).year + INTAKE_YEARS_AHEAD
    if not isinstance(start_date, dt.date) or not FIRST_INTAKE_YEAR <= start_date.year <= latest:
        raise InvalidCatalogueEntry(
            _("An intake starts between %(first)s and %(latest)s."),
            code="invalid_start_date",
            first=FIRST_INTAKE_YEAR,
            latest=latest,
        )
    intake = Intake(college=college, code=_code(code), start_date=start_date)
    return _add(actor=actor, entry=intake, fields=["code", "start_date"], now=now)


def course_add(
    *,
    actor: Actor,
    college: College,
    code: str,
    title_ar: str,
    title_en: str,
    credits: int,
    now: dt.datetime,
) -> Course:
    """The registrar adds a course; its credits weigh its grades in the GPA."""
    registrar_of(actor=actor, college=college)
    course = Course(
        college=college,
        code=_code(code),
        title_ar=_text(title_ar, label=_("title in Arabic")),
        title_en=_text(title_en, label=_("title in English")),
        credits=_credits(credits, most=COURSE_MAX_CREDITS),
    )
    fields = ["code", "title_ar", "title_en", "credits"]
    return _add(actor=actor, entry=course, fields=fields, now=now)
