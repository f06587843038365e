"""The job seekers' register: registration, the graduate from a college, the profile, the CV
and the Manpower Register's status with its stale rule."""

import datetime as dt

import pytest

from manpower.integration.models import MessageLog
from manpower.jobs import services
from manpower.jobs.models import CurriculumVitae, JobSeeker
from manpower.registry.tests.factories import EmploymentFactory, PersonFactory, india

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_a_national_registers_once(national, now):
    person, _user, actor = national
    first = services.job_seeker_register(actor=actor, now=now, civil_number=person.civil_number)
    again = services.job_seeker_register(actor=actor, now=now, civil_number=person.civil_number)
    assert first.pk == again.pk and JobSeeker.objects.count() == 1
    assert first.register_status == JobSeeker.RegisterStatus.UNKNOWN  # the register was down


@pytest.mark.parametrize("number", ["12", "abc", "1234567890123"])
def test_a_malformed_civil_number_is_refused(national, now, number):
    with pytest.raises(services.InvalidCivilNumber):
        services.job_seeker_register(actor=national[2], now=now, civil_number=number)


def test_a_non_national_is_not_registered(db, national, now):
    resident = PersonFactory(is_national=False, nationality=india())
    with pytest.raises(services.NotANational):
        services.job_seeker_register(actor=national[2], now=now, civil_number=resident.civil_number)
    assert not JobSeeker.objects.exists()


def test_a_graduate_arrives_once_with_the_programme_qualification(national, system_actor, now):
    person, _user, _actor = national
    arguments = {
        "civil_number": person.civil_number,
        "qualification_level": "DIPLOMA",
        "specialisation_en": "Information technology",
        "specialisation_ar": "تقنية المعلومات",
        "graduation_year": 2026,
        "college_code": "HCT",
    }
    seeker = services.job_seeker_register_graduate(actor=system_actor, now=now, **arguments)
    services.job_seeker_register_graduate(actor=system_actor, now=now, **arguments)
    assert seeker.qualifications.count() == 1
    assert seeker.highest_level_id == "DIPLOMA" and seeker.highest_rank == 3
    assert "تقنيه المعلومات" in seeker.search_text
    bachelor = {**arguments, "qualification_level": "BACHELOR", "graduation_year": 2028}
    seeker = services.job_seeker_register_graduate(actor=system_actor, now=now, **bachelor)
    assert seeker.highest_level_id == "BACHELOR"
    with pytest.raises(services.InvalidProfile):
        services.job_seeker_register_graduate(
            actor=system_actor, now=now, **{**arguments, "qualification_level": "NONE"}
        )


def test_the_profile_keeps_preferences_and_refuses_unknown_codes(seeker_with, now):
    seeker, _user, actor = seeker_with()
    assert list(seeker.preferred_occupations.values_list("code", flat=True)) == ["7112"]
    with pytest.raises(Exception) as refused:
        services.job_seeker_profile_update(
            actor=actor,
            now=now,
            seeker=seeker,
            experience_years=1,
            experience="",
            governorate_codes=["MA"],
            occupation_codes=["9999"],
        )
    assert refused.value.code == "unknown_occupation"
    with pytest.raises(services.InvalidProfile):
        services.job_seeker_profile_update(
            actor=actor,
            now=now,
            seeker=seeker,
            experience_years=1,
            experience="",
            governorate_codes=["XX"],
            occupation_codes=[],
        )
    assert list(seeker.preferred_occupations.values_list("code", flat=True)) == ["7112"]


def test_a_qualification_twice_is_refused(seeker_with, now):
    seeker, _user, actor = seeker_with()
    with pytest.raises(services.InvalidProfile):
        services.qualification_add(
            actor=actor,
            now=now,
            seeker=seeker,
            level_code="BACHELOR",
            specialisation_en="Accounting",
            year=2024,
        )


def test_a_cv_must_be_a_small_pdf(seeker_with, now, settings):
    seeker, _user, actor = seeker_with()
    services.cv_upload(
        actor=actor, now=now, seeker=seeker, content=PDF, content_type="application/pdf"
    )
    assert CurriculumVitae.objects.get(seeker=seeker).size == len(PDF)
    with pytest.raises(services.InvalidCv):  # a PDF by name only
        services.cv_upload(
            actor=actor,
            now=now,
            seeker=seeker,
            content=b"MZ\x90\x00",
            content_type="application/pdf",
        )
    with pytest.raises(services.InvalidCv):  # a PDF sent as something else
        services.cv_upload(
            actor=actor, now=now, seeker=seeker, content=PDF, content_type="text/plain"
        )
    settings.JOBS_CV_MAX_BYTES = 20
    with pytest.raises(services.InvalidCv) as too_big:
        services.cv_upload(
            actor=actor, now=now, seeker=seeker, content=PDF, content_type="application/pdf"
        )
    assert "kilobytes" in too_big.value.text("en")
    assert bytes(CurriculumVitae.objects.get(seeker=seeker).content) == PDF


@pytest.mark.django_db(transaction=True)
def test_the_register_status_comes_from_the_adapter_and_is_asked_again_when_stale(
    simulator, national, now
):
    person, _user, actor = national
    seeker = services.job_seeker_register(actor=actor, now=now, civil_number=person.civil_number)
    assert seeker.register_status == JobSeeker.RegisterStatus.SEEKING
    calls = MessageLog.objects.filter(direction="OUT").count()

    EmploymentFactory(person=person)
    later = now + dt.timedelta(hours=2)
    seeker = services.job_seeker_status_refresh(actor=actor, now=later, seeker=seeker)
    assert seeker.register_status == JobSeeker.RegisterStatus.SEEKING  # fresh: not asked
    assert MessageLog.objects.filter(direction="OUT").count() == calls

    stale = now + dt.timedelta(hours=25)
    seeker = services.job_seeker_status_refresh(actor=actor, now=stale, seeker=seeker)
    assert seeker.register_status == JobSeeker.RegisterStatus.NOT_SEEKING
    assert seeker.register_checked_at == stale


def test_while_the_register_is_down_the_stored_status_stays(seeker_with, now):
    seeker, _user, actor = seeker_with()
    JobSeeker.objects.filter(pk=seeker.pk).update(
        register_status="SEEKING", register_checked_at=now - dt.timedelta(days=3)
    )
    seeker.refresh_from_db()
    seeker = services.job_seeker_status_refresh(actor=actor, now=now, seeker=seeker)
    assert seeker.register_status == "SEEKING"
    assert services.register_status_is_stale(seeker, now=now)
