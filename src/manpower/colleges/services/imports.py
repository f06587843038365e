"""A registrar's bulk import of students or of grades from a CSV file.

The file is read whole (it is at most `COLLEGES_IMPORT_MAX_BYTES`), every line is checked in
Python against lookups fetched in a few queries over the whole college (programmes, intakes,
courses, students, the grades of the file's terms), and then either every line is loaded in
one bulk statement (`COPY` on PostgreSQL, `bulk_create` on SQLite) or, when any line is wrong,
nothing is and the file's errors are its report. A file sent again (same content, same kind,
same college) answers with the first result.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError
from manpower.core.identifiers import validate_civil_number

from .. import conf
from ..models import (
    College,
    Course,
    Grade,
    ImportBatch,
    ImportLineError,
    Intake,
    Programme,
    Student,
)
from .registrars import registrar_of

K = ImportBatch.Kind
COLUMNS: dict[str, tuple[str, ...]] = {
    K.STUDENTS: ("civil_number", "name_ar", "name_en", "programme", "intake"),
    K.GRADES: ("civil_number", "course", "term", "grade"),
}
# The letter grades and their points on the 4-point scale, in hundredths.
GRADE_POINTS: dict[str, int] = {
    "A": 400, "A-": 370, "B+": 330, "B": 300, "B-": 270, "C+": 230,
    "C": 200, "C-": 170, "D+": 130, "D": 100, "F": 0,
}  # fmt: skip
TERM = re.compile(r"^(19|20)\d{2}-[123]$")
NAME_MAX = 200


class ImportRefused(DomainError):
    """The file as a whole cannot be read as an import (nothing is kept)."""

    code = "import_refused"
    status = 422


class ImportTooLarge(DomainError):
    code = "import_too_large"
    status = 413


class ImportRaced(Conflict):
    code = "import_raced"


@dataclass
class Finding:
    line: int
    field: str
    code: str
    value: str
    message: object
    params: dict = field(default_factory=dict)


def records_import(
    *,
    actor: Actor,
    college: College,
    kind: str,
    file_name: str,
    content: bytes,
    now: dt.datetime,
) -> tuple[ImportBatch, bool]:
    """Import a students or grades file into `college`; `(batch, True)` for a new file, the
    first result and `False` for a file whose content was imported before. Only a registrar of
    that college may (`OtherCollege` otherwise)."""
    registrar = registrar_of(actor=actor, college=college)
    if kind not in COLUMNS:
        raise ImportRefused(_("Send a file of students or of grades."))
    if len(content) > conf.IMPORT_MAX_BYTES.value:
        raise ImportTooLarge(
            _("The file is larger than %(limit)s MB; split it into smaller files."),
            limit=conf.IMPORT_MAX_BYTES.value // (1024 * 1024),
        )
    sha256 = hashlib.sha256(content).hexdigest()
    first = _first(college, kind, sha256)
    if first:
        return first, False
    rows = _rows(content, COLUMNS[kind])
    check = _check_students if kind == K.STUDENTS else _check_grades
    findings, load = check(college, rows)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                college=college,
                kind=kind,
                file_name=file_name.strip()[:200] or "import.csv",
                sha256=sha256,
                size_bytes=len(content),
                status=ImportBatch.Status.REJECTED if findings else ImportBatch.Status.IMPORTED,
                lines_total=len(rows),
                lines_loaded=0 if findings else len(rows),
                error_count=len(findings),
                channel=actor.channel,
                submitted_by=registrar,
                received_at=now,
            )
            if not findings:
                load(batch)
            _bulk_load(ImportLineError, [_error_row(batch, found) for found in findings])
            audit.record(
                actor=actor,
                action="college_import.received",
                obj=batch,
                at=now,
                changes={
                    "status": [None, batch.status],
                    "lines_loaded": [0, batch.lines_loaded],
                    "sha256": [None, sha256],
                },
            )
    except IntegrityError:
        # The same file sent twice at once: the other request's batch is the first result.
        # Or another file loaded some of the same students or grades at the same moment: sent
        # again, this file's lines are checked against them.
        first = _first(college, kind, sha256)
        if first is None:
            raise ImportRaced(
                _("Another import changed the college's records meanwhile; send the file again.")
            ) from None
        return first, False
    return batch, True


def _first(college: College, kind: str, sha256: str) -> ImportBatch | None:
    return ImportBatch.objects.filter(college=college, kind=kind, sha256=sha256).first()


def _rows(content: bytes, columns: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """The file's data lines with their line numbers (the header is line 1); refused when it is
    not UTF-8 text, holds a NUL, or its header is not `columns`."""
    if b"\x00" in content:
        raise ImportRefused(_("The file holds a NUL character: it is not a CSV text file."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            _("The file is not UTF-8 text (byte %(position)s); save it as CSV UTF-8."),
            position=error.start + 1,
        ) from None
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise ImportRefused(_("The file could not be read as CSV.")) from None
    header = [cell.strip().lower() for cell in lines[0]] if lines else []
    if tuple(header) != columns:
        raise ImportRefused(
            _("The first line must be the header %(expected)s."), expected=",".join(columns)
        )
    rows = [(number, line) for number, line in enumerate(lines[1:], start=2) if any(line)]
    if not rows:
        raise ImportRefused(_("The file has a header but no lines."))
    return rows


def _cells(number: int, line: list[str], columns: tuple[str, ...], found: list[Finding]):
    """The line's cells by column, stripped; None (with a finding) for a wrong cell count."""
    if len(line) != len(columns):
        found.append(
            Finding(
                number,
                "line",
                "wrong_cell_count",
                str(len(line)),
                _("The line has %(count)s cells; it should have %(expected)s."),
                {"count": len(line), "expected": len(columns)},
            )
        )
        return None
    return dict(zip(columns, (cell.strip() for cell in line), strict=True))


