"""Every read of the colleges' records, scoped to who asks: a registrar sees their own college,
ministry staff allowed the colleges' reports see every college, a student or graduate sees
their own records. A record outside the scope is not found, so its existence is not
disclosed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import Role, User
from manpower.accounts.permissions import StaffAction, staff_actions
from manpower.core.actor import Actor
from manpower.core.csv_report import csv_pieces
from manpower.core.dates import add_months
from manpower.core.errors import NotFound
from manpower.registry import selectors as registry

from . import conf
from .models import (
    College,
    Course,
    Grade,
    ImportBatch,
    ImportLineError,
    Intake,
    Programme,
    Student,
)


class CollegeNotFound(NotFound):
    code = "college_not_found"


class StudentNotFound(NotFound):
    code = "student_not_found"


class ImportNotFound(NotFound):
    code = "import_not_found"


def college_by_code(*, code: str) -> College:
    """Any college (reference data, public): the import service then decides who may write."""
    found = College.objects.filter(code=code).first()
    if found is None:
        raise CollegeNotFound(_("There is no technical college %(college)s."), college=code)
    return found


def colleges_visible_to(user) -> QuerySet[College]:
    if not user.is_authenticated:
        return College.objects.none()
    if user.role == Role.COLLEGE_REGISTRAR:
        return College.objects.filter(code=user.college_code)
    if StaffAction.VIEW_COLLEGE_REPORTS in staff_actions(user):
        return College.objects.all()
    return College.objects.none()


def college_for_user(*, user, code: str) -> College:
    found = colleges_visible_to(user).filter(code=code).first()
    if found is None:
        raise CollegeNotFound(
            _("No technical college %(college)s was found in your account."), college=code
        )
    return found


@dataclass(frozen=True)
class Catalogue:
    programmes: QuerySet[Programme]
    intakes: QuerySet[Intake]
    courses: QuerySet[Course]


def catalogue_of_college(*, college: College) -> Catalogue:
    """What the college's students and grades files may name, newest intake first."""
    return Catalogue(
        programmes=Programme.objects.filter(college=college).order_by("code"),
        intakes=Intake.objects.filter(college=college).order_by("-start_date", "code"),
        courses=Course.objects.filter(college=college).order_by("code"),
    )


def students_of_college(*, college: College, search: str = "") -> QuerySet[Student]:
    students = Student.objects.filter(college=college).select_related("programme", "intake")
    if search:
        students = students.filter(
            Q(civil_number=search) | Q(name_en__icontains=search) | Q(name_ar__contains=search)
        )
    return students.order_by("civil_number", "id")


def student_of_college(*, college: College, civil_number: str) -> Student:
    found = students_of_college(college=college).filter(civil_number=civil_number).first()
    if found is None:
        raise StudentNotFound(
            _("No student with civil number %(civil)s is in this college."), civil=civil_number
        )
    return found


def civil_number_of(*, actor: Actor) -> str:
    """The civil number of the acting user's account ('' for none)."""
    user = User.objects.filter(pk=actor.user_id).first() if actor.user_id else None
    return user.civil_number if user else ""


def students_of_person(*, user) -> QuerySet[Student]:
    """The signed-in person's own student records, in any college."""
    if not user.is_authenticated or not user.civil_number:
        return Student.objects.none()
    return (
        Student.objects.filter(civil_number=user.civil_number)
        .select_related("college", "programme", "intake")
        .order_by("intake__start_date", "id")
    )


def student_of_person(*, user, student_id: int) -> Student:
    found = students_of_person(user=user).filter(pk=student_id).first()
    if found is None:
        raise StudentNotFound(_("No student record %(id)s is yours."), id=student_id)
    return found


@dataclass(frozen=True)
class Standing:
    gpa: Decimal
    credits_attempted: int
    credits_earned: int


