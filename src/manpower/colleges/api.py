"""The colleges through the public API: a registrar's imports (the portal's upload, for a
college's own systems) and a student's graduation; a graduate's records and consent (the
mobile app). Read through the same selectors and written through the same services as the
portal."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status, UploadedFile

from manpower.accounts.api_auth import api_auth
from manpower.core.actor import Actor

from . import selectors, services

router = Router(auth=api_auth, tags=["colleges"])


class ImportOut(Schema):
    id: int
    college_code: str
    kind: str
    file_name: str
    status: str
    lines_total: int
    lines_loaded: int
    error_count: int
    report_url: str


class StudentOut(Schema):
    id: int
    college_code: str
    civil_number: str
    name_ar: str
    name_en: str
    programme_code: str
    qualification_level: str
    status: str
    gpa: str
    credits_earned: int
    graduated_date: str | None
    job_seeker_consent_at: str | None


def _import_answer(batch) -> dict:
    return {
        "id": batch.pk,
        "college_code": batch.college.code,
        "kind": batch.kind,
        "file_name": batch.file_name,
        "status": batch.status,
        "lines_total": batch.lines_total,
        "lines_loaded": batch.lines_loaded,
        "error_count": batch.error_count,
        "report_url": reverse("colleges:report_csv", args=[batch.college.code, batch.pk]),
    }


def _student_answer(student) -> dict:
    standing = selectors.student_standing(student=student)
    return {
        "id": student.pk,
        "college_code": student.college.code,
        "civil_number": student.civil_number,
        "name_ar": student.name_ar,
        "name_en": student.name_en,
        "programme_code": student.programme.code,
        "qualification_level": student.programme.level,
        "status": student.status,
        "gpa": str(standing.gpa),
        "credits_earned": standing.credits_earned,
        "graduated_date": student.graduated_date.isoformat() if student.graduated_date else None,
        "job_seeker_consent_at": (
            student.job_seeker_consent_at.isoformat() if student.job_seeker_consent_at else None
        ),
    }


@router.post(
    "/colleges/{code}/imports",
    response={200: ImportOut, 201: ImportOut},
    url_name="colleges-import",
)
def colleges_import(request, code: str, file: File[UploadedFile], kind: Form[str]):
    """Import a students or grades CSV into the registrar's college (`kind` STUDENTS or
    GRADES): 201 with its result, or 200 with the first result for a file sent before."""
    batch, new = services.records_import(
        actor=Actor.from_request(request, on_behalf_of=("college", code)),
        college=selectors.college_by_code(code=code),
        kind=kind,
        file_name=file.name or "import.csv",
        content=file.read(),
        now=timezone.now(),
    )
    return Status(201 if new else 200, _import_answer(batch))


@router.get(
    "/colleges/{code}/imports/{int:batch_id}", response=ImportOut, url_name="colleges-import-detail"
)
def colleges_import_detail(request, code: str, batch_id: int):
    college = selectors.college_for_user(user=request.user, code=code)
    return _import_answer(selectors.import_of_college(college=college, batch_id=batch_id))


@router.get(
    "/colleges/{code}/students/{civil_number}", response=StudentOut, url_name="colleges-student"
)
def colleges_student(request, code: str, civil_number: str):
    college = selectors.college_for_user(user=request.user, code=code)
    return _student_answer(selectors.student_of_college(college=college, civil_number=civil_number))


@router.post(
    "/colleges/{code}/students/{civil_number}/graduate",
    response=StudentOut,
    url_name="colleges-graduate",
)
def colleges_graduate(request, code: str, civil_number: str):
    """Graduate the student when the programme's requirements are met (422 with the reason)."""
    college = selectors.college_for_user(user=request.user, code=code)
    student = selectors.student_of_college(college=college, civil_number=civil_number)
    return _student_answer(
        services.student_graduate(
            actor=Actor.from_request(request), student=student, now=timezone.now()
        )
    )


@router.get("/colleges/mine", response=list[StudentOut], url_name="colleges-mine")
def colleges_mine(request):
    """The caller's own student records (a student or graduate)."""
    return [_student_answer(found) for found in selectors.students_of_person(user=request.user)]


@router.post(
    "/colleges/mine/{int:student_id}/consent",
    response={200: StudentOut, 201: StudentOut},
    url_name="colleges-consent",
)
def colleges_consent(request, student_id: int):
    """The graduate agrees to be registered as a job seeker: 201, or 200 when already agreed."""
    student = selectors.student_of_person(user=request.user, student_id=student_id)
    student, new = services.graduate_consent(
        actor=Actor.from_request(request), student=student, now=timezone.now()
    )
    return Status(201 if new else 200, _student_answer(student))
