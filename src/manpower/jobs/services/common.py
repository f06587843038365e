"""What the job-market services share: the tables of allowed status changes, the folded search
text of a row, numbers, and the notices to employers and job seekers."""

from __future__ import annotations

import datetime as dt
import secrets

from django.urls import reverse

from manpower.core import states
from manpower.core.errors import Conflict
from manpower.core.selectors import normalise_search
from manpower.notifications import services as notifications

from ..models import Candidacy, JobSeeker, Vacancy

V = Vacancy.Status
C = Candidacy.Status

# Published at once, or after an officer's review; out of the list at the closing date, when
# every post is filled or when the employer withdraws it. A closed vacancy still hires the
# candidates already in its pipeline, until its posts are filled.
VACANCY_TRANSITIONS: dict[str, frozenset[str]] = {
    V.IN_REVIEW: frozenset({V.PUBLISHED, V.REJECTED, V.WITHDRAWN}),
    V.PUBLISHED: frozenset({V.CLOSED, V.FILLED, V.WITHDRAWN}),
    V.CLOSED: frozenset({V.FILLED, V.WITHDRAWN}),
    V.REJECTED: frozenset(),
    V.FILLED: frozenset(),
    V.WITHDRAWN: frozenset(),
}
# The candidate withdraws until shortlisted; the employer moves the candidacy on or ends it.
CANDIDACY_TRANSITIONS: dict[str, frozenset[str]] = {
    C.SUBMITTED: frozenset({C.WITHDRAWN, C.SHORTLISTED, C.NOT_SELECTED}),
    C.SHORTLISTED: frozenset({C.INTERVIEW, C.OFFERED, C.NOT_SELECTED}),
    C.INTERVIEW: frozenset({C.INTERVIEW_ACCEPTED, C.INTERVIEW_DECLINED, C.NOT_SELECTED}),
    C.INTERVIEW_ACCEPTED: frozenset({C.INTERVIEW, C.OFFERED, C.NOT_SELECTED}),
    C.INTERVIEW_DECLINED: frozenset(),
    C.OFFERED: frozenset({C.HIRED, C.NOT_SELECTED}),
    C.HIRED: frozenset(),
    C.WITHDRAWN: frozenset(),
    C.NOT_SELECTED: frozenset(),
}
# The largest wage a form or an API may send (a million rials a month): beyond is a typo.
MAX_BAISA = 10**9


class VacancyStatusConflict(Conflict):
    code = "vacancy_status_conflict"


class CandidacyStatusConflict(Conflict):
    code = "candidacy_status_conflict"


def move_vacancy(vacancy: Vacancy, to: str, **fields) -> None:
    states.transition(vacancy, to, table=VACANCY_TRANSITIONS, error=VacancyStatusConflict, **fields)


def move_candidacy(candidacy: Candidacy, to: str, **fields) -> None:
    states.transition(
        candidacy, to, table=CANDIDACY_TRANSITIONS, error=CandidacyStatusConflict, **fields
    )


def new_number(prefix: str) -> str:
    return prefix + secrets.token_hex(5).upper()


def folded(*parts: str) -> str:
    """The words of a row as the search compares them (Arabic folded, Latin lower case)."""
    return normalise_search(" ".join(part for part in parts if part))


def vacancy_search_text(vacancy: Vacancy) -> str:
    occupation = vacancy.occupation
    return folded(
        vacancy.title_ar,
        vacancy.title_en,
        vacancy.specialisation,
        occupation.name_ar,
        occupation.name_en,
        vacancy.establishment.name_ar,
        vacancy.establishment.name_en,
    )


def seeker_search_text(seeker: JobSeeker) -> str:
    specialisations = [
        text
        for qualification in seeker.qualifications.all()
        for text in (qualification.specialisation_ar, qualification.specialisation_en)
    ]
    occupations = [
        text
        for occupation in seeker.preferred_occupations.all()
        for text in (occupation.name_ar, occupation.name_en)
    ]
    return folded(seeker.name_ar, seeker.name_en, *specialisations, *occupations, seeker.experience)


# --- Notices -------------------------------------------------------------------------------------

message = notifications.message
localised = notifications.localised


def notify_seeker(seeker: JobSeeker, *, subject, body, now: dt.datetime, key: str) -> None:
    """The job seeker's accounts are those signed in under their civil number."""
    notifications.notify_household(
        household=seeker.person,
        subject=subject,
        body=body,
        link=reverse("jobs:my-applications"),
        now=now,
        key=key,
    )


def notify_employer(vacancy: Vacancy, *, subject, body, now: dt.datetime, key: str) -> None:
    notifications.notify_establishment(
        establishment=vacancy.establishment,
        subject=subject,
        body=body,
        link=reverse(
            "jobs:employer-vacancy", args=[vacancy.establishment.cr_number, vacancy.number]
        ),
        now=now,
        key=key,
    )
