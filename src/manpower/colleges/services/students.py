"""A student's record over time: suspension, withdrawal and return by the registrar,
graduation once the programme's requirements are met, and the graduate's consent to be
registered as a job seeker."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from manpower.core import audit, states
from manpower.core.actor import Actor
from manpower.core.dates import MUSCAT
from manpower.core.errors import Conflict, DomainError, PermissionDenied, required_reason
from manpower.jobs import services as jobs_services

from .. import conf, events, selectors
from ..models import Programme, Student
from .registrars import registrar_of

S = Student.Status
STUDENT_TRANSITIONS: dict[str, frozenset[str]] = {
    S.ENROLLED: frozenset({S.SUSPENDED, S.WITHDRAWN, S.GRADUATED}),
    S.SUSPENDED: frozenset({S.ENROLLED, S.WITHDRAWN}),
    S.WITHDRAWN: frozenset(),
    S.GRADUATED: frozenset(),
}
# The statuses a registrar sets by hand; GRADUATED is `student_graduate`'s, on the rules.
STATUSES_BY_HAND = frozenset({S.ENROLLED, S.SUSPENDED, S.WITHDRAWN})
QUALIFICATION_LEVELS = {Programme.Level.DIPLOMA: "DIPLOMA", Programme.Level.BACHELOR: "BACHELOR"}


class StudentStatusChange(Conflict):
    code = "student_status_change"


class RequirementsNotMet(DomainError):
    code = "graduation_requirements_not_met"
    status = 422


class NotYourRecord(PermissionDenied):
    code = "not_your_student_record"


class NotGraduated(Conflict):
    code = "not_graduated"


def student_status_change(
    *, actor: Actor, student: Student, to: str, reason: str, now: dt.datetime
) -> Student:
    """Suspend, withdraw or re-enrol a student of the registrar's college, with the reason."""
    registrar_of(actor=actor, college=student.college)
    reason = required_reason(reason)
    if to not in STATUSES_BY_HAND:
        raise StudentStatusChange(_("A student graduates through graduation, not by hand."))
    with transaction.atomic():
        before = student.status
        states.transition(student, to, table=STUDENT_TRANSITIONS, error=StudentStatusChange)
        audit.record(
            actor=actor,
            action="student.status_changed",
            obj=student,
            at=now,
            changes={"status": [before, to], "reason": [None, reason]},
        )
    return student


def student_graduate(*, actor: Actor, student: Student, now: dt.datetime) -> Student:
    """Graduate an enrolled student whose passed courses carry the programme's credits and
    whose cumulative GPA reaches `COLLEGES_GRADUATION_MIN_GPA`."""
    registrar_of(actor=actor, college=student.college)
    with transaction.atomic():
        standing = selectors.student_standing(student=student)
        minimum = Decimal(conf.GRADUATION_MIN_GPA.value)
        required = student.programme.credits_required
        if student.status == S.ENROLLED and standing.credits_earned < required:
            raise RequirementsNotMet(
                _("The student has passed %(earned)s credits of the %(required)s required."),
                earned=standing.credits_earned,
                required=required,
            )
        if student.status == S.ENROLLED and standing.gpa < minimum:
            raise RequirementsNotMet(
                _("The student's GPA is %(gpa)s, below the %(minimum)s required to graduate."),
                gpa=standing.gpa,
                minimum=minimum,
            )
        graduated = now.astimezone(MUSCAT).date()
        states.transition(
            student,
            S.GRADUATED,
            table=STUDENT_TRANSITIONS,
            error=StudentStatusChange,
            graduated_date=graduated,
        )
        audit.record(
            actor=actor,
            action="student.graduated",
            obj=student,
            at=now,
            changes={
                "status": [S.ENROLLED, S.GRADUATED],
                "graduated_date": [None, graduated],
                "gpa": [None, standing.gpa],
                "credits_earned": [None, standing.credits_earned],
            },
        )
    return student


def graduate_consent(*, actor: Actor, student: Student, now: dt.datetime) -> tuple[Student, bool]:
    """The graduate agrees to be registered as a job seeker with their qualification; `False`
    when they had already agreed (nothing is recorded twice)."""
    if actor.user_id is None or student.civil_number != selectors.civil_number_of(actor=actor):
        raise NotYourRecord(_("Only the graduate can give this consent."))
    if student.status != S.GRADUATED:
        raise NotGraduated(_("Consent to the job seekers' register is given once graduated."))
    with transaction.atomic():
        moved = Student.objects.filter(
            pk=student.pk, status=S.GRADUATED, job_seeker_consent_at__isnull=True
        ).update(job_seeker_consent_at=now)
        student.refresh_from_db()
        if not moved:
            return student, False
        audit.record(
            actor=actor,
            action="student.consented",
            obj=student,
            at=now,
            changes={"job_seeker_consent_at": [None, now]},
        )
        events.graduate_consented(student=student, now=now)
        _register_as_job_seeker(actor=actor, student=student, now=now)
    return student, True


def _register_as_job_seeker(*, actor: Actor, student: Student, now: dt.datetime) -> None:
    """The consenting graduate enters the job seekers' register with the qualification of
    their programme, in the consent's transaction: a refusal there (not a national in the
    registry) leaves the consent unrecorded."""
    programme = student.programme
    jobs_services.job_seeker_register_graduate(
        actor=actor,
        now=now,
        civil_number=student.civil_number,
        qualification_level=QUALIFICATION_LEVELS[programme.level],
        specialisation_en=programme.specialisation_en,
        specialisation_ar=programme.specialisation_ar,
        graduation_year=student.graduated_date.year,
        college_code=student.college.code,
    )
