"""E-candidacy and the employer's hiring pipeline: a job seeker applies to a published vacancy
(once; withdraws until shortlisted; above a diploma only the level or higher), the employer
shortlists, invites to an interview (the candidate accepts or declines), offers and hires.

A hire takes one open post by a conditional update (two hires never take the last post) and
registers the employment contract through the contracts service, in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from manpower.contracts import services as contracts
from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError, PermissionDenied
from manpower.core.money import format_omr

from .. import conf, events
from ..models import Candidacy, JobSeeker, QualificationLevel, Vacancy
from .common import (
    MAX_BAISA,
    C,
    V,
    localised,
    message,
    move_candidacy,
    move_vacancy,
    new_number,
    notify_employer,
    notify_seeker,
)

# Candidacies still in the employer's hands, which a withdrawn or filled vacancy ends.
OPEN = (C.SUBMITTED, C.SHORTLISTED, C.INTERVIEW, C.INTERVIEW_ACCEPTED, C.OFFERED)


class VacancyNotOpen(Conflict):
    code = "vacancy_not_open"


class AlreadyApplied(Conflict):
    code = "already_applied"


class QualificationTooLow(PermissionDenied):
    code = "qualification_too_low"


class SeekerNotActive(Conflict):
    code = "job_seeker_not_active"


class InvalidInterview(DomainError):
    code = "invalid_interview"
    status = 422


class InvalidOffer(DomainError):
    code = "invalid_offer"
    status = 422


class NoOpenPost(Conflict):
    code = "no_open_post"


def _above_diploma_refusal(vacancy: Vacancy, seeker: JobSeeker) -> QualificationTooLow | None:
    """The article's rule: a vacancy requiring more than a diploma takes only seekers holding
    its level or higher. None when the seeker may apply."""
    required = vacancy.qualification_level
    diploma = QualificationLevel.objects.get(code=QualificationLevel.DIPLOMA)
    if not conf.ABOVE_DIPLOMA_RULE.value or required.rank <= diploma.rank:
        return None
    if seeker.highest_rank >= required.rank:
        return None
    held_level = seeker.highest_level
    # Names in the reader's language when the message is shown, not when it is raised.
    held = lazy(lambda: held_level.name, str)() if held_level else _("no qualification recorded")
    return QualificationTooLow(
        _(
            "This vacancy requires %(required)s or higher, above a diploma; your highest "
            "qualification is %(held)s, so you cannot apply."
        ),
        required=lazy(lambda: required.name, str)(),
        held=held,
    )


def candidacy_apply(
    *, actor: Actor, now: dt.datetime, seeker: JobSeeker, vacancy: Vacancy
) -> Candidacy:
    """The job seeker applies to a published vacancy before its closing date, once."""
    if vacancy.status != V.PUBLISHED or vacancy.closing_date < timezone.localdate(now):
        raise VacancyNotOpen(
            _("Vacancy %(number)s does not take applications now."), number=vacancy.number
        )
    if seeker.status != JobSeeker.Status.ACTIVE:
        raise SeekerNotActive(_("Your register entry is not looking for work."))
    refusal = _above_diploma_refusal(vacancy, seeker)
    if refusal is not None:
        raise refusal
    try:
        with transaction.atomic():
            candidacy = Candidacy.objects.create(
                number=new_number("JA"),
                vacancy=vacancy,
                seeker=seeker,
                status=C.SUBMITTED,
                channel=actor.channel,
                applied_at=now,
            )
            audit.record(
                actor=actor,
                action="candidacy.submitted",
                obj=candidacy,
                at=now,
                changes={"status": [None, C.SUBMITTED], "vacancy": [None, vacancy.number]},
            )
            notify_employer(
                vacancy,
                subject=message(_("A new application to your vacancy")),
                body=message(
                    _("%(name)s applied to vacancy %(number)s."),
                    name=localised(seeker.name_ar, seeker.name_en),
                    number=vacancy.number,
                ),
                now=now,
                key=f"candidacy.submitted:{candidacy.number}",
            )
    except IntegrityError as error:
        raise AlreadyApplied(
            _("You have already applied to vacancy %(number)s."), number=vacancy.number
        ) from error
    return candidacy


def _step(
    *,
    actor: Actor,
    now: dt.datetime,
    candidacy: Candidacy,
    to: str,
    action: str,
    notice,
    to_seeker: bool = True,
    **fields,
) -> Candidacy:
    """One move of the pipeline: the status change, its audit event and the notice."""
    with transaction.atomic():
        before = candidacy.status
        move_candidacy(candidacy, to, decided_at=now, **fields)
        audit.record(
            actor=actor,
            action=action,
            obj=candidacy,
            at=now,
            changes={"status": [before, to], **{k: [None, str(v)] for k, v in fields.items()}},
        )
        subject, body = notice
        key = f"{action}:{candidacy.number}:{now.isoformat()}"
        if to_seeker:
            notify_seeker(candidacy.seeker, subject=subject, body=body, now=now, key=key)
        else:
            notify_employer(candidacy.vacancy, subject=subject, body=body, now=now, key=key)
    return candidacy


def candidacy_withdraw(*, actor: Actor, now: dt.datetime, candidacy: Candidacy) -> Candidacy:
    """The candidate withdraws, until shortlisted (the table allows it only from SUBMITTED)."""
    return _step(
        actor=actor,
        now=now,
        candidacy=candidacy,
        to=C.WITHDRAWN,
        action="candidacy.withdrawn",
        to_seeker=False,
        notice=(
            message(_("An application was withdrawn")),
            message(
                _("Application %(number)s to vacancy %(vacancy)s was withdrawn."),
                number=candidacy.number,
                vacancy=candidacy.vacancy.number,
            ),
        ),
    )


def candidacy_shortlist(*, actor: Actor, now: dt.datetime, candidacy: Candidacy) -> Candidacy:
    return _step(
        actor=actor,
        now=now,
        candidacy=candidacy,
        to=C.SHORTLISTED,
        action="candidacy.shortlisted",
        notice=(
            message(_("You are shortlisted")),
            message(
                _("Your application to %(title)s (%(vacancy)s) is shortlisted."),
                title=localised(candidacy.vacancy.title_ar, candidacy.vacancy.title_en),
                vacancy=candidacy.vacancy.number,
            ),
        ),
    )


def candidacy_reject(*, actor: Actor, now: dt.datetime, candidacy: Candidacy) -> Candidacy:
    return _step(
        actor=actor,
        now=now,
        candidacy=candidacy,
        to=C.NOT_SELECTED,
        action="candidacy.not_selected",
        notice=(
            message(_("Your application was not selected")),
            message(
                _("Your application to %(title)s (%(vacancy)s) was not selected."),
                title=localised(candidacy.vacancy.title_ar, candidacy.vacancy.title_en),
                vacancy=candidacy.vacancy.number,
            ),
        ),
    )


def interview_invite(
    *, actor: Actor, now: dt.datetime, candidacy: Candidacy, interview_at: dt.datetime, place: str
) -> Candidacy:
    """The employer invites a shortlisted candidate to an interview at a date and a place."""
    place = place.strip()
    if not place or len(place) > 300:
        raise InvalidInterview(_("Give the interview's place (at most 300 characters)."))
    if interview_at <= now:
        raise InvalidInterview(_("The interview must be in the future."))
    local = timezone.localtime(interview_at).strftime("%d/%m/%Y %H:%M")
    return _step(
        actor=actor,
        now=now,
        candidacy=candidacy,
        to=C.INTERVIEW,
        action="candidacy.interview_invited",
        interview_at=interview_at,
        interview_place=place,
        notice=(
            message(_("You are invited to an interview")),
            message(
                _("Interview for %(title)s on %(when)s at %(place)s. Accept or decline it."),
                title=localised(candidacy.vacancy.title_ar, candidacy.vacancy.title_en),
                when=local,
                place=place,
            ),
        ),
    )


def interview_answer(
    *, actor: Actor, now: dt.datetime, candidacy: Candidacy, accept: bool
) -> Candidacy:
    """The candidate accepts or declines the interview; the employer is told."""
    answer = _("accepted") if accept else _("declined")
    return _step(
        actor=actor,
        now=now,
        candidacy=candidacy,
        to=C.INTERVIEW_ACCEPTED if accept else C.INTERVIEW_DECLINED,
        action="candidacy.interview_accepted" if accept else "candidacy.interview_declined",
        to_seeker=False,
        notice=(
            message(_("A candidate answered an interview invitation")),
            message(
                _("%(name)s %(answer)s the interview for vacancy %(vacancy)s."),
                name=localised(candidacy.seeker.name_ar, candidacy.seeker.name_en),
                answer=answer,
                vacancy=candidacy.vacancy.number,
            ),
        ),
    )


def candidacy_offer(
    *,
    actor: Actor,
    now: dt.datetime,
    candidacy: Candidacy,
    wage_baisa: int,
    start_date: dt.date,
) -> Candidacy:
    """The employer offers the job at a wage within the vacancy's range and a start date."""
    vacancy = candidacy.vacancy
    if not (vacancy.wage_min_baisa <= wage_baisa <= min(vacancy.wage_max_baisa, MAX_BAISA)):
        raise InvalidOffer(
            _("The offered wage must be within the vacancy's range, %(low)s to %(high)s."),
            low=format_omr(vacancy.wage_min_baisa),
            high=format_omr(vacancy.wage_max_baisa),
        )
    if start_date < timezone.localdate(now):
        raise InvalidOffer(_("The start date cannot be in the past."))
    return _step(
        actor=actor,
        now=now,
        candidacy=candidacy,
        to=C.OFFERED,
        action="candidacy.offered",
        offer_wage_baisa=wage_baisa,
        offer_start_date=start_date,
        notice=(
            message(_("You are offered a job")),
            message(
                _("%(employer)s offers you the job %(title)s at %(wage)s from %(start)s."),
                employer=localised(vacancy.establishment.name_ar, vacancy.establishment.name_en),
                title=localised(vacancy.title_ar, vacancy.title_en),
                wage=format_omr(wage_baisa),
                start=start_date.strftime("%d/%m/%Y"),
            ),
        ),
    )