def _civil_number_ok(number: int, value: str, found: list[Finding]) -> bool:
    try:
        validate_civil_number(value)
    except ValidationError as error:
        found.append(Finding(number, "civil_number", error.code, value, error.messages[0]))
        return False
    return True


def _check_students(college: College, rows) -> tuple[list[Finding], Callable]:
    columns = COLUMNS[K.STUDENTS]
    programmes = dict(Programme.objects.filter(college=college).values_list("code", "id"))
    intakes = dict(Intake.objects.filter(college=college).values_list("code", "id"))
    existing = set(Student.objects.filter(college=college).values_list("civil_number", flat=True))
    found: list[Finding] = []
    seen: dict[str, int] = {}
    load: list[tuple] = []
    for number, line in rows:
        cells = _cells(number, line, columns, found)
        if cells is None:
            continue
        civil = cells["civil_number"]
        before = len(found)
        if _civil_number_ok(number, civil, found):
            if civil in seen:
                found.append(_duplicate(number, "civil_number", civil, seen[civil]))
            elif civil in existing:
                found.append(
                    Finding(
                        number,
                        "civil_number",
                        "student_exists",
                        civil,
                        _("A student with this civil number is already in the college."),
                    )
                )
            seen.setdefault(civil, number)
        for name in ("name_ar", "name_en"):
            if not cells[name] or len(cells[name]) > NAME_MAX:
                found.append(
                    Finding(
                        number,
                        name,
                        "name_invalid",
                        cells[name][:100],
                        _("Give the name, at most %(max)s characters."),
                        {"max": NAME_MAX},
                    )
                )
        programme = programmes.get(cells["programme"])
        if programme is None:
            found.append(
                Finding(
                    number,
                    "programme",
                    "programme_unknown",
                    cells["programme"][:100],
                    _("The college has no programme with this code."),
                )
            )
        intake = intakes.get(cells["intake"])
        if intake is None:
            found.append(
                Finding(
                    number,
                    "intake",
                    "intake_unknown",
                    cells["intake"][:100],
                    _("The college has no intake with this code."),
                )
            )
        if len(found) == before:
            load.append((civil, cells["name_ar"], cells["name_en"], programme, intake))

    def students_load(batch: ImportBatch) -> None:
        _bulk_load(
            Student,
            [
                {
                    "college_id": college.pk,
                    "programme_id": programme,
                    "intake_id": intake,
                    "civil_number": civil,
                    "name_ar": name_ar,
                    "name_en": name_en,
                    "status": Student.Status.ENROLLED,
                    "graduated_date": None,
                    "job_seeker_consent_at": None,
                    "import_batch_id": batch.pk,
                }
                for civil, name_ar, name_en, programme, intake in load
            ],
        )

    return found, students_load


