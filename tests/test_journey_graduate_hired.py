"""A college graduate hired through the public interfaces only (issue #15): the registrar
imports the students and grades CSVs and graduates the student through the API, the graduate
consents and is a job seeker with the programme's qualification, an employer posts a vacancy,
the graduate applies, is shortlisted, invited, accepts the interview, is offered the post and
hired, and the contract is registered. Each user signs in on the portal and takes an API token
there. Factories make only what exists before: the college's programme, intake and courses, the
employer and its representative, the graduate's registry record and account."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from manpower.accounts.models import Role
from manpower.colleges.models import College, Course, Intake, Programme
from manpower.registry.tests.factories import (
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
    bricklayer,
    oman,
    seeb,
)

PASSWORD = "correct-horse-battery-9"
API = "/api/v1"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def register_unreachable(settings):
    """The Manpower Register does not answer: the seeker's status waits, nothing else does."""
    settings.INTEGRATION_SIMULATOR_URL = "http://127.0.0.1:9"
    settings.INTEGRATION_ADAPTER_RETRIES = 0
    settings.INTEGRATION_ADAPTER_TIMEOUT_SECONDS = 0.5


def api_client(user) -> Client:
    """Sign in on the portal (with the authenticator's code, for an account that has one), take
    a token there, and call the API with it alone."""
    portal = Client()
    signed_in = portal.post(
        reverse("accounts:sign-in"), {"identifier": user.username, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        code = f"{totp(device.bin_key) % 1_000_000:06d}"
        assert portal.post(reverse("accounts:sign-in-code"), {"code": code}).status_code == 302
    issued = portal.post(f"{API}/tokens", {"name": "phone"}, content_type="application/json")
    assert issued.status_code == 201, issued.content
    return Client(headers={"authorization": f"Bearer {issued.json()['key']}"})


def csv_upload(name: str, *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def test_a_graduate_is_hired_from_the_college_to_the_contract():
    # What exists before: the college's catalogue, the employer, the graduate's records.
    college = College.objects.get(code="HCT")
    Programme.objects.create(
        college=college,
        code="IT-DIP",
        level=Programme.Level.DIPLOMA,
        specialisation_en="Information technology",
        specialisation_ar="تقنية المعلومات",
        credits_required=6,
    )
    Intake.objects.create(college=college, code="2023-FALL", start_date=dt.date(2023, 9, 1))
    for code, title, credits in (("IT101", "Programming", 3), ("IT102", "Networks", 3)):
        Course.objects.create(
            college=college, code=code, title_en=title, title_ar=title, credits=credits
        )
    registrar = UserFactory(role=Role.COLLEGE_REGISTRAR, college_code="HCT", language="en")
    TOTPDevice.objects.create(user=registrar, name="phone", confirmed=True)  # registrars need one
    bricklayer(), seeb()
    establishment = EstablishmentFactory(name_en="Al Noor Trading", name_ar="النور للتجارة")
    representative = UserFactory(role=Role.ESTABLISHMENT_REP, language="en")
    RepresentationFactory(user=representative, establishment=establishment)
    person = PersonFactory(
        is_national=True,
        nationality=oman(),
        passport_number="",
        name_en="Salim Al Amri",
        name_ar="سالم العامري",
    )
    graduate = UserFactory(role=Role.INDIVIDUAL, civil_number=person.civil_number, language="en")
    civil, cr = person.civil_number, establishment.cr_number
    today = timezone.localdate()

    # The registrar imports the students, then the grades.
    college_api = api_client(registrar)
    imports = f"{API}/colleges/HCT/imports"
    students = college_api.post(
        imports,
        {
            "kind": "STUDENTS",
            "file": csv_upload(
                "students.csv",
                "civil_number,name_ar,name_en,programme,intake",
                f"{civil},سالم العامري,Salim Al Amri,IT-DIP,2023-FALL",
            ),
        },
    )
    assert students.status_code == 201, students.content
    assert (students.json()["status"], students.json()["lines_loaded"]) == ("IMPORTED", 1)
    grades = college_api.post(
        imports,
        {
            "kind": "GRADES",
            "file": csv_upload(
                "grades.csv",
                "civil_number,course,term,grade",
                f"{civil},IT101,2024-1,A",
                f"{civil},IT102,2024-1,B",
            ),
        },
    )
    assert grades.status_code == 201, grades.content
    body = grades.json()
    assert (body["kind"], body["status"], body["lines_loaded"], body["error_count"]) == (
        "GRADES",
        "IMPORTED",
        2,
        0,
    )
    record = college_api.get(f"{API}/colleges/HCT/students/{civil}").json()
    assert (record["status"], record["credits_earned"], record["gpa"]) == ("ENROLLED", 6, "3.50")

    # The registrar graduates the student.
    graduated = college_api.post(f"{API}/colleges/HCT/students/{civil}/graduate")
    assert graduated.status_code == 200, graduated.content
    assert graduated.json()["status"] == "GRADUATED"
    assert graduated.json()["graduated_date"] == today.isoformat()

    # The graduate sees the record and consents: a job seeker with the diploma.
    me = api_client(graduate)
    assert me.get(f"{API}/jobs/me").status_code == 404  # not a job seeker yet
    mine = me.get(f"{API}/colleges/mine").json()
    assert [(r["civil_number"], r["status"], r["job_seeker_consent_at"]) for r in mine] == [
        (civil, "GRADUATED", None)
    ]
    consent = me.post(f"{API}/colleges/mine/{mine[0]['id']}/consent")
    assert consent.status_code == 201, consent.content
    assert consent.json()["job_seeker_consent_at"] is not None
    seeker = me.get(f"{API}/jobs/me")
    assert seeker.status_code == 200, seeker.content
    assert (seeker.json()["civil_number"], seeker.json()["highest_level"]) == (civil, "DIPLOMA")
    assert seeker.json()["name_en"] == "Salim Al Amri"

    # The employer posts a vacancy: published at once.
    employer = api_client(representative)
    vacancies = f"{API}/establishments/{cr}/vacancies"
    posted = employer.post(
        vacancies,
        {
            "title_ar": "فني شبكات",
            "title_en": "Network technician",
            "occupation_code": "7112",
            "qualification_code": "DIPLOMA",
            "specialisation": "Information technology",
            "governorate_code": "MA",
            "wilayat_code": "MA-SEEB",
            "wage_min_baisa": 500_000,
            "wage_max_baisa": 700_000,
            "posts": 2,
            "closing_date": (today + dt.timedelta(days=30)).isoformat(),
        },
        content_type="application/json",
    )
    assert posted.status_code == 201, posted.content
    vacancy = posted.json()
    assert (vacancy["status"], vacancy["posts"], vacancy["open_posts"]) == ("PUBLISHED", 2, 2)
    assert vacancy["establishment"]["code"] == cr
    number = vacancy["number"]
    assert me.get(f"{API}/jobs/vacancies/{number}").json()["title_en"] == "Network technician"

    # The graduate applies.
    applied = me.post(f"{API}/jobs/vacancies/{number}/applications")
    assert applied.status_code == 201, applied.content
    application = applied.json()["number"]
    assert (applied.json()["status"], applied.json()["civil_number"]) == ("SUBMITTED", civil)
    listed = employer.get(f"{vacancies}/{number}/applications").json()
    assert [(a["number"], a["civil_number"]) for a in listed] == [(application, civil)]

    # Shortlisted, invited to an interview, which the graduate accepts.
    pipeline = f"{vacancies}/{number}/applications/{application}"
    shortlisted = employer.post(f"{pipeline}/shortlist")
    assert (shortlisted.status_code, shortlisted.json()["status"]) == (200, "SHORTLISTED")
    interview_at = timezone.now() + dt.timedelta(days=3)
    invited = employer.post(
        f"{pipeline}/interview",
        {"interview_at": interview_at.isoformat(), "place": "Head office, Al Khuwair"},
        content_type="application/json",
    )
    assert invited.status_code == 200, invited.content
    assert (invited.json()["status"], invited.json()["interview_place"]) == (
        "INTERVIEW",
        "Head office, Al Khuwair",
    )
    accepted = me.post(f"{API}/jobs/me/applications/{application}/interview/accept")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "INTERVIEW_ACCEPTED"

    # The offer, then the hire, which registers the contract.
    start = today + dt.timedelta(days=14)
    offered = employer.post(
        f"{pipeline}/offer",
        {"wage_baisa": 600_000, "start_date": start.isoformat()},
        content_type="application/json",
    )
    assert offered.status_code == 200, offered.content
    assert (offered.json()["status"], offered.json()["offer_wage_baisa"]) == ("OFFERED", 600_000)
    hired = employer.post(f"{pipeline}/hire")
    assert hired.status_code == 200, hired.content
    assert hired.json()["status"] == "HIRED"
    contract_number = hired.json()["contract_number"]
    assert contract_number

    # The contract, as the worker and the employer see it; one post fewer is open.
    contract = me.get(f"{API}/contracts/{contract_number}")
    assert contract.status_code == 200, contract.content
    contract = contract.json()
    assert contract["status"] == "SUBMITTED"  # the worker accepts it next
    assert (contract["worker"]["number"], contract["establishment"]["number"]) == (civil, cr)
    assert (contract["occupation"]["code"], contract["basic_wage_baisa"]) == ("7112", 600_000)
    assert contract["start_date"] == start.isoformat()
    theirs = employer.get(f"{API}/establishments/{cr}/contracts/{contract_number}")
    assert theirs.status_code == 200 and theirs.json()["number"] == contract_number
    after = employer.get(vacancies).json()
    assert [(v["number"], v["open_posts"], v["status"]) for v in after] == [
        (number, 1, "PUBLISHED")
    ]
    assert me.get(f"{API}/jobs/me").json()["status"] == "HIRED"
    mine = me.get(f"{API}/jobs/me/applications").json()
    assert [(a["number"], a["status"], a["contract_number"]) for a in mine] == [
        (application, "HIRED", contract_number)
    ]
