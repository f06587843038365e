"""A registrar's bulk imports: what loads, what is refused, the per-line report, idempotency
and the college scope."""

import pytest

from manpower.accounts.permissions import StaffActionNotPermitted
from manpower.colleges import selectors, services
from manpower.colleges.models import Grade, ImportBatch, Student
from manpower.core.models import AuditEvent

from .conftest import grades_file, students_file


def imported(actor, college, content, now, kind="STUDENTS"):
    return services.records_import(
        actor=actor, college=college, kind=kind, file_name="f.csv", content=content, now=now
    )


def test_a_good_students_file_loads_every_line_enrolled(
    as_registrar, college, programme, intake, now
):
    batch, new = imported(
        as_registrar,
        college,
        students_file(
            "96123456,سالم,Salim,IT-DIP,2023-FALL", "96123457,مريم,Maryam,IT-DIP,2023-FALL"
        ),
        now,
    )
    assert new and batch.status == ImportBatch.Status.IMPORTED
    assert (batch.lines_total, batch.lines_loaded, batch.error_count) == (2, 2, 0)
    students = Student.objects.filter(college=college).order_by("civil_number")
    assert [(s.civil_number, s.status, s.programme_id) for s in students] == [
        ("96123456", "ENROLLED", programme.pk),
        ("96123457", "ENROLLED", programme.pk),
    ]
    assert AuditEvent.objects.filter(action="college_import.received").count() == 1


def test_the_same_file_again_answers_with_the_first_result(
    as_registrar, college, programme, intake, now
):
    content = students_file("96123456,سالم,Salim,IT-DIP,2023-FALL")
    first, _new = imported(as_registrar, college, content, now)
    again, new = imported(as_registrar, college, content, now)
    assert (again.pk, new) == (first.pk, False)
    assert Student.objects.count() == 1 and ImportBatch.objects.count() == 1


def test_a_file_with_a_bad_line_loads_nothing_and_reports_each_line_in_both_languages(
    as_registrar, college, programme, intake, now
):
    batch, _new = imported(
        as_registrar,
        college,
        students_file(
            "96123456,سالم,Salim,IT-DIP,2023-FALL",
            "0123,سالم,Salim,IT-DIP,2023-FALL",
            "96123458,,Nobody,NOPE,2020-X",
            "96123456,سالم,Salim,IT-DIP,2023-FALL",
            "96123459,too,few",
        ),
        now,
    )
    assert batch.status == ImportBatch.Status.REJECTED and batch.lines_loaded == 0
    assert Student.objects.count() == 0
    found = [(e.line_number, e.field, e.code) for e in selectors.import_errors(batch=batch)]
    assert found == [
        (3, "civil_number", "civil_number_leading_zero"),
        (4, "name_ar", "name_invalid"),
        (4, "programme", "programme_unknown"),
        (4, "intake", "intake_unknown"),
        (5, "civil_number", "duplicate_line"),
        (6, "line", "wrong_cell_count"),
    ]
    duplicate = selectors.import_errors(batch=batch).get(code="duplicate_line")
    assert duplicate.message_en == "This line repeats line 2 of the file."
    assert duplicate.message_ar and duplicate.message_ar != duplicate.message_en
    report = "".join(selectors.error_report_csv(batch=batch))
    assert (
        report.startswith("\ufeff")
        and "duplicate_line" in report
        and duplicate.message_ar in report
    )


