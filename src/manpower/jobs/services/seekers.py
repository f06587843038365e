"""The national job seekers' register: a national registers (or a college's graduate arrives),
keeps a profile (qualifications, experience, preferred governorates and occupations, a CV as a
PDF), and carries the Manpower Register's job-seeker status, asked again once it is stale."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from manpower.core import audit
from manpower.core import selectors as reference
from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.core.identifiers import normalise_civil_number
from manpower.integration import adapters
from manpower.registry import selectors as registry
from manpower.registry.models import Person

from .. import conf
from ..models import CurriculumVitae, JobSeeker, Qualification, QualificationLevel
from .common import seeker_search_text

REGISTER_CHECK = "job_seeker_status"
PROFILE_FIELDS = ["experience_years", "experience", "highest_rank"]
PDF_MAGIC = b"%PDF-"


class NotANational(DomainError):
    code = "not_a_national"
    status = 422


class InvalidProfile(DomainError):
    code = "invalid_profile"
    status = 422


class InvalidCv(DomainError):
    code = "invalid_cv"
    status = 422


def national_by_civil_number(value: str) -> Person:
    """The registry's national under a civil number; anyone else is refused by the number."""
    person = registry.person_by_civil_number(value)
    if person is None or not person.is_national:
        raise NotANational(
            _("No national with civil number %(number)s is in the registry."),
            number=normalise_civil_number(value or ""),
        )
    return person


def _level(code: str) -> QualificationLevel:
    level = QualificationLevel.objects.filter(code=(code or "").strip().upper()).first()
    if level is None:
        raise InvalidProfile(_("%(level)s is not a qualification level."), level=code[:30])
    return level


def _refresh_derived(seeker: JobSeeker, now: dt.datetime) -> None:
    """Keep the highest level and the search text in step with the profile."""
    best = seeker.qualifications.aggregate(rank=Max("level__rank"))["rank"] or 0
    seeker.highest_rank = best
    seeker.highest_level = QualificationLevel.objects.filter(rank=best).first() if best else None
    seeker.search_text = seeker_search_text(seeker)
    seeker.updated_at = now
    seeker.save(update_fields=["highest_rank", "highest_level", "search_text", "updated_at"])


def _seeker_for(*, actor: Actor, now: dt.datetime, person: Person) -> tuple[JobSeeker, bool]:
    """The person's register entry, made now if there is none (two at once make one)."""
    existing = JobSeeker.objects.filter(person=person).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            seeker = JobSeeker.objects.create(
                person=person,
                civil_number=person.civil_number,
                name_ar=person.name_ar,
                name_en=person.name_en,
                status=JobSeeker.Status.ACTIVE,
                registered_at=now,
                updated_at=now,
            )
            seeker.search_text = seeker_search_text(seeker)
            seeker.save(update_fields=["search_text"])
            audit.record(
                actor=actor,
                action="job_seeker.registered",
                obj=seeker,
                at=now,
                changes={"status": [None, seeker.status], "channel": [None, actor.channel]},
            )
    except IntegrityError:
        return JobSeeker.objects.get(person=person), False
    return seeker, True


def job_seeker_register(*, actor: Actor, now: dt.datetime, civil_number: str) -> JobSeeker:
    """A national enters the job seekers' register (registering again returns the entry); the
    Manpower Register's status is asked at once."""
    person = national_by_civil_number(civil_number)
    seeker, _created = _seeker_for(actor=actor, now=now, person=person)
    return job_seeker_status_refresh(actor=actor, now=now, seeker=seeker)


def job_seeker_register_graduate(
    *,
    actor: Actor,
    now: dt.datetime,
    civil_number: str,
    qualification_level: str,
    specialisation_en: str,
    specialisation_ar: str,
    graduation_year: int,
    college_code: str,
) -> JobSeeker:
    """A technical college's graduate (who consented) enters the register with the programme's
    qualification. Idempotent: the same graduation sent again changes nothing."""
    person = national_by_civil_number(civil_number)
    level = _level(qualification_level)
    if not specialisation_en.strip():
        raise InvalidProfile(_("Give the qualification's specialisation."))
    with transaction.atomic():
        seeker, _created = _seeker_for(actor=actor, now=now, person=person)
        _qualification, added = Qualification.objects.get_or_create(
            seeker=seeker,
            level=level,
            specialisation_en=specialisation_en.strip()[:200],
            year=graduation_year,
            defaults={
                "specialisation_ar": specialisation_ar.strip()[:200],
                "college_code": college_code[:20],
            },
        )
        if added:
            _refresh_derived(seeker, now)
            audit.record(
                actor=actor,
                action="job_seeker.graduate_added",
                obj=seeker,
                at=now,
                changes={
                    "qualification": [None, f"{level.code} {specialisation_en} {graduation_year}"],
                    "college_code": [None, college_code],
                },
            )
    return seeker