def student_standing(*, student: Student) -> Standing:
    """The cumulative GPA on the 4-point scale, weighted by the courses' credits (every
    attempt counts), and the credits of the courses passed (each course once)."""
    attempted = Grade.objects.filter(student=student).aggregate(
        weighted=Sum(F("points") * F("course__credits")), credits=Sum("course__credits")
    )
    earned = Course.objects.filter(
        Exists(Grade.objects.filter(student=student, course=OuterRef("pk"), points__gt=0))
    ).aggregate(credits=Sum("credits"))["credits"]
    credits = attempted["credits"] or 0
    gpa = Decimal(attempted["weighted"] or 0) / 100 / credits if credits else Decimal(0)
    return Standing(
        gpa=gpa.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        credits_attempted=credits,
        credits_earned=earned or 0,
    )


def student_grades(*, student: Student) -> QuerySet[Grade]:
    return (
        Grade.objects.filter(student=student)
        .select_related("course")
        .order_by("term", "course__code", "id")
    )


def imports_of_college(*, college: College) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(college=college).order_by("-received_at", "-id")


def import_of_college(*, college: College, batch_id: int) -> ImportBatch:
    found = imports_of_college(college=college).filter(pk=batch_id).first()
    if found is None:
        raise ImportNotFound(_("No import %(id)s was found in this college."), id=batch_id)
    return found


def import_errors(*, batch: ImportBatch) -> QuerySet[ImportLineError]:
    return ImportLineError.objects.filter(batch=batch).order_by("line_number", "id")


REPORT_COLUMNS = (
    ("line_number", _("Line")),
    ("field", _("Field")),
    ("value", _("Value")),
    ("code", _("Code")),
    ("message_ar", "الخطأ"),
    ("message_en", "Error"),
)


def error_report_csv(*, batch: ImportBatch) -> Iterator[str]:
    """The per-line error report, both languages side by side."""
    return csv_pieces(import_errors(batch=batch), REPORT_COLUMNS)


@dataclass(frozen=True)
class Employed:
    months: int
    graduates: int  # graduated at least `months` ago, so the period is over
    employed: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.employed / self.graduates) if self.graduates else None


@dataclass(frozen=True)
class CollegeReport:
    college: College
    enrolment: dict[str, int]
    terms: list[dict]
    graduates_by_year: list[tuple[int, int]]
    employed: list[Employed]

    @property
    def students(self) -> int:
        return sum(self.enrolment.values())


def college_report(*, college: College, today: dt.date) -> CollegeReport:
    """Enrolment by status, pass rate per term, graduates per year and the share of graduates
    in work (an employment of the ledger covering some day) within 6 and 12 months of
    graduation; each figure one query."""
    students = Student.objects.filter(college=college)
    by_status = dict(students.values_list("status").annotate(n=Count("id")).order_by())
    enrolment = {status: by_status.get(status, 0) for status in Student.Status.values}
    terms = list(
        Grade.objects.filter(student__college=college)
        .values("term")
        .annotate(grades=Count("id"), passed=Count("id", filter=Q(points__gt=0)))
        .order_by("term")
    )
    for term in terms:
        term["percent"] = round(100 * term["passed"] / term["grades"])
    graduated = students.filter(status=Student.Status.GRADUATED)
    graduation = dict(graduated.values_list("civil_number", "graduated_date"))
    by_year: dict[int, int] = {}
    for day in graduation.values():
        by_year[day.year] = by_year.get(day.year, 0) + 1
    periods = registry.employment_periods_of(civil_numbers=graduated.values("civil_number"))
    employed = []
    for months in conf.EMPLOYED_WITHIN_MONTHS.value:
        due = {civil for civil, day in graduation.items() if add_months(day, months) <= today}
        working = {
            civil
            for civil, start, end in periods
            if civil in due
            and start <= add_months(graduation[civil], months)
            and (end is None or end >= graduation[civil])
        }
        employed.append(Employed(months=months, graduates=len(due), employed=len(working)))
    return CollegeReport(
        college=college,
        enrolment=enrolment,
        terms=terms,
        graduates_by_year=sorted(by_year.items()),
        employed=employed,
    )
