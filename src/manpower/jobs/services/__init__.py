"""Every write of the job market, one module per use-case area: vacancies, the job seekers'
register, the candidacies with the hiring pipeline, and the audited reads of the register
(searches). Callers write `from manpower.jobs import services`."""

from manpower.registry.selectors import InvalidCivilNumber

from .candidacies import (
    AlreadyApplied,
    InvalidInterview,
    InvalidOffer,
    NoOpenPost,
    QualificationTooLow,
    SeekerNotActive,
    VacancyNotOpen,
    candidacy_apply,
    candidacy_hire,
    candidacy_offer,
    candidacy_reject,
    candidacy_shortlist,
    candidacy_withdraw,
    interview_answer,
    interview_invite,
)
from .common import (
    CANDIDACY_TRANSITIONS,
    VACANCY_TRANSITIONS,
    CandidacyStatusConflict,
    VacancyStatusConflict,
)
from .searches import job_seekers_search, vacancy_matches_read
from .seekers import (
    InvalidCv,
    InvalidProfile,
    NotANational,
    cv_upload,
    job_seeker_profile_update,
    job_seeker_register,
    job_seeker_register_graduate,
    job_seeker_status_refresh,
    qualification_add,
    register_status_is_stale,
)
from .vacancies import (
    EstablishmentNotActive,
    InvalidVacancy,
    VacancyWageBelowMinimum,
    vacancies_unpublish,
    vacancy_post,
    vacancy_review,
    vacancy_withdraw,
)

__all__ = [
    "CANDIDACY_TRANSITIONS",
    "VACANCY_TRANSITIONS",
    "AlreadyApplied",
    "CandidacyStatusConflict",
    "EstablishmentNotActive",
    "InvalidCivilNumber",
    "InvalidCv",
    "InvalidInterview",
    "InvalidOffer",
    "InvalidProfile",
    "InvalidVacancy",
    "NoOpenPost",
    "NotANational",
    "QualificationTooLow",
    "SeekerNotActive",
    "VacancyNotOpen",
    "VacancyStatusConflict",
    "VacancyWageBelowMinimum",
    "candidacy_apply",
    "candidacy_hire",
    "candidacy_offer",
    "candidacy_reject",
    "candidacy_shortlist",
    "candidacy_withdraw",
    "cv_upload",
    "interview_answer",
    "interview_invite",
    "job_seekers_search",
    "job_seeker_profile_update",
    "job_seeker_register",
    "job_seeker_register_graduate",
    "job_seeker_status_refresh",
    "qualification_add",
    "register_status_is_stale",
    "vacancies_unpublish",
    "vacancy_post",
    "vacancy_review",
    "vacancy_matches_read",
    "vacancy_withdraw",
]
