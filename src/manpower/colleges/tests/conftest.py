import pytest

from manpower.accounts.models import Department, Role
from manpower.colleges.models import College, Course, Intake, Programme
from manpower.core.actor import Actor
from manpower.registry.tests.factories import UserFactory

STUDENTS_HEADER = "civil_number,name_ar,name_en,programme,intake"
GRADES_HEADER = "civil_number,course,term,grade"


def csv_bytes(header: str, *lines: str) -> bytes:
    return ("\n".join((header, *lines)) + "\n").encode()


def students_file(*lines: str) -> bytes:
    return csv_bytes(STUDENTS_HEADER, *lines)


def grades_file(*lines: str) -> bytes:
    return csv_bytes(GRADES_HEADER, *lines)


@pytest.fixture
def college(db):
    return College.objects.get(code="HCT")


@pytest.fixture
def other_college(db):
    return College.objects.get(code="SCT")


@pytest.fixture
def programme(college):
    return Programme.objects.create(
        college=college,
        code="IT-DIP",
        level=Programme.Level.DIPLOMA,
        specialisation_en="Information technology",
        specialisation_ar="تقنية المعلومات",
        credits_required=6,
    )


@pytest.fixture
def intake(college):
    import datetime as dt

    return Intake.objects.create(college=college, code="2023-FALL", start_date=dt.date(2023, 9, 1))


@pytest.fixture
def courses(college):
    return [
        Course.objects.create(
            college=college, code=code, title_en=title, title_ar=title_ar, credits=credits
        )
        for code, title, title_ar, credits in (
            ("IT101", "Programming", "البرمجة", 3),
            ("IT102", "Networks", "الشبكات", 3),
            ("GE100", "English", "اللغة الإنجليزية", 2),
        )
    ]


@pytest.fixture
def registrar(college):
    return UserFactory(
        username="registrar", role=Role.COLLEGE_REGISTRAR, college_code=college.code, language="en"
    )


@pytest.fixture
def other_registrar(other_college):
    return UserFactory(
        username="registrar-sct",
        role=Role.COLLEGE_REGISTRAR,
        college_code=other_college.code,
        language="en",
    )


@pytest.fixture
def employment_officer(db):
    return UserFactory(
        username="employment", role=Role.OFFICER, department=Department.EMPLOYMENT, language="en"
    )


@pytest.fixture
def as_registrar(registrar):
    return Actor.for_user(registrar)


@pytest.fixture
def enrolled(as_registrar, college, programme, intake, courses, now):
    """Two students imported, with grades: 96123456 passes everything, 96123457 fails two."""
    from manpower.colleges import services

    services.records_import(
        actor=as_registrar,
        college=college,
        kind="STUDENTS",
        file_name="students.csv",
        content=students_file(
            "96123456,سالم العامري,Salim Al Amri,IT-DIP,2023-FALL",
            "96123457,مريم الهنائية,Maryam Al Hinai,IT-DIP,2023-FALL",
        ),
        now=now,
    )
    services.records_import(
        actor=as_registrar,
        college=college,
        kind="GRADES",
        file_name="grades.csv",
        content=grades_file(
            "96123456,IT101,2024-1,A",
            "96123456,IT102,2024-1,B",
            "96123456,GE100,2024-2,C",
            "96123457,IT101,2024-1,F",
            "96123457,IT102,2024-1,D",
            "96123457,GE100,2024-2,F",
        ),
        now=now,
    )
    return college.students.order_by("civil_number")
