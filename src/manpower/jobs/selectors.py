"""Every read of the job market the portal and the API make, scoped to the reader: anyone sees
published vacancies; an establishment's representatives (or its Sanad centre) its own vacancies
and their candidates; a job seeker their own entry and applications; officers the review queue
and, with `SEARCH_JOB_SEEKERS`, the register. A record outside the reader's scope is not found.

The text search folds the query as the rows' `search_text` was folded
(`core.selectors.normalise_search`: Arabic alef forms, taa marbuta, alef maqsura, diacritics
and tatweel), then asks the database's full-text index: PostgreSQL's `tsvector` (GIN) or
SQLite's FTS5. Each complete word matches a word; the last one, perhaps still being typed,
the start of a word (an exact word is what lets PostgreSQL walk the newest rows first instead
of collecting every row a prefix matches: bench/jobs_search.py). Lists page by keyset
(`after`: the last id of the page before), so a deep page costs what the first does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from manpower.accounts.permissions import StaffAction, require_staff_action
from manpower.core.actor import Actor
from manpower.core.errors import DomainError, NotFound
from manpower.core.selectors import normalise_search
from manpower.registry import selectors as registry
from manpower.registry.models import Establishment

from . import conf
from .models import Candidacy, JobSeeker, QualificationLevel, Vacancy

V = Vacancy.Status
C = Candidacy.Status
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
SEARCH_MAX_LENGTH = 100
_SEARCH_MAX_WORDS = 6
VACANCY_ROW = ("establishment", "occupation", "qualification_level", "governorate", "wilayat")


class VacancyNotFound(NotFound):
    code = "vacancy_not_found"


class CandidacyNotFound(NotFound):
    code = "application_not_found"


class JobSeekerNotFound(NotFound):
    code = "job_seeker_not_found"


class InvalidSearch(DomainError):
    code = "invalid_search"
    status = 422


def qualification_levels() -> QuerySet[QualificationLevel]:
    return QualificationLevel.objects.order_by("rank", "code")


# --- The one text search of both databases -------------------------------------------------------


def _words(text: str) -> list[str]:
    if "\x00" in text:
        raise InvalidSearch(_("The search text has a character that is not allowed."))
    words = normalise_search(text[:SEARCH_MAX_LENGTH]).split()[:_SEARCH_MAX_WORDS]
    # Only letters and digits reach the index's query language.
    return [w for w in ("".join(c for c in word if c.isalnum()) for word in words) if w]


def text_matching(rows: QuerySet, text: str) -> QuerySet:
    """`rows` (vacancies or job seekers) whose search text has every word of `text` (the last
    as the start of a word), through the database's full-text index."""
    words = _words(text)
    if not words:
        return rows
    table = rows.model._meta.db_table
    if connection.vendor == "postgresql":
        query = " & ".join([*words[:-1], f"{words[-1]}:*"])
        condition = RawSQL(
            f"{table}.search_vector @@ to_tsquery('simple', %s)",  # noqa: S608 (our table name)
            [query],
            output_field=BooleanField(),
        )
        return rows.filter(condition)
    query = " ".join([*(f'"{word}"' for word in words[:-1]), f'"{words[-1]}"*'])
    return rows.filter(
        pk__in=RawSQL(
            f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s",  # noqa: S608
            [query],
        )
    )


@dataclass(frozen=True)
class Page:
    rows: list
    next_after: int | None


def keyset_page(rows: QuerySet, *, after: int | None, size: int = PAGE_SIZE) -> Page:
    """Newest first by id; `after` is the last id already seen."""
    size = max(1, min(size, MAX_PAGE_SIZE))
    if after is not None:
        if not 0 < after < 2**62:
            raise InvalidSearch(_("The page asked for does not exist."))
        rows = rows.filter(pk__lt=after)
    found = list(rows.order_by("-id")[: size + 1])
    more = len(found) > size
    found = found[:size]
    return Page(found, found[-1].pk if more and found else None)


# --- Vacancies -----------------------------------------------------------------------------------