def candidacy_hire(*, actor: Actor, now: dt.datetime, candidacy: Candidacy) -> Candidacy:
    """The employer hires an offered candidate: one open post is taken (refused when none is
    left), the employment contract is registered (the worker then accepts it as any contract)
    and the seeker leaves the register, all in one transaction."""
    vacancy = candidacy.vacancy
    with transaction.atomic():
        taken = Vacancy.objects.filter(
            pk=vacancy.pk, status__in=[V.PUBLISHED, V.CLOSED], open_posts__gt=0
        ).update(open_posts=F("open_posts") - 1)
        if not taken:
            raise NoOpenPost(_("Vacancy %(number)s has no open post left."), number=vacancy.number)
        contract = contracts.contract_register(
            actor=actor,
            now=now,
            establishment=vacancy.establishment,
            civil_number=candidacy.seeker.civil_number,
            occupation_code=vacancy.occupation_id,
            kind="UNLIMITED",
            start_date=candidacy.offer_start_date,
            end_date=None,
            probation_months=conf.HIRE_PROBATION_MONTHS.value,
            weekly_hours=conf.HIRE_WEEKLY_HOURS.value,
            basic_wage_baisa=candidacy.offer_wage_baisa,
            allowances_baisa=0,
            governorate_code=vacancy.governorate_id,
            wilayat_code=vacancy.wilayat_id,
        )
        _step(
            actor=actor,
            now=now,
            candidacy=candidacy,
            to=C.HIRED,
            action="candidacy.hired",
            contract_number=contract.number,
            notice=(
                message(_("You are hired")),
                message(
                    _(
                        "%(employer)s hired you as %(title)s; accept employment contract "
                        "%(contract)s in your contracts."
                    ),
                    employer=localised(
                        vacancy.establishment.name_ar, vacancy.establishment.name_en
                    ),
                    title=localised(vacancy.title_ar, vacancy.title_en),
                    contract=contract.number,
                ),
            ),
        )
        JobSeeker.objects.filter(pk=candidacy.seeker_id).update(status=JobSeeker.Status.HIRED)
        vacancy.refresh_from_db()
        events.job_seeker_hired(candidacy=candidacy, now=now)
        if vacancy.open_posts == 0:
            _vacancy_filled(actor=actor, now=now, vacancy=vacancy)
    return candidacy


def _vacancy_filled(*, actor: Actor, now: dt.datetime, vacancy: Vacancy) -> None:
    """The last post is taken: the vacancy leaves the search and the other candidates are told."""
    before = vacancy.status
    move_vacancy(vacancy, V.FILLED, decided_at=now)
    audit.record(
        actor=actor,
        action="vacancy.filled",
        obj=vacancy,
        at=now,
        changes={"status": [before, V.FILLED]},
    )
    candidacies_close_for(actor=actor, now=now, vacancy=vacancy)


def candidacies_close_for(*, actor: Actor, now: dt.datetime, vacancy: Vacancy) -> int:
    """A withdrawn or filled vacancy ends the candidacies still open; each candidate is told."""
    ended = 0
    for candidacy in vacancy.candidacies.filter(status__in=OPEN).select_related(
        "seeker__person", "vacancy__establishment"
    ):
        candidacy_reject(actor=actor, now=now, candidacy=candidacy)
        ended += 1
    return ended