def test_a_student_already_in_the_college_is_refused(as_registrar, enrolled, college, now):
    batch, _new = imported(
        as_registrar, college, students_file("96123456,س,S,IT-DIP,2023-FALL"), now
    )
    assert [e.code for e in selectors.import_errors(batch=batch)] == ["student_exists"]


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"civil_number,name_ar\n" + b"9612,x\n", "import_refused", "header"),
        (
            b"civil_number,name_ar,name_en,programme,intake\n961\xff,a,b,c,d\n",
            "import_refused",
            "UTF-8",
        ),
        (
            b"civil_number,name_ar,name_en,programme,intake\n96123456,a\x00,b,c,d\n",
            "import_refused",
            "NUL",
        ),
        (b"civil_number,name_ar,name_en,programme,intake\n", "import_refused", "no lines"),
        (b"", "import_refused", "header"),
    ],
)
def test_a_file_that_is_not_an_import_is_refused_with_a_clear_message(
    as_registrar, college, content, code, words, now
):
    with pytest.raises(services.ImportRefused) as refused:
        imported(as_registrar, college, content, now)
    assert refused.value.code == code and words in refused.value.text("en")
    assert refused.value.text("ar") != refused.value.text("en")
    assert ImportBatch.objects.count() == 0


def test_an_oversized_file_is_refused_unread(as_registrar, college, settings, now):
    settings.COLLEGES_IMPORT_MAX_BYTES = 100
    with pytest.raises(services.ImportTooLarge) as refused:
        imported(as_registrar, college, students_file("96123456,a,b,c,d") * 10, now)
    assert refused.value.status == 413 and ImportBatch.objects.count() == 0


def test_a_registrar_of_another_college_cannot_import_into_this_one(
    other_registrar, college, programme, intake, now
):
    from manpower.core.actor import Actor

    with pytest.raises(services.OtherCollege) as refused:
        imported(
            Actor.for_user(other_registrar),
            college,
            students_file("96123456,a,b,IT-DIP,2023-FALL"),
            now,
        )
    assert refused.value.status == 403
    assert Student.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_ministry_staff_cannot_import(employment_officer, college, now):
    from manpower.core.actor import Actor

    with pytest.raises(StaffActionNotPermitted):
        imported(
            Actor.for_user(employment_officer), college, students_file("96123456,a,b,c,d"), now
        )


def test_grades_load_with_their_points_and_the_gpa_is_credit_weighted(enrolled):
    best, weakest = enrolled
    assert sorted(Grade.objects.filter(student=best).values_list("letter", "points")) == [
        ("A", 400), ("B", 300), ("C", 200),
    ]  # fmt: skip
    standing = selectors.student_standing(student=best)
    # (4*3 + 3*3 + 2*2) / 8 = 3.125 → 3.13
    assert (str(standing.gpa), standing.credits_attempted, standing.credits_earned) == (
        "3.13",
        8,
        8,
    )
    weak = selectors.student_standing(student=weakest)
    assert (str(weak.gpa), weak.credits_earned) == ("0.38", 3)


def test_bad_grade_lines_are_each_reported(as_registrar, enrolled, college, now):
    batch, _new = imported(
        as_registrar,
        college,
        grades_file(
            "96999999,IT101,2024-1,A",
            "96123456,XX999,2024-1,A",
            "96123456,IT101,24-1,A",
            "96123456,IT101,2025-1,Z",
            "96123456,IT101,2025-1,B",
            "96123456,IT101,2025-1,B",
            "96123456,IT101,2024-1,A",
        ),
        now,
        kind="GRADES",
    )
    assert [(e.line_number, e.code) for e in selectors.import_errors(batch=batch)] == [
        (2, "student_unknown"),
        (3, "course_unknown"),
        (4, "term_invalid"),
        (5, "grade_invalid"),
        (7, "duplicate_line"),
        (8, "grade_exists"),
    ]
    assert Grade.objects.count() == 6


def test_a_registrar_sees_only_their_college(
    registrar, other_registrar, employment_officer, college
):
    assert list(selectors.colleges_visible_to(registrar)) == [college]
    assert selectors.colleges_visible_to(other_registrar).get().code == "SCT"
    assert selectors.colleges_visible_to(employment_officer).count() == 7
    with pytest.raises(selectors.CollegeNotFound):
        selectors.college_for_user(user=other_registrar, code=college.code)
