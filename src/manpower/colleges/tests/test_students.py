"""A student's record: status changes by the registrar, graduation on the programme's rules,
and the graduate's consent to the job seekers' register."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.management import call_command

from manpower.colleges import services
from manpower.colleges.models import Programme, Student
from manpower.core.actor import Actor
from manpower.core.errors import DomainError, ReasonRequired
from manpower.core.models import AuditEvent
from manpower.registry.tests.factories import PersonFactory, UserFactory, oman


@pytest.fixture
def graduate_user(db):
    PersonFactory(civil_number="96123456", is_national=True, nationality=oman(), passport_number="")
    return UserFactory(username="salim", civil_number="96123456")


def test_the_registrar_suspends_and_re_enrols_a_student_with_a_reason(as_registrar, enrolled, now):
    student = enrolled[0]
    services.student_status_change(
        actor=as_registrar, student=student, to="SUSPENDED", reason="Unpaid fees", now=now
    )
    assert student.status == Student.Status.SUSPENDED
    services.student_status_change(
        actor=as_registrar, student=student, to="ENROLLED", reason="Paid", now=now
    )
    event = AuditEvent.objects.filter(action="student.status_changed").order_by("seq").first()
    assert event.changes == {"status": ["ENROLLED", "SUSPENDED"], "reason": [None, "Unpaid fees"]}


def test_a_status_change_needs_a_reason_and_follows_the_table(as_registrar, enrolled, now):
    student = enrolled[0]
    with pytest.raises(ReasonRequired):
        services.student_status_change(
            actor=as_registrar, student=student, to="SUSPENDED", reason="  ", now=now
        )
    services.student_status_change(
        actor=as_registrar, student=student, to="WITHDRAWN", reason="Left", now=now
    )
    with pytest.raises(services.StudentStatusChange):
        services.student_status_change(
            actor=as_registrar, student=student, to="ENROLLED", reason="Back", now=now
        )
    with pytest.raises(services.StudentStatusChange):
        services.student_status_change(
            actor=as_registrar, student=enrolled[1], to="GRADUATED", reason="x", now=now
        )
    student.refresh_from_db()
    assert student.status == Student.Status.WITHDRAWN


def test_another_colleges_registrar_cannot_change_a_student(other_registrar, enrolled, now):
    with pytest.raises(services.OtherCollege):
        services.student_status_change(
            actor=Actor.for_user(other_registrar), student=enrolled[0], to="SUSPENDED",
            reason="x", now=now,
        )  # fmt: skip


def test_a_student_who_met_the_requirements_graduates_audited(as_registrar, enrolled, now):
    student = services.student_graduate(actor=as_registrar, student=enrolled[0], now=now)
    assert student.status == Student.Status.GRADUATED
    assert student.graduated_date == dt.date(2026, 11, 29)
    event = AuditEvent.objects.get(action="student.graduated")
    assert event.changes["gpa"] == [None, "3.13"] and event.changes["credits_earned"] == [None, 8]
    call_command("verify_audit")


def test_graduation_is_refused_without_the_credits_or_the_gpa(
    as_registrar, enrolled, settings, now
):
    with pytest.raises(services.RequirementsNotMet) as refused:
        services.student_graduate(actor=as_registrar, student=enrolled[1], now=now)
    assert refused.value.text("en") == "The student has passed 3 credits of the 6 required."
    settings.COLLEGES_GRADUATION_MIN_GPA = "3.50"
    with pytest.raises(services.RequirementsNotMet) as refused:
        services.student_graduate(actor=as_registrar, student=enrolled[0], now=now)
    assert "3.13" in refused.value.text("ar")
    assert not Student.objects.filter(status="GRADUATED").exists()


def test_a_suspended_or_graduated_student_cannot_graduate(as_registrar, enrolled, now):
    student = services.student_graduate(actor=as_registrar, student=enrolled[0], now=now)
    with pytest.raises(services.StudentStatusChange):
        services.student_graduate(actor=as_registrar, student=student, now=now)


def test_the_graduate_consents_once_and_the_event_is_published(
    as_registrar, enrolled, graduate_user, now
):
    student = services.student_graduate(actor=as_registrar, student=enrolled[0], now=now)
    later = now + dt.timedelta(days=3)
    student, new = services.graduate_consent(
        actor=Actor.for_user(graduate_user), student=student, now=later
    )
    assert new and student.job_seeker_consent_at == later
    again, new = services.graduate_consent(
        actor=Actor.for_user(graduate_user), student=student, now=later + dt.timedelta(hours=1)
    )
    assert not new and again.job_seeker_consent_at == later
    event = apps.get_model("integration", "OutboxEvent").objects.get(
        event_type="graduate.consented"
    )
    assert event.payload == {
        "civil_number": "96123456",
        "college_code": "HCT",
        "programme_code": "IT-DIP",
        "qualification_level": "DIPLOMA",
        "specialisation_en": "Information technology",
        "specialisation_ar": "تقنية المعلومات",
        "graduated_date": "2026-11-29",
        "consented_at": later.isoformat(),
    }
    assert AuditEvent.objects.filter(action="student.consented").count() == 1


def test_only_the_graduate_consents_and_only_once_graduated(
    as_registrar, enrolled, graduate_user, now
):
    with pytest.raises(services.NotGraduated):
        services.graduate_consent(actor=Actor.for_user(graduate_user), student=enrolled[0], now=now)
    student = services.student_graduate(actor=as_registrar, student=enrolled[0], now=now)
    with pytest.raises(services.NotYourRecord):
        services.graduate_consent(actor=as_registrar, student=student, now=now)
    assert (
        not apps.get_model("integration", "OutboxEvent")
        .objects.filter(event_type="graduate.consented")
        .exists()
    )


@pytest.mark.parametrize(("level", "expected"), [("DIPLOMA", "DIPLOMA"), ("BACHELOR", "BACHELOR")])
def test_the_consenting_graduate_enters_the_job_seekers_register_with_the_programme(
    as_registrar, enrolled, graduate_user, level, expected, now
):
    Programme.objects.update(level=level)
    student = services.student_graduate(actor=as_registrar, student=enrolled[0], now=now)
    services.graduate_consent(actor=Actor.for_user(graduate_user), student=student, now=now)
    qualification = apps.get_model("jobs", "Qualification").objects.get(
        seeker__person__civil_number="96123456"
    )
    assert (qualification.level_id, qualification.specialisation_en, qualification.year) == (
        expected,
        "Information technology",
        2026,
    )
    assert (qualification.specialisation_ar, qualification.college_code) == (
        "تقنية المعلومات",
        "HCT",
    )


def test_a_graduate_who_is_not_a_national_of_the_registry_cannot_consent(
    as_registrar, enrolled, now
):
    user = UserFactory(username="noone", civil_number="96123456")  # no person in the registry
    student = services.student_graduate(actor=as_registrar, student=enrolled[0], now=now)
    with pytest.raises(DomainError):
        services.graduate_consent(actor=Actor.for_user(user), student=student, now=now)
    student.refresh_from_db()
    assert student.job_seeker_consent_at is None
