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
from manpower.core import conf as conf_core
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError
from manpower.core.identifiers import validate_civil_number

from .. import conf
from ..models import (
    College,
    Grade,
    ImportBatch,
    ImportLineError,
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
                load()
            _bulk_load(ImportLineError, ERROR_COLUMNS, [_error_row(batch, f) for f in findings])
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


def _cell_count(number: int, line: list[str], expected: int) -> Finding:
    return Finding(
        number,
        "line",
        "wrong_cell_count",
        str(len(line)),
        _("The line has %(count)s cells; it should have %(expected)s."),
        {"count": len(line), "expected": expected},
    )


def _civil_numbers() -> re.Pattern:
    """A well-formed civil number, as `validate_civil_number` has it, as one pattern: the
    lines that match pass without a call; the others are asked of the validator for the
    reason."""
    low, high = conf_core.CIVIL_NUMBER_MIN_LENGTH.value, conf_core.CIVIL_NUMBER_MAX_LENGTH.value
    return re.compile(rf"[1-9][0-9]{{{low - 1},{high - 1}}}")


def _civil_number_finding(number: int, value: str) -> Finding | None:
    try:
        validate_civil_number(value)
    except ValidationError as error:
        return Finding(number, "civil_number", error.code, value[:100], error.messages[0])
    return None


def _unknown(number: int, column: str, value: str, code: str, message) -> Finding:
    return Finding(number, column, code, value[:100], message)


def _check_students(college: College, rows) -> tuple[list[Finding], Callable]:
    """Each line's civil number, names, programme and intake, against the college's
    programmes, intakes and students fetched once; the students to load when all is well."""
    programmes = dict(college.programmes.values_list("code", "id"))
    intakes = dict(college.intakes.values_list("code", "id"))
    existing = set(Student.objects.filter(college=college).values_list("civil_number", flat=True))
    civil_ok = _civil_numbers().fullmatch
    found: list[Finding] = []
    seen: dict[str, int] = {}
    load: list[tuple] = []
    for number, line in rows:
        if len(line) != 5:
            found.append(_cell_count(number, line, 5))
            continue
        civil, name_ar, name_en, programme_code, intake_code = (cell.strip() for cell in line)
        programme, intake = programmes.get(programme_code), intakes.get(intake_code)
        if (
            civil_ok(civil)
            and civil not in seen
            and civil not in existing
            and 0 < len(name_ar) <= NAME_MAX
            and 0 < len(name_en) <= NAME_MAX
            and programme
            and intake
        ):
            seen[civil] = number
            load.append((college.pk, programme, intake, civil, name_ar, name_en, "ENROLLED"))
            continue
        if not civil_ok(civil):
            found.append(_civil_number_finding(number, civil))
        elif civil in seen:
            found.append(_duplicate(number, "civil_number", civil, seen[civil]))
        elif civil in existing:
            found.append(
                _unknown(
                    number,
                    "civil_number",
                    civil,
                    "student_exists",
                    _("A student with this civil number is already in the college."),
                )
            )
        seen.setdefault(civil, number)
        for column, name in (("name_ar", name_ar), ("name_en", name_en)):
            if not 0 < len(name) <= NAME_MAX:
                found.append(
                    Finding(
                        number,
                        column,
                        "name_invalid",
                        name[:100],
                        _("Give the name, at most %(max)s characters."),
                        {"max": NAME_MAX},
                    )
                )
        if not programme:
            found.append(
                _unknown(
                    number,
                    "programme",
                    programme_code,
                    "programme_unknown",
                    _("The college has no programme with this code."),
                )
            )
        if not intake:
            found.append(
                _unknown(
                    number,
                    "intake",
                    intake_code,
                    "intake_unknown",
                    _("The college has no intake with this code."),
                )
            )

    def students_load() -> None:
        _bulk_load(
            Student,
            ("college_id", "programme_id", "intake_id", "civil_number", "name_ar", "name_en",
             "status"),
            load,
        )  # fmt: skip

    return found, students_load


def _check_grades(college: College, rows) -> tuple[list[Finding], Callable]:
    """Each line's student, course, term and grade, against the college's students and
    courses and the grades already given in the file's terms, fetched once; the grades to
    load when all is well."""
    students = {
        civil: (pk, status)
        for civil, pk, status in Student.objects.filter(college=college).values_list(
            "civil_number", "id", "status"
        )
    }
    courses = dict(college.courses.values_list("code", "id"))
    terms = {line[2].strip() for _number, line in rows if len(line) == 4}
    existing = set(
        Grade.objects.filter(student__college=college, term__in=terms).values_list(
            "student_id", "course_id", "term"
        )
    )
    term_ok = TERM.fullmatch
    graduated = Student.Status.GRADUATED
    found: list[Finding] = []
    seen: dict[tuple, int] = {}
    load: list[tuple] = []
    for number, line in rows:
        if len(line) != 4:
            found.append(_cell_count(number, line, 4))
            continue
        civil, course_code, term, letter = (cell.strip() for cell in line)
        student, course = students.get(civil), courses.get(course_code)
        points = GRADE_POINTS.get(letter.upper())
        key = (student[0], course, term) if student and course else None
        if (
            key
            and student[1] != graduated
            and term_ok(term)
            and points is not None
            and key not in seen
            and key not in existing
        ):
            seen[key] = number
            load.append((*key, letter.upper(), points))
            continue
        if student is None:
            found.append(
                _unknown(
                    number,
                    "civil_number",
                    civil,
                    "student_unknown",
                    _("No student of the college has this civil number."),
                )
            )
        elif student[1] == graduated:
            found.append(
                _unknown(
                    number,
                    "civil_number",
                    civil,
                    "student_graduated",
                    _("This student has graduated: their grades are closed."),
                )
            )
        if course is None:
            found.append(
                _unknown(
                    number,
                    "course",
                    course_code,
                    "course_unknown",
                    _("The college has no course with this code."),
                )
            )
        if not term_ok(term):
            found.append(
                _unknown(
                    number,
                    "term",
                    term,
                    "term_invalid",
                    _("Write the term as the year, a hyphen and the term's number (1, 2 or 3)."),
                )
            )
        if points is None:
            found.append(
                Finding(
                    number,
                    "grade",
                    "grade_invalid",
                    letter[:100],
                    _("The grade must be one of %(letters)s."),
                    {"letters": " ".join(GRADE_POINTS)},
                )
            )
        if found and found[-1].line == number or key is None:
            continue
        if key in seen:
            found.append(_duplicate(number, "course", course_code, seen[key]))
        else:
            found.append(
                _unknown(
                    number,
                    "course",
                    course_code,
                    "grade_exists",
                    _("This student already has a grade in this course for this term."),
                )
            )

    def grades_load() -> None:
        _bulk_load(Grade, ("student_id", "course_id", "term", "letter", "points"), load)

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


ERROR_COLUMNS = ("batch_id", "line_number", "field", "code", "value", "message_ar", "message_en")


def _error_row(batch: ImportBatch, finding: Finding) -> tuple:
    def said(language: str) -> str:
        with translation.override(language):
            text = str(finding.message)
            return (text % finding.params if finding.params else text)[:300]

    return (
        batch.pk,
        finding.line,
        finding.field,
        finding.code[:40],
        finding.value[:100],
        said("ar"),
        said("en"),
    )


def _bulk_load(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert `rows` (values of `columns`, attribute names) in bulk: PostgreSQL's COPY,
    through psycopg's `cursor.copy`, is several times faster than any INSERT; SQLite has no
    COPY. The other columns take their database defaults (Django's on SQLite)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000
        )
        return
    fields = [model._meta.get_field(name.removesuffix("_id")) for name in columns]
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
        for start in range(0, len(rows), COPY_ROWS):
            copy.write("".join(_copy_line(row) for row in rows[start : start + COPY_ROWS]))


COPY_ROWS = 5000
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_line(row: tuple) -> str:
    """One row in COPY's text format (the values are text and numbers, never NULL here)."""
    return "\t".join(str(value).translate(_COPY_ESCAPES) for value in row) + "\n"
