"""The technical colleges' demo: the Higher College of Technology with two programmes, an
intake, courses and a registrar (`registrar`) who has imported 24 students and their grades
through the import service; the demo individual is one of them, graduated, so that they can
agree in the portal to be registered as a job seeker. Idempotent: the files are the same on
every run, so a second run's imports answer with the first ones' results."""

from __future__ import annotations

import datetime as dt

from manpower.accounts.models import Role, User
from manpower.colleges import services
from manpower.colleges.models import College, Course, Intake, Programme, Student
from manpower.core.actor import Actor

COLLEGE = "HCT"
PROGRAMMES = (
    ("IT-DIP", Programme.Level.DIPLOMA, "Information technology", "تقنية المعلومات", 12),
    ("ENG-BSC", Programme.Level.BACHELOR, "Electrical engineering", "الهندسة الكهربائية", 12),
)
COURSES = (
    ("IT101", "Programming", "البرمجة", 3),
    ("IT102", "Networks", "الشبكات", 3),
    ("EE101", "Circuits", "الدوائر الكهربائية", 3),
    ("GE100", "English", "اللغة الإنجليزية", 3),
)
LETTERS = ("A", "B+", "B", "C+", "C", "D", "F")
NAMES = (
    ("سالم", "Salim"), ("مريم", "Maryam"), ("خالد", "Khalid"), ("فاطمة", "Fatma"),
    ("أحمد", "Ahmed"), ("عائشة", "Aisha"), ("يوسف", "Yusuf"), ("زينب", "Zainab"),
)  # fmt: skip


def colleges_keep(*, actor: Actor, now: dt.datetime, individual: User, password: str) -> User:
    """The college's demo records and its registrar (returned, for the accounts printed)."""
    college = College.objects.get(code=COLLEGE)
    registrar = User.objects.filter(username="registrar").first()
    if registrar is None:
        registrar = User(
            username="registrar",
            role=Role.COLLEGE_REGISTRAR,
            college_code=COLLEGE,
            full_name_en="Demo College Registrar",
            full_name_ar="مسجل كلية تجريبي",
            email="registrar@demo.manpower.example",
        )
        registrar.set_password(password)
        registrar.save()
    for code, level, name_en, name_ar, credits in PROGRAMMES:
        Programme.objects.get_or_create(
            college=college,
            code=code,
            defaults={
                "level": level,
                "specialisation_en": name_en,
                "specialisation_ar": name_ar,
                "credits_required": credits,
            },
        )
    Intake.objects.get_or_create(
        college=college, code="2022-FALL", defaults={"start_date": dt.date(2022, 9, 4)}
    )
    for code, title_en, title_ar, credits in COURSES:
        Course.objects.get_or_create(
            college=college,
            code=code,
            defaults={"title_en": title_en, "title_ar": title_ar, "credits": credits},
        )
    as_registrar = Actor.for_user(registrar)
    civil_numbers = [f"9{6100000 + n}" for n in range(24)]
    if individual.civil_number:
        civil_numbers[0] = individual.civil_number
    students, grades = (
        ["civil_number,name_ar,name_en,programme,intake"],
        ["civil_number,course,term,grade"],
    )
    for n, civil in enumerate(civil_numbers):
        name_ar, name_en = NAMES[n % len(NAMES)]
        programme = PROGRAMMES[n % 2][0]
        students.append(f"{civil},{name_ar} {n + 1},{name_en} {n + 1},{programme},2022-FALL")
        for k, (course, *_rest) in enumerate(COURSES):
            letter = "A" if n == 0 else LETTERS[(n + k) % len(LETTERS)]
            grades.append(f"{civil},{course},{2023 + k // 2}-{k % 2 + 1},{letter}")
    for kind, lines in (("STUDENTS", students), ("GRADES", grades)):
        services.records_import(
            actor=as_registrar,
            college=college,
            kind=kind,
            file_name=f"demo-{kind.lower()}.csv",
            content=("\n".join(lines) + "\n").encode(),
            now=now,
        )
    first = Student.objects.get(college=college, civil_number=civil_numbers[0])
    if first.status == Student.Status.ENROLLED:
        services.student_graduate(actor=as_registrar, student=first, now=now)
    return registrar
