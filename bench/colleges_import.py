"""Benchmark: a registrar's import of a 40,000-student CSV with its grades, against a plain
COPY of the same rows into a scratch table, in one run, on PostgreSQL.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_colleges   # a database of your own
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/colleges_import.py [--students 40000] [--grades-per-student 5]

Target (issue #15, targets): the import takes at most 10× the plain COPY.

The bench keeps its rows in the Salalah college (SCT) of that database, wiped first: its
students, grades and imports, and programmes, intake and courses named BENCH-*. Two files are
made in memory: the students (civil number, Arabic and English names, programme, intake) and
their grades (civil number, course, term, letter). Each is imported through
`services.records_import` as the portal and the API do (read, every line checked, `COPY` into
the tables with their indexes and constraints, the audit event), timed; then the same two files'
bytes are `COPY … (FORMAT csv, HEADER)` into a scratch table of text columns without an index,
timed. The figure is the ratio of the two totals.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ("A", "A-", "B+", "B", "B-", "C+", "C", "D", "F")


def files(students: int, per_student: int) -> tuple[bytes, bytes]:
    people = ["civil_number,name_ar,name_en,programme,intake"]
    grades = ["civil_number,course,term,grade"]
    for n in range(students):
        civil = str(70000000 + n)
        people.append(f"{civil},طالب رقم {n},Student number {n},BENCH-{n % 4},BENCH-2024")
        for k in range(per_student):
            letter = LETTERS[(n + k) % len(LETTERS)]
            grades.append(f"{civil},BENCH{k:03d},{2024 + k // 3}-{k % 3 + 1},{letter}")
    return ("\n".join(people) + "\n").encode(), ("\n".join(grades) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=40000)
    parser.add_argument("--grades-per-student", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manpower.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from manpower.accounts.models import Role, User
    from manpower.colleges import services
    from manpower.colleges.models import College, Course, Grade, ImportBatch, Intake, Programme
    from manpower.core.actor import Actor

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database of your own.")
    settings.COLLEGES_IMPORT_MAX_BYTES = 1 << 30
    college = College.objects.get(code="SCT")
    Grade.objects.filter(student__college=college).delete()
    college.students.all().delete()
    ImportBatch.objects.filter(college=college).delete()
    for k in range(4):
        Programme.objects.get_or_create(
            college=college, code=f"BENCH-{k}",
            defaults={"level": "DIPLOMA", "specialisation_en": f"Bench {k}",
                      "specialisation_ar": f"تجربة {k}", "credits_required": 60},
        )  # fmt: skip
    Intake.objects.get_or_create(
        college=college, code="BENCH-2024", defaults={"start_date": dt.date(2024, 9, 1)}
    )
    for k in range(args.grades_per_student):
        Course.objects.get_or_create(
            college=college, code=f"BENCH{k:03d}",
            defaults={"title_en": f"Bench {k}", "title_ar": f"تجربة {k}", "credits": 3},
        )  # fmt: skip
    registrar, _ = User.objects.get_or_create(
        username="bench-registrar-sct",
        defaults={"role": Role.COLLEGE_REGISTRAR, "college_code": college.code},
    )
    actor = Actor.for_user(registrar)
    students_csv, grades_csv = files(args.students, args.grades_per_student)
    rows = (args.students, args.students * args.grades_per_student)
    print(
        f"files: {rows[0]:,} students ({len(students_csv) / 1e6:.1f} MB), "
        f"{rows[1]:,} grades ({len(grades_csv) / 1e6:.1f} MB)"
    )

    imported = []
    for kind, content in (("STUDENTS", students_csv), ("GRADES", grades_csv)):
        started = time.perf_counter()
        batch, new = services.records_import(
            actor=actor, college=college, kind=kind, file_name=f"bench-{kind}.csv",
            content=content, now=timezone.now(),
        )  # fmt: skip
        imported.append(time.perf_counter() - started)
        assert new and batch.status == "IMPORTED", (batch.status, batch.error_count)
        print(f"import {kind:8} {batch.lines_loaded:>9,} lines  {imported[-1]:7.2f} s")

    copied = []
    with connection.cursor() as cursor:
        for name, content, columns in (
            ("bench_scratch_students", students_csv, 5),
            ("bench_scratch_grades", grades_csv, 4),
        ):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cells = ", ".join(f"c{i} text" for i in range(columns))
            cursor.execute(f"CREATE TABLE {name} ({cells})")
            started = time.perf_counter()
            with cursor.cursor.copy(f"COPY {name} FROM STDIN (FORMAT csv, HEADER true)") as copy:
                copy.write(content)
            copied.append(time.perf_counter() - started)
            cursor.execute(f"SELECT count(*) FROM {name}")
            print(f"COPY   {name:22} {cursor.fetchone()[0]:>9,} rows  {copied[-1]:7.2f} s")
            cursor.execute(f"DROP TABLE {name}")
    ratio = sum(imported) / sum(copied)
    print(
        f"\nimport {sum(imported):.2f} s, plain COPY {sum(copied):.2f} s: {ratio:.1f}x "
        f"(target at most 10x) {'MET' if ratio <= 10 else 'NOT MET'}"
    )


if __name__ == "__main__":
    main()