def qualification_add(
    *,
    actor: Actor,
    now: dt.datetime,
    seeker: JobSeeker,
    level_code: str,
    specialisation_en: str,
    specialisation_ar: str = "",
    year: int,
) -> Qualification:
    """The job seeker adds a qualification; the same one twice is refused."""
    level = _level(level_code)
    if not specialisation_en.strip():
        raise InvalidProfile(_("Give the qualification's specialisation."))
    if not 1950 <= year <= now.year:
        raise InvalidProfile(_("The year must be between 1950 and this year."))
    try:
        with transaction.atomic():
            qualification = Qualification.objects.create(
                seeker=seeker,
                level=level,
                specialisation_en=specialisation_en.strip()[:200],
                specialisation_ar=specialisation_ar.strip()[:200],
                year=year,
            )
            _refresh_derived(seeker, now)
            audit.record(
                actor=actor,
                action="job_seeker.qualification_added",
                obj=seeker,
                at=now,
                changes={"qualification": [None, f"{level.code} {specialisation_en} {year}"]},
            )
    except IntegrityError as error:
        raise InvalidProfile(_("This qualification is already in your profile.")) from error
    return qualification


def job_seeker_profile_update(
    *,
    actor: Actor,
    now: dt.datetime,
    seeker: JobSeeker,
    experience_years: int,
    experience: str,
    governorate_codes: list[str],
    occupation_codes: list[str],
) -> JobSeeker:
    """The job seeker's experience and the governorates and occupations they prefer."""
    if not 0 <= experience_years <= 50:
        raise InvalidProfile(_("Years of experience must be between 0 and 50."))
    if len(governorate_codes) > 11 or len(occupation_codes) > 10:
        raise InvalidProfile(_("Choose at most 11 governorates and 10 occupations."))
    occupations = [reference.occupation_unit(code) for code in occupation_codes]
    governorates = list(reference.governorates().filter(code__in=governorate_codes))
    if len(governorates) != len(set(governorate_codes)):
        raise InvalidProfile(_("Choose governorates from the list."))
    with transaction.atomic():
        before = audit.snapshot(seeker, PROFILE_FIELDS)
        before["occupations"] = sorted(seeker.preferred_occupations.values_list("code", flat=True))
        before["governorates"] = sorted(
            seeker.preferred_governorates.values_list("code", flat=True)
        )
        seeker.experience_years = experience_years
        seeker.experience = experience.strip()[:4000]
        seeker.save(update_fields=["experience_years", "experience"])
        seeker.preferred_occupations.set(occupations)
        seeker.preferred_governorates.set(governorates)
        _refresh_derived(seeker, now)
        after = audit.snapshot(seeker, PROFILE_FIELDS)
        after["occupations"] = sorted(o.code for o in occupations)
        after["governorates"] = sorted(g.code for g in governorates)
        audit.record(
            actor=actor,
            action="job_seeker.profile_updated",
            obj=seeker,
            at=now,
            changes=audit.changes_between(before, after),
        )
    return seeker


def cv_upload(
    *, actor: Actor, now: dt.datetime, seeker: JobSeeker, content: bytes, content_type: str
) -> CurriculumVitae:
    """The job seeker's CV: a PDF (by its declared type and by its first bytes) no larger than
    `JOBS_CV_MAX_BYTES`; it replaces the one before."""
    most = conf.CV_MAX_BYTES.value
    if len(content) > most:
        raise InvalidCv(_("The CV is larger than %(most)s kilobytes."), most=most // 1000)
    if content_type.split(";")[0].strip().lower() != "application/pdf" or not content.startswith(
        PDF_MAGIC
    ):
        raise InvalidCv(_("The CV must be a PDF file."))
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        cv, _created = CurriculumVitae.objects.update_or_create(
            seeker=seeker,
            defaults={
                "content": content,
                "size": len(content),
                "sha256": digest,
                "uploaded_at": now,
            },
        )
        audit.record(
            actor=actor,
            action="job_seeker.cv_uploaded",
            obj=seeker,
            at=now,
            changes={"cv_sha256": [None, digest], "cv_size": [None, len(content)]},
        )
    return cv


def register_status_is_stale(seeker: JobSeeker, *, now: dt.datetime) -> bool:
    """The stored answer is older than `JOBS_REGISTER_STATUS_MAX_AGE_HOURS`, or there is none."""
    checked = seeker.register_checked_at
    age = dt.timedelta(hours=conf.REGISTER_STATUS_MAX_AGE_HOURS.value)
    return checked is None or checked < now - age


def job_seeker_status_refresh(*, actor: Actor, now: dt.datetime, seeker: JobSeeker) -> JobSeeker:
    """Ask the Manpower Register for the seeker's status when the stored one is stale; while
    the register cannot answer, the stored status stays (shown with its date)."""
    if not register_status_is_stale(seeker, now=now):
        return seeker
    try:
        outcome = adapters.run_check(REGISTER_CHECK, seeker.civil_number, now=now)
    except adapters.AgencyUnavailable:
        return seeker
    answer = outcome.answer or {}
    status = (
        JobSeeker.RegisterStatus.SEEKING
        if answer.get("job_seeker")
        else JobSeeker.RegisterStatus.NOT_SEEKING
    )
    with transaction.atomic():
        before = seeker.register_status
        JobSeeker.objects.filter(pk=seeker.pk).update(
            register_status=status, register_checked_at=outcome.fetched_at or now
        )
        seeker.refresh_from_db()
        if before != status:
            audit.record(
                actor=actor,
                action="job_seeker.register_status_changed",
                obj=seeker,
                at=now,
                changes={"register_status": [before, status]},
            )
    return seeker
