"""The job market of `make demo`: the employer's main establishment has vacancies published
(one requiring a bachelor's degree, above a diploma), some nationals of the registry are job
seekers (graduates with their qualification and preferences), and the demo individual is a job
seeker who applied to one vacancy. Kept: loading the demo again adds nothing."""

from __future__ import annotations

import datetime as dt

from manpower.core.actor import Actor
from manpower.jobs import selectors as jobs_selectors
from manpower.jobs import services as jobs
from manpower.registry.models import Establishment, Person

VACANCIES = [
    ("محاسب أول", "Senior accountant", "2411", "BACHELOR", "Accounting", 2, 600_000, 900_000, 2),
    (
        "مطور برمجيات",
        "Software developer",
        "2512",
        "BACHELOR",
        "Computer science",
        1,
        700_000,
        1_100_000,
        3,
    ),
    (
        "فني كهرباء",
        "Electrician",
        "7411",
        "DIPLOMA",
        "Electrical engineering",
        0,
        400_000,
        550_000,
        4,
    ),
    ("موظف استقبال", "Receptionist", "4226", "SECONDARY", "", 0, 350_000, 450_000, 2),
]
SEEKERS = [
    ("BACHELOR", "Accounting", "محاسبة", "2411"),
    ("MASTER", "Computer science", "علوم الحاسب", "2512"),
    ("DIPLOMA", "Electrical engineering", "هندسة كهربائية", "7411"),
    ("DIPLOMA", "Accounting", "محاسبة", "2411"),
    ("SECONDARY", "General", "عام", "4226"),
]


def jobs_keep(*, actor: Actor, establishment: Establishment, individual, today: dt.date, now):
    """The vacancies, the seekers and the individual's application, once."""
    if not establishment.vacancies.exists():
        for title_ar, title_en, code, level, spec, years, low, high, posts in VACANCIES:
            jobs.vacancy_post(
                actor=actor,
                now=now,
                establishment=establishment,
                title_ar=title_ar,
                title_en=title_en,
                occupation_code=code,
                qualification_code=level,
                specialisation=spec,
                experience_years=years,
                governorate_code=establishment.governorate_id,
                wilayat_code=establishment.wilayat_id,
                wage_min_baisa=low,
                wage_max_baisa=high,
                posts=posts,
                closing_date=today + dt.timedelta(days=45),
            )
    employed = Person.objects.filter(is_national=True, employments__status="ACTIVE")
    free = Person.objects.filter(is_national=True, job_seeker=None).exclude(pk__in=employed)
    for person, (level, spec_en, spec_ar, code) in zip(
        free.order_by("id")[: len(SEEKERS) * 4], SEEKERS * 4, strict=False
    ):
        seeker = jobs.job_seeker_register_graduate(
            actor=actor,
            now=now,
            civil_number=person.civil_number,
            qualification_level=level,
            specialisation_en=spec_en,
            specialisation_ar=spec_ar,
            graduation_year=today.year - 1,
            college_code="",
        )
        jobs.job_seeker_profile_update(
            actor=actor,
            now=now,
            seeker=seeker,
            experience_years=person.pk % 4,
            experience="",
            governorate_codes=[establishment.governorate_id],
            occupation_codes=[code],
        )
    if individual is None or not individual.civil_number:
        return
    seeker = jobs_selectors.seeker_of_user(user=individual)
    if seeker is None:
        seeker = jobs.job_seeker_register_graduate(
            actor=actor,
            now=now,
            civil_number=individual.civil_number,
            qualification_level="BACHELOR",
            specialisation_en="Accounting",
            specialisation_ar="محاسبة",
            graduation_year=today.year - 2,
            college_code="",
        )
        jobs.job_seeker_profile_update(
            actor=actor,
            now=now,
            seeker=seeker,
            experience_years=2,
            experience="",
            governorate_codes=[establishment.governorate_id],
            occupation_codes=["2411", "2512"],
        )
    vacancy = establishment.vacancies.filter(occupation_id="2411").first()
    if vacancy is not None and not seeker.candidacies.exists():
        jobs.candidacy_apply(actor=actor, now=now, seeker=seeker, vacancy=vacancy)
