"""The job market through the public API (the mobile app): the vacancy search and a vacancy
under `/jobs/vacancies…` (anyone signed in), the job seeker's own entry, applications and
answers under `/jobs/me…`, and the employer's vacancies, matches and pipeline under
`/establishments/{cr_number}/vacancies…`. Each operation calls the selectors and services the
portal's pages call, so a rule cannot differ by channel; another employer's vacancy or another
seeker's application is a 404 problem. Lists page by keyset: pass `after` = `next_after`."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from manpower.accounts.api_auth import api_actor, api_auth
from manpower.core.api import CodeName
from manpower.licensing.api import CrNumber

from . import conf, selectors, services
from .services.common import MAX_BAISA

router = Router(auth=api_auth, tags=["jobs"])

ESTABLISHMENT = "/establishments/{cr_number}/vacancies"
Number = Field(max_length=16)


class JobVacancyOut(Schema):
    number: str
    status: str
    title_ar: str
    title_en: str
    establishment: CodeName
    occupation: CodeName
    qualification_level: CodeName
    specialisation: str
    experience_years: int
    governorate: str = Field(alias="governorate_id")
    wilayat: str = Field(alias="wilayat_id")
    wage_min_baisa: int
    wage_max_baisa: int
    posts: int
    open_posts: int
    closing_date: dt.date
    published_at: dt.datetime | None

    @staticmethod
    def resolve_establishment(obj) -> dict:
        est = obj.establishment
        return {"code": est.cr_number, "name_ar": est.name_ar, "name_en": est.name_en}


class VacancyPage(Schema):
    items: list[JobVacancyOut]
    next_after: int | None = Field(description="Pass as `after` for the next page; null: last.")


class SearchIn(Schema):
    q: str = Field("", max_length=100)
    occupation: str = Field("", max_length=4)
    governorate: str = Field("", max_length=8)
    qualification: str = Field("", max_length=20)
    wage_baisa: int | None = Field(None, ge=0, le=MAX_BAISA)
    after: int | None = Field(None, ge=1, le=2**62)
    size: int = Field(20, ge=1, le=100)


class VacancyIn(Schema):
    title_ar: str = Field(max_length=200)
    title_en: str = Field(max_length=200)
    occupation_code: str = Field(max_length=4)
    qualification_code: str = Field(max_length=20)
    specialisation: str = Field("", max_length=200)
    experience_years: int = Field(0, ge=0, le=50)
    governorate_code: str = Field(max_length=8)
    wilayat_code: str = Field(max_length=8)
    wage_min_baisa: int = Field(ge=1, le=MAX_BAISA)
    wage_max_baisa: int = Field(ge=1, le=MAX_BAISA)
    posts: int = Field(ge=1, le=10_000)
    closing_date: dt.date
    description: str = Field("", max_length=4000)


class SeekerOut(Schema):
    civil_number: str
    name_ar: str
    name_en: str
    status: str
    highest_level: str | None
    experience_years: int
    register_status: str
    register_checked_at: dt.datetime | None

    @staticmethod
    def resolve_highest_level(obj) -> str | None:
        return obj.highest_level_id


class CandidacyOut(Schema):
    number: str
    status: str
    vacancy_number: str
    civil_number: str
    applied_at: dt.datetime
    interview_at: dt.datetime | None
    interview_place: str
    offer_wage_baisa: int | None
    offer_start_date: dt.date | None
    contract_number: str

    @staticmethod
    def resolve_vacancy_number(obj) -> str:
        return obj.vacancy.number

    @staticmethod
    def resolve_civil_number(obj) -> str:
        return obj.seeker.civil_number


class MatchOut(Schema):
    civil_number: str
    name_ar: str
    name_en: str
    score: int
    reasons: list[str]
    application_number: str | None


class InterviewIn(Schema):
    interview_at: dt.datetime
    place: str = Field(min_length=1, max_length=300)


class OfferIn(Schema):
    wage_baisa: int = Field(ge=1, le=MAX_BAISA)
    start_date: dt.date


def _page(page: selectors.Page) -> dict:
    return {"items": page.rows, "next_after": page.next_after}


# --- Anyone signed in ----------------------------------------------------------------------------


@router.get("/jobs/vacancies", response=VacancyPage)
def vacancies(request, filters: Query[SearchIn]):
    """Published vacancies by words (Arabic or English, any spelling of the alef, taa marbuta
    or alef maqsura), occupation, governorate, qualification held and wage wanted."""
    return _page(
        selectors.vacancies_search(
            text=filters.q,
            occupation_code=filters.occupation,
            governorate_code=filters.governorate,
            qualification_code=filters.qualification,
            wage_baisa=filters.wage_baisa,
            after=filters.after,
            size=filters.size,
        )
    )


@router.get("/jobs/vacancies/{number}", response=JobVacancyOut)
def vacancy(request, number: str):
    return selectors.published_vacancy(number=number)


# --- The job seeker ------------------------------------------------------------------------------


def _seeker_actor(request):
    return api_actor(request).acting_for("person", request.user.civil_number or "")


@router.post("/jobs/me", response={201: SeekerOut})
def register(request):
    """Enter the job seekers' register under the account's civil number (again: the entry)."""
    seeker = services.job_seeker_register(
        actor=_seeker_actor(request),
        now=timezone.now(),
        civil_number=request.user.civil_number or "",
    )
    return Status(201, seeker)


@router.get("/jobs/me", response=SeekerOut)
def me(request):
    return selectors.my_seeker(user=request.user)


@router.get("/jobs/me/suggestions", response=list[JobVacancyOut])
def suggestions(request):
    return selectors.suggested_vacancies(seeker=selectors.my_seeker(user=request.user))


@router.get("/jobs/me/applications", response=list[CandidacyOut])
def my_applications(request):
    seeker = selectors.my_seeker(user=request.user)
    return list(selectors.candidacies_of_seeker(seeker=seeker).select_related("seeker")[:100])


@router.post("/jobs/vacancies/{number}/applications", response={201: CandidacyOut})
def apply(request, number: str):
    """Apply; the above-diploma rule and a second application are refused with the reason."""
    candidacy = services.candidacy_apply(
        actor=_seeker_actor(request),
        now=timezone.now(),
        seeker=selectors.my_seeker(user=request.user),
        vacancy=selectors.published_vacancy(number=number),
    )
    return Status(201, candidacy)


def _mine(request, number: str):
    seeker = selectors.my_seeker(user=request.user)
    return selectors.candidacy_of_seeker(seeker=seeker, number=number)


@router.post("/jobs/me/applications/{number}/withdraw", response=CandidacyOut)
def withdraw(request, number: str):
    return services.candidacy_withdraw(
        actor=_seeker_actor(request), now=timezone.now(), candidacy=_mine(request, number)
    )


@router.post("/jobs/me/applications/{number}/interview/{answer}", response=CandidacyOut)
def interview_answer(request, number: str, answer: Literal["accept", "decline"]):
    return services.interview_answer(
        actor=_seeker_actor(request),
        now=timezone.now(),
        candidacy=_mine(request, number),
        accept=answer == "accept",
    )


# --- The employer --------------------------------------------------------------------------------


def _employer(request, cr_number: str):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr_number)
    return establishment, api_actor(request).acting_for("establishment", cr_number)


@router.get(ESTABLISHMENT, response=list[JobVacancyOut])
def establishment_vacancies(request, cr_number: str = CrNumber):
    establishment, _actor = _employer(request, cr_number)
    return list(selectors.vacancies_of_establishment(establishment=establishment)[:100])


@router.post(ESTABLISHMENT, response={201: JobVacancyOut})
def establishment_vacancy_post(request, payload: VacancyIn, cr_number: str = CrNumber):
    establishment, actor = _employer(request, cr_number)
    posted = services.vacancy_post(
        actor=actor, now=timezone.now(), establishment=establishment, **payload.dict()
    )
    return Status(201, posted)


def _own_vacancy(request, cr_number: str, number: str):
    establishment, actor = _employer(request, cr_number)
    return selectors.vacancy_of_establishment(establishment=establishment, number=number), actor


@router.post(ESTABLISHMENT + "/{number}/withdraw", response=JobVacancyOut)
def establishment_vacancy_withdraw(request, number: str, cr_number: str = CrNumber):
    found, actor = _own_vacancy(request, cr_number, number)
    return services.vacancy_withdraw(actor=actor, now=timezone.now(), vacancy=found)


@router.get(ESTABLISHMENT + "/{number}/applications", response=list[CandidacyOut])
def establishment_candidacies(request, number: str, cr_number: str = CrNumber):
    found, _actor = _own_vacancy(request, cr_number, number)
    return list(selectors.candidacies_of_vacancy(vacancy=found)[:100])


@router.get(ESTABLISHMENT + "/{number}/matches", response=list[MatchOut])
def establishment_matches(request, number: str, cr_number: str = CrNumber):
    """The best-scored job seekers (`JOBS_MATCH_LIMIT`), applicants or not, best first, with
    the reasons of each score; an applicant scored lower is only under `/applications`."""
    found, actor = _own_vacancy(request, cr_number, number)
    matches = services.vacancy_matches_read(
        actor=actor, now=timezone.now(), vacancy=found, limit=conf.MATCH_LIMIT.value
    )
    return [
        {
            "civil_number": m.seeker.civil_number,
            "name_ar": m.seeker.name_ar,
            "name_en": m.seeker.name_en,
            "score": m.score,
            "reasons": m.reasons,
            "application_number": m.candidacy.number if m.candidacy else None,
        }
        for m in matches
    ]


def _candidacy(request, cr_number: str, number: str, application: str):
    found, actor = _own_vacancy(request, cr_number, number)
    return selectors.candidacy_of_vacancy(vacancy=found, number=application), actor


APPLICATION = ESTABLISHMENT + "/{number}/applications/{application}"


@router.post(APPLICATION + "/shortlist", response=CandidacyOut)
def shortlist(request, number: str, application: str, cr_number: str = CrNumber):
    candidacy, actor = _candidacy(request, cr_number, number, application)
    return services.candidacy_shortlist(actor=actor, now=timezone.now(), candidacy=candidacy)


@router.post(APPLICATION + "/reject", response=CandidacyOut)
def reject(request, number: str, application: str, cr_number: str = CrNumber):
    candidacy, actor = _candidacy(request, cr_number, number, application)
    return services.candidacy_reject(actor=actor, now=timezone.now(), candidacy=candidacy)


@router.post(APPLICATION + "/interview", response=CandidacyOut)
def interview(
    request, number: str, application: str, payload: InterviewIn, cr_number: str = CrNumber
):
    candidacy, actor = _candidacy(request, cr_number, number, application)
    return services.interview_invite(
        actor=actor,
        now=timezone.now(),
        candidacy=candidacy,
        interview_at=payload.interview_at,
        place=payload.place,
    )


@router.post(APPLICATION + "/offer", response=CandidacyOut)
def offer(request, number: str, application: str, payload: OfferIn, cr_number: str = CrNumber):
    candidacy, actor = _candidacy(request, cr_number, number, application)
    return services.candidacy_offer(
        actor=actor,
        now=timezone.now(),
        candidacy=candidacy,
        wage_baisa=payload.wage_baisa,
        start_date=payload.start_date,
    )


@router.post(APPLICATION + "/hire", response=CandidacyOut)
def hire(request, number: str, application: str, cr_number: str = CrNumber):
    """Hire: takes an open post and registers the employment contract, or is refused."""
    candidacy, actor = _candidacy(request, cr_number, number, application)
    return services.candidacy_hire(actor=actor, now=timezone.now(), candidacy=candidacy)
