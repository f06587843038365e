"""Vacancies: posted by an establishment (or its Sanad centre), published at once or after an
officer's review (`JOBS_VACANCY_REVIEW`), withdrawn by the employer, and taken out of the search
by the periodic sweep at the closing date or once every post is filled."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.accounts.permissions import StaffAction, require_staff_action
from manpower.core import audit, states
from manpower.core import selectors as reference
from manpower.core.actor import Actor
from manpower.core.errors import DomainError, PermissionDenied, required_reason
from manpower.core.money import format_omr
from manpower.registry.models import Establishment

from .. import conf, events
from ..models import QualificationLevel, Vacancy
from .candidacies import candidacies_close_for
from .common import (
    MAX_BAISA,
    VACANCY_TRANSITIONS,
    V,
    VacancyStatusConflict,
    message,
    move_vacancy,
    new_number,
    notify_employer,
    vacancy_search_text,
)

POSTED_FIELDS = [
    "number",
    "status",
    "title_ar",
    "title_en",
    "occupation_id",
    "qualification_level_id",
    "experience_years",
    "wilayat_id",
    "wage_min_baisa",
    "wage_max_baisa",
    "posts",
    "closing_date",
]


class InvalidVacancy(DomainError):
    code = "invalid_vacancy"
    status = 422


class VacancyWageBelowMinimum(DomainError):
    code = "wage_below_minimum"
    status = 422


class EstablishmentNotActive(PermissionDenied):
    code = "establishment_not_active"


def qualification_level(code: str) -> QualificationLevel:
    level = QualificationLevel.objects.filter(code=(code or "").strip().upper()).first()
    if level is None:
        raise InvalidVacancy(_("%(level)s is not a qualification level."), level=code)
    return level


def vacancy_post(
    *,
    actor: Actor,
    now: dt.datetime,
    establishment: Establishment,
    title_ar: str,
    title_en: str,
    occupation_code: str,
    qualification_code: str,
    specialisation: str = "",
    experience_years: int,
    governorate_code: str,
    wilayat_code: str,
    wage_min_baisa: int,
    wage_max_baisa: int,
    posts: int,
    closing_date: dt.date,
    description: str = "",
) -> Vacancy:
    """The establishment posts a vacancy; it is published now, or waits for an officer."""
    if establishment.status != Establishment.Status.ACTIVE:
        raise EstablishmentNotActive(
            _("The establishment is %(state)s and cannot post vacancies."),
            state=establishment.get_status_display(),
        )
    title_ar, title_en = title_ar.strip(), title_en.strip()
    if not title_ar or not title_en:
        raise InvalidVacancy(_("Give the vacancy's title in Arabic and in English."))
    occupation = reference.occupation_unit(occupation_code)
    level = qualification_level(qualification_code)
    wilayat = reference.wilayats(governorate_code=governorate_code).filter(pk=wilayat_code).first()
    if wilayat is None:
        raise InvalidVacancy(_("Choose a wilayat of the vacancy's governorate."))
    if not 0 <= experience_years <= 50:
        raise InvalidVacancy(_("Years of experience must be between 0 and 50."))
    most = conf.MAX_POSTS.value
    if not 1 <= posts <= most:
        raise InvalidVacancy(_("A vacancy offers between 1 and %(most)s posts."), most=most)
    if not (0 < wage_min_baisa <= wage_max_baisa <= MAX_BAISA):
        raise InvalidVacancy(
            _("The wage range is not valid: the lowest must not exceed the highest.")
        )
    minimum = conf.minimum_wage_baisa()
    if wage_min_baisa < minimum:
        raise VacancyWageBelowMinimum(
            _("The lowest wage %(wage)s is under the national minimum wage of %(minimum)s."),
            wage=format_omr(wage_min_baisa),
            minimum=format_omr(minimum),
        )
    if closing_date <= timezone.localdate(now):
        raise InvalidVacancy(_("The closing date must be after today."))
    review = conf.VACANCY_REVIEW.value
    with transaction.atomic():
        vacancy = Vacancy(
            number=new_number("VC"),
            establishment=establishment,
            title_ar=title_ar,
            title_en=title_en,
            description=description.strip(),
            occupation=occupation,
            qualification_level=level,
            specialisation=specialisation.strip(),
            experience_years=experience_years,
            governorate_id=governorate_code,
            wilayat=wilayat,
            wage_min_baisa=wage_min_baisa,
            wage_max_baisa=wage_max_baisa,
            posts=posts,
            open_posts=posts,
            closing_date=closing_date,
            status=V.IN_REVIEW if review else V.PUBLISHED,
            channel=actor.channel,
            posted_at=now,
            published_at=None if review else now,
        )
        vacancy.search_text = vacancy_search_text(vacancy)
        vacancy.save()
        audit.record(
            actor=actor,
            action="vacancy.posted",
            obj=vacancy,
            at=now,
            changes=audit.changes_between({}, audit.snapshot(vacancy, POSTED_FIELDS)),
        )
        if not review:
            events.vacancy_published(vacancy=vacancy, now=now)
    return vacancy


def vacancy_review(
    *, actor: Actor, now: dt.datetime, vacancy: Vacancy, publish: bool, reason: str = ""
) -> Vacancy:
    """An officer publishes a vacancy waiting for review, or rejects it with the reason."""
    require_staff_action(actor=actor, action=StaffAction.REVIEW_VACANCY)
    reason = reason.strip() if publish else required_reason(reason)
    to = V.PUBLISHED if publish else V.REJECTED
    with transaction.atomic():
        before = vacancy.status
        move_vacancy(
            vacancy,
            to,
            decided_at=now,
            decision_reason=reason,
            **({"published_at": now} if publish else {}),
        )
        audit.record(
            actor=actor,
            action="vacancy.published" if publish else "vacancy.rejected",
            obj=vacancy,
            at=now,
            changes={"status": [before, to], "decision_reason": ["", reason]},
        )
        if publish:
            events.vacancy_published(vacancy=vacancy, now=now)
            subject = message(_("Your vacancy is published"))
            body = message(_("Vacancy %(number)s is published."), number=vacancy.number)
        else:
            subject = message(_("Your vacancy was not published"))
            body = message(
                _("Vacancy %(number)s was not published: %(reason)s"),
                number=vacancy.number,
                reason=reason,
            )
        notify_employer(
            vacancy, subject=subject, body=body, now=now, key=f"vacancy.reviewed:{vacancy.number}"
        )
    return vacancy


def vacancy_withdraw(*, actor: Actor, now: dt.datetime, vacancy: Vacancy) -> Vacancy:
    """The employer withdraws a vacancy; candidates still in its pipeline are told."""
    with transaction.atomic():
        before = vacancy.status
        move_vacancy(vacancy, V.WITHDRAWN, decided_at=now)
        audit.record(
            actor=actor,
            action="vacancy.withdrawn",
            obj=vacancy,
            at=now,
            changes={"status": [before, V.WITHDRAWN]},
        )
        candidacies_close_for(actor=actor, now=now, vacancy=vacancy)
    return vacancy


def vacancies_unpublish(*, now: dt.datetime) -> int:
    """The periodic sweep: published vacancies past their closing date are closed, those whose
    every post is taken are filled. Returns how many moved."""
    actor = Actor.system("jobs.vacancies_unpublish")
    today = timezone.localdate(now)
    filled = states.sweep(
        Vacancy.objects.filter(status__in=[V.PUBLISHED, V.CLOSED], open_posts=0),
        V.FILLED,
        table=VACANCY_TRANSITIONS,
        error=VacancyStatusConflict,
        actor=actor,
        action="vacancy.filled",
        at=now,
    )
    closed = states.sweep(
        Vacancy.objects.filter(status=V.PUBLISHED, closing_date__lt=today),
        V.CLOSED,
        table=VACANCY_TRANSITIONS,
        error=VacancyStatusConflict,
        actor=actor,
        action="vacancy.closed",
        at=now,
    )
    return filled + closed