def _check_grades(college: College, rows) -> tuple[list[Finding], Callable]:
    columns = COLUMNS[K.GRADES]
    students = {
        civil: (pk, status)
        for civil, pk, status in Student.objects.filter(college=college).values_list(
            "civil_number", "id", "status"
        )
    }
    courses = dict(Course.objects.filter(college=college).values_list("code", "id"))
    terms = {line[2].strip() for _number, line in rows if len(line) == len(columns)}
    existing = set(
        Grade.objects.filter(student__college=college, term__in=terms).values_list(
            "student_id", "course_id", "term"
        )
    )
    found: list[Finding] = []
    seen: dict[tuple, int] = {}
    load: list[tuple] = []
    for number, line in rows:
        cells = _cells(number, line, columns, found)
        if cells is None:
            continue
        before = len(found)
        civil, term, letter = cells["civil_number"], cells["term"], cells["grade"].upper()
        student = students.get(civil)
        if student is None:
            found.append(
                Finding(
                    number,
                    "civil_number",
                    "student_unknown",
                    civil[:100],
                    _("No student of the college has this civil number."),
                )
            )
        elif student[1] == Student.Status.GRADUATED:
            found.append(
                Finding(
                    number,
                    "civil_number",
                    "student_graduated",
                    civil,
                    _("This student has graduated: their grades are closed."),
                )
            )
        course = courses.get(cells["course"])
        if course is None:
            found.append(
                Finding(
                    number,
                    "course",
                    "course_unknown",
                    cells["course"][:100],
                    _("The college has no course with this code."),
                )
            )
        if not TERM.match(term):
            found.append(
                Finding(
                    number,
                    "term",
                    "term_invalid",
                    term[:100],
                    _("Write the term as the year, a hyphen and the term's number (1, 2 or 3)."),
                )
            )
        if letter not in GRADE_POINTS:
            found.append(
                Finding(
                    number,
                    "grade",
                    "grade_invalid",
                    cells["grade"][:100],
                    _("The grade must be one of %(letters)s."),
                    {"letters": " ".join(GRADE_POINTS)},
                )
            )
        if len(found) == before:
            key = (student[0], course, term)
            if key in seen:
                found.append(_duplicate(number, "course", cells["course"], seen[key]))
            elif key in existing:
                found.append(
                    Finding(
                        number,
                        "course",
                        "grade_exists",
                        cells["course"],
                        _("This student already has a grade in this course for this term."),
                    )
                )
            else:
                seen[key] = number
                load.append((*key, letter))

    def grades_load(batch: ImportBatch) -> None:
        _bulk_load(
            Grade,
            [
                {
                    "student_id": student,
                    "course_id": course,
                    "term": term,
                    "letter": letter,
                    "points": GRADE_POINTS[letter],
                    "import_batch_id": batch.pk,
                }
                for student, course, term, letter in load
            ],
        )

    return found, grades_load


def _duplicate(number: int, column: str, value: str, first: int) -> Finding:
    return Finding(
        number,
        column,
        "duplicate_line",
        value[:100],
        _("This line repeats line %(first)s of the file."),
        {"first": first},
    )


def _error_row(batch: ImportBatch, finding: Finding) -> dict:
    def said(language: str) -> str:
        with translation.override(language):
            text = str(finding.message)
            return (text % finding.params if finding.params else text)[:300]

    return {
        "batch_id": batch.pk,
        "line_number": finding.line,
        "field": finding.field,
        "code": finding.code[:40],
        "value": finding.value[:100],
        "message_ar": said("ar"),
        "message_en": said("en"),
    }


def _bulk_load(model, rows: list[dict]) -> None:
    """Insert `rows` (each with every column but the id) in bulk: PostgreSQL's COPY, through
    psycopg's `cursor.copy`, is several times faster than any INSERT; SQLite has no COPY."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=2000)
        return
    quote = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    # The raw psycopg cursor's errors are Django's (IntegrityError) only inside this wrapper.
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(sql) as copy,
    ):
        for row in rows:
            copy.write_row(tuple(row[f.attname] for f in fields))