def vacancies_search(
    *,
    text: str = "",
    occupation_code: str = "",
    governorate_code: str = "",
    qualification_code: str = "",
    wage_baisa: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """The published vacancies anyone may read, filtered; `wage_baisa` keeps those whose
    highest wage reaches it; `qualification_code` those a holder of that level may fill."""
    rows = Vacancy.objects.filter(status=V.PUBLISHED)
    rows = text_matching(rows, text)
    if occupation_code:
        rows = rows.filter(occupation_id=occupation_code.strip()[:4])
    if governorate_code:
        rows = rows.filter(governorate_id=governorate_code.strip()[:8])
    if qualification_code:
        level = QualificationLevel.objects.filter(code=qualification_code.strip()[:20]).first()
        if level is None:
            raise InvalidSearch(_("Choose a qualification level from the list."))
        rows = rows.filter(qualification_level__rank__lte=level.rank)
    if wage_baisa is not None:
        rows = rows.filter(wage_max_baisa__gte=wage_baisa)
    return keyset_page(rows.select_related(*VACANCY_ROW), after=after, size=size)


def published_vacancy(*, number: str) -> Vacancy:
    vacancy = (
        Vacancy.objects.filter(status=V.PUBLISHED, number=number.strip()[:16])
        .select_related(*VACANCY_ROW)
        .first()
    )
    if vacancy is None:
        raise VacancyNotFound(_("No open vacancy %(number)s was found."), number=number[:16])
    return vacancy


def establishment_for_user(*, user, cr_number: str) -> Establishment:
    return registry.establishment_for_user(user=user, cr_number=cr_number)


def establishments_of_user(*, user) -> QuerySet[Establishment]:
    """The establishments whose vacancies the user manages (none for ministry staff, who
    review rather than post)."""
    if not user.is_authenticated or user.is_ministry_staff:
        return Establishment.objects.none()
    return registry.establishments_visible_to(user).order_by("cr_number")


def vacancies_of_establishment(*, establishment: Establishment) -> QuerySet[Vacancy]:
    return (
        Vacancy.objects.filter(establishment=establishment)
        .select_related(*VACANCY_ROW)
        .annotate(candidates=Count("candidacies"))
        .order_by("-id")
    )


def vacancy_of_establishment(*, establishment: Establishment, number: str) -> Vacancy:
    vacancy = (
        Vacancy.objects.filter(establishment=establishment, number=number.strip()[:16])
        .select_related(*VACANCY_ROW)
        .first()
    )
    if vacancy is None:
        raise VacancyNotFound(
            _("No vacancy %(number)s was found in your account."), number=number[:16]
        )
    return vacancy


def candidacies_of_vacancy(*, vacancy: Vacancy) -> QuerySet[Candidacy]:
    return vacancy.candidacies.select_related(
        "seeker__highest_level", "seeker__person", "vacancy"
    ).order_by("-id")


def candidacy_of_vacancy(*, vacancy: Vacancy, number: str) -> Candidacy:
    candidacy = candidacies_of_vacancy(vacancy=vacancy).filter(number=number.strip()[:16]).first()
    if candidacy is None:
        raise CandidacyNotFound(_("No application %(number)s was found."), number=number[:16])
    return candidacy


def vacancies_in_review(*, actor: Actor) -> QuerySet[Vacancy]:
    require_staff_action(actor=actor, action=StaffAction.REVIEW_VACANCY)
    return Vacancy.objects.filter(status=V.IN_REVIEW).select_related(*VACANCY_ROW).order_by("id")


def vacancy_in_review(*, actor: Actor, number: str) -> Vacancy:
    vacancy = vacancies_in_review(actor=actor).filter(number=number.strip()[:16]).first()
    if vacancy is None:
        raise VacancyNotFound(_("No vacancy %(number)s waits for review."), number=number[:16])
    return vacancy


# --- Job seekers ---------------------------------------------------------------------------------


def seeker_of_user(*, user) -> JobSeeker | None:
    """The signed-in individual's register entry, if they have one."""
    if not user.is_authenticated or not user.civil_number or user.is_ministry_staff:
        return None
    return (
        JobSeeker.objects.filter(civil_number=user.civil_number)
        .select_related("person", "highest_level")
        .first()
    )


def my_seeker(*, user) -> JobSeeker:
    seeker = seeker_of_user(user=user)
    if seeker is None:
        raise JobSeekerNotFound(_("You are not in the job seekers' register yet."))
    return seeker


def candidacies_of_seeker(*, seeker: JobSeeker) -> QuerySet[Candidacy]:
    return seeker.candidacies.select_related(
        "vacancy__establishment", "vacancy__governorate"
    ).order_by("-id")


def candidacy_of_seeker(*, seeker: JobSeeker, number: str) -> Candidacy:
    candidacy = candidacies_of_seeker(seeker=seeker).filter(number=number.strip()[:16]).first()
    if candidacy is None:
        raise CandidacyNotFound(_("No application %(number)s was found."), number=number[:16])
    return candidacy


def job_seekers_search(
    *,
    actor: Actor,
    text: str = "",
    occupation_code: str = "",
    governorate_code: str = "",
    qualification_code: str = "",
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """Officers search the register as employers' vacancies are searched (the permission is
    checked here, before any row is read); callers go through `services.job_seekers_search`,
    which records the search in the audit log."""
    require_staff_action(actor=actor, action=StaffAction.SEARCH_JOB_SEEKERS)
    rows = text_matching(JobSeeker.objects.filter(status=JobSeeker.Status.ACTIVE), text)
    if occupation_code:
        rows = rows.filter(preferred_occupations=occupation_code.strip()[:4])
    if governorate_code:
        rows = rows.filter(preferred_governorates=governorate_code.strip()[:8])
    if qualification_code:
        level = QualificationLevel.objects.filter(code=qualification_code.strip()[:20]).first()
        if level is None:
            raise InvalidSearch(_("Choose a qualification level from the list."))
        rows = rows.filter(highest_rank__gte=level.rank)
    return keyset_page(rows.select_related("highest_level"), after=after, size=size)


# --- Matching ------------------------------------------------------------------------------------

OCCUPATION_POINTS, GROUP_POINTS = 40, 20
QUALIFICATION_POINTS, GOVERNORATE_POINTS, EXPERIENCE_POINTS = 25, 15, 20


@dataclass(frozen=True)
class Match:
    seeker: JobSeeker
    score: int
    reasons: list[str]
    candidacy: Candidacy | None


def _reasons(row, vacancy: Vacancy) -> tuple[int, list[str]]:
    score, reasons = 0, []
    if row.same_occupation:
        score += OCCUPATION_POINTS
        reasons.append(str(_("prefers this occupation")))
    elif row.same_group:  # an applicant may prefer neither: no points and no such reason
        score += GROUP_POINTS
        reasons.append(str(_("prefers an occupation of the same group")))
    if row.highest_rank >= vacancy.qualification_level.rank:
        score += QUALIFICATION_POINTS
        reasons.append(str(_("holds the qualification required")))
    if row.same_governorate:
        score += GOVERNORATE_POINTS
        reasons.append(str(_("prefers the vacancy's governorate")))
    if row.experience_years >= vacancy.experience_years:
        score += EXPERIENCE_POINTS
        reasons.append(str(_("has the years of experience asked")))
    return score, reasons


def _diploma_rank() -> int:
    return QualificationLevel.objects.get(code=QualificationLevel.DIPLOMA).rank


def vacancy_matches(*, vacancy: Vacancy, limit: int = 50) -> list[Match]:
    """The `limit` best-scored job seekers of the vacancy, best first: those who prefer its
    occupation or one of the same ISCO-08 minor group, and those who applied (who may prefer
    neither). The score adds the exact occupation (or else the group), the qualification, the
    governorate and the experience, with the reasons. An applicant scored below the `limit`
    best is not listed: every application is in `candidacies_of_vacancy`. Seekers the
    above-diploma rule would refuse are left out."""
    through_occupation = JobSeeker.preferred_occupations.through
    through_governorate = JobSeeker.preferred_governorates.through
    same_occupation = Exists(
        through_occupation.objects.filter(
            jobseeker=OuterRef("pk"), occupation=vacancy.occupation_id
        )
    )
    same_governorate = Exists(
        through_governorate.objects.filter(
            jobseeker=OuterRef("pk"), governorate=vacancy.governorate_id
        )
    )
    in_group = through_occupation.objects.filter(
        occupation__parent=vacancy.occupation.parent_id
    ).values("jobseeker")
    same_group = Exists(in_group.filter(jobseeker=OuterRef("pk")))
    applicants = Candidacy.objects.filter(vacancy=vacancy).values("seeker")
    required = vacancy.qualification_level.rank
    score = (
        Case(
            When(same_occupation, then=Value(OCCUPATION_POINTS)),
            When(same_group, then=Value(GROUP_POINTS)),
            default=Value(0),
        )
        + Case(When(highest_rank__gte=required, then=Value(QUALIFICATION_POINTS)), default=0)
        + Case(When(same_governorate, then=Value(GOVERNORATE_POINTS)), default=0)
        + Case(
            When(experience_years__gte=vacancy.experience_years, then=Value(EXPERIENCE_POINTS)),
            default=0,
        )
    )

    def best(pool) -> list[JobSeeker]:
        rows = JobSeeker.objects.filter(pk__in=pool, status=JobSeeker.Status.ACTIVE)
        if conf.ABOVE_DIPLOMA_RULE.value and required > _diploma_rank():
            rows = rows.filter(highest_rank__gte=required)
        return list(
            rows.annotate(
                same_occupation=same_occupation,
                same_group=same_group,
                same_governorate=same_governorate,
                score=score,
            )
            .order_by("-score", "-id")
            .only("id", "civil_number", "name_ar", "name_en", "highest_rank", "experience_years")[
                :limit
            ]
        )

    # A full score needs the exact occupation and the governorate: when that small pool holds
    # `limit` full scores, no one else can rank above them (the newest first among equals).
    exact_here = through_occupation.objects.filter(
        occupation=vacancy.occupation_id,
        jobseeker__in=through_governorate.objects.filter(governorate=vacancy.governorate_id).values(
            "jobseeker"
        ),
    ).values("jobseeker")
    full = OCCUPATION_POINTS + QUALIFICATION_POINTS + GOVERNORATE_POINTS + EXPERIENCE_POINTS
    top = best(exact_here)
    if len(top) == limit and top[-1].score == full:
        merged = {row.pk: row for row in top}
    else:
        # Two pools, each a semi-join PostgreSQL runs from its index (an OR of the two would
        # scan every seeker): those preferring the group, and the applicants; merged by score.
        merged = {row.pk: row for row in [*best(in_group), *best(applicants)]}
    found = sorted(merged.values(), key=lambda row: (-row.score, -row.pk))[:limit]
    applied = {
        c.seeker_id: c for c in vacancy.candidacies.filter(seeker__in=[row.pk for row in found])
    }
    matches = []
    for row in found:
        points, reasons = _reasons(row, vacancy)
        matches.append(Match(row, points, reasons, applied.get(row.pk)))
    return matches


def suggested_vacancies(*, seeker: JobSeeker, limit: int = 10) -> list[Vacancy]:
    """Published vacancies in the seeker's preferred occupations (or their groups) the seeker
    may apply to and has not, those in a preferred governorate first."""
    occupations = list(seeker.preferred_occupations.values_list("code", "parent"))
    if not occupations:
        return []
    codes = [code for code, _parent in occupations]
    groups = [parent for _code, parent in occupations]
    rows = (
        Vacancy.objects.filter(status=V.PUBLISHED)
        .filter(Q(occupation__in=codes) | Q(occupation__parent__in=groups))
        .exclude(candidacies__seeker=seeker)
        .filter(
            Q(qualification_level__rank__lte=seeker.highest_rank)
            | Q(qualification_level__rank__lte=_diploma_rank())
        )
        .annotate(
            preferred_place=Exists(
                JobSeeker.preferred_governorates.through.objects.filter(
                    jobseeker=seeker.pk, governorate=OuterRef("governorate")
                )
            )
        )
        .select_related(*VACANCY_ROW)
        .order_by("-preferred_place", "-id")
    )
    return list(rows[:limit])


# --- Statistics ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthCounts:
    month: dt.date
    vacancies: int
    applications: int
    hires: int


def counts_per_month(*, since: dt.date) -> list[MonthCounts]:
    """Vacancies published, applications made and hires, per month from `since`."""

    def by_month(rows: QuerySet, field: str) -> dict:
        return {
            row["month"].date() if hasattr(row["month"], "date") else row["month"]: row["n"]
            for row in rows.filter(**{f"{field}__date__gte": since})
            .annotate(month=TruncMonth(field))
            .values("month")
            .annotate(n=Count("id"))
            .order_by("month")
        }

    published = by_month(Vacancy.objects.exclude(published_at=None), "published_at")
    applied = by_month(Candidacy.objects.all(), "applied_at")
    hired = by_month(Candidacy.objects.filter(status=C.HIRED), "decided_at")
    months = sorted(set(published) | set(applied) | set(hired))
    return [MonthCounts(m, published.get(m, 0), applied.get(m, 0), hired.get(m, 0)) for m in months]
