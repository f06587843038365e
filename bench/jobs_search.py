"""Benchmark: the vacancy text search and a vacancy's top 50 matches, with 100,000 vacancies and
500,000 job seekers on PostgreSQL.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_jobs
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed --employers 2000 --workers 20000
    .venv/bin/python bench/jobs_search.py [--vacancies 100000] [--seekers 500000] [--requests 50]

Target (issue #15, targets): vacancy text search (Arabic and English queries) under 50 ms at the
median; the top 50 matches of a vacancy under 200 ms at the median.

The rows are generated here (once; a second run finds them) and copied with `COPY`: national
persons for the seekers, the seekers with their folded search text (the same
`normalise_search` the services use), two preferred occupations and one governorate each, a
qualification level; vacancies of the seeded establishments with bilingual titles from a small
vocabulary. The GIN indexes of migration 0003 are kept up by PostgreSQL as rows arrive. Then
`selectors.vacancies_search` and `selectors.vacancy_matches` (the functions the pages and the
API call) are timed --requests times each, over different words and vacancies.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (Arabic, English) title words; the occupation codes are ISCO-08 units of the seeded reference.
TITLES = [
    ("محاسب", "Accountant", "2411"),
    ("مطور برمجيات", "Software developer", "2512"),
    ("مبرمج تطبيقات", "Applications programmer", "2514"),
    ("فني كهرباء", "Electrician", "7411"),
    ("موظف استقبال", "Receptionist", "4226"),
    ("بنّاء", "Bricklayer", "7112"),
    ("مهندس مدني", "Civil engineer", "2142"),
    ("ممرضة", "Nurse", "2221"),
    ("سائق حافلة", "Bus driver", "8331"),
    ("طاهٍ", "Cook", "5120"),
    ("أمين مخزن", "Storekeeper", "4321"),
    ("مندوب مبيعات", "Sales representative", "3322"),
]
GRADES = [("أول", "Senior"), ("مساعد", "Assistant"), ("رئيسي", "Lead"), ("", "")]
ARABIC_QUERIES = ["محاسب اول", "مطور", "فني كهرباء", "ممرضه", "امين مخزن", "مهندس مدني"]
ENGLISH_QUERIES = ["senior accountant", "developer", "electrician", "nurse", "bus driver", "cook"]
LEVELS = ["SECONDARY", "DIPLOMA", "BACHELOR", "MASTER"]
RANKS = {"SECONDARY": 2, "DIPLOMA": 3, "BACHELOR": 4, "MASTER": 5}


def copy(cursor, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as out:
        while chunk := buffer.read(1 << 20):
            out.write(chunk)


def generate(vacancies: int, seekers: int) -> float:
    from django.db import connection, transaction

    from manpower.core.models import Governorate, Occupation
    from manpower.core.selectors import normalise_search
    from manpower.jobs.models import JobSeeker, Vacancy
    from manpower.registry.models import Establishment

    started = time.perf_counter()
    rng = random.Random(15)
    codes = [c for _a, _e, c in TITLES if Occupation.objects.filter(code=c).exists()]
    units = list(Occupation.objects.filter(level=4).values_list("code", flat=True))
    governorates = list(Governorate.objects.values_list("code", flat=True))
    wilayats = dict(Establishment.objects.values_list("governorate_id", "wilayat_id"))
    establishments = list(Establishment.objects.values_list("id", "governorate_id", "wilayat_id"))
    titles = [t for t in TITLES if t[2] in codes]
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        have = Vacancy.objects.count()
        if have < vacancies:
            rows = []
            for i in range(have, vacancies):
                ar, en, code = rng.choice(titles)
                grade_ar, grade_en = rng.choice(GRADES)
                est, gov, wil = rng.choice(establishments)
                title_ar, title_en = f"{ar} {grade_ar}".strip(), f"{grade_en} {en}".strip()
                low = rng.randrange(325, 1500) * 1000
                status = "PUBLISHED" if i % 10 else "CLOSED"
                rows.append((
                    f"VB{i:012d}", est, title_ar, title_en, "", code, rng.choice(LEVELS), "",
                    rng.randrange(0, 6), gov, wil, low, low + 300_000, 3, 3, "2027-06-30",
                    status, "WEB", "2026-11-01 08:00+00", "2026-11-01 08:00+00", None, "",
                    normalise_search(f"{title_ar} {title_en}"),
                ))  # fmt: skip
            copy(raw, "jobs_vacancy", [
                "number", "establishment_id", "title_ar", "title_en", "description",
                "occupation_id", "qualification_level_id", "specialisation", "experience_years",
                "governorate_id", "wilayat_id", "wage_min_baisa", "wage_max_baisa", "posts",
                "open_posts", "closing_date", "status", "channel", "posted_at", "published_at",
                "decided_at", "decision_reason", "search_text",
            ], rows)  # fmt: skip
        have = JobSeeker.objects.count()
        if have < seekers:
            cursor.execute("SELECT coalesce(max(id), 0) FROM registry_person")
            first_person = cursor.fetchone()[0] + 1
            count = seekers - have
            copy(raw, "registry_person", [
                "id", "is_national", "civil_number", "name_ar", "name_en", "nationality_id",
                "birth_date", "gender", "passport_number",
            ], (
                (first_person + i, "t", f"1{first_person + i:08d}", "باحث", f"Seeker {i}",
                 "OMN", "2000-01-01", "M", "")
                for i in range(count)
            ))  # fmt: skip
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('registry_person', 'id'), max(id)) "
                "FROM registry_person"
            )
            cursor.execute("SELECT coalesce(max(id), 0) FROM jobs_jobseeker")
            first_seeker = cursor.fetchone()[0] + 1
            seeker_rows, occupation_rows, governorate_rows = [], [], []
            for i in range(count):
                sid, pid = first_seeker + i, first_person + i
                level = rng.choice(LEVELS)
                # Seekers prefer occupations across every unit group (one in ten a title's).
                ar, en, code = rng.choice(titles)
                second = rng.choice(units)
                if i % 10:
                    code = rng.choice(units)
                seeker_rows.append((
                    sid, pid, f"1{pid:08d}", "باحث", f"Seeker {i}", "ACTIVE", level,
                    RANKS[level], rng.randrange(0, 10), "", "UNKNOWN", None,
                    "2026-11-01 08:00+00", "2026-11-01 08:00+00",
                    normalise_search(f"باحث Seeker {i} {ar} {en}"),
                ))  # fmt: skip
                occupation_rows.append((sid, code))
                if second != code:
                    occupation_rows.append((sid, second))
                governorate_rows.append((sid, rng.choice(governorates)))
            copy(raw, "jobs_jobseeker", [
                "id", "person_id", "civil_number", "name_ar", "name_en", "status",
                "highest_level_id", "highest_rank", "experience_years", "experience",
                "register_status", "register_checked_at", "registered_at", "updated_at",
                "search_text",
            ], seeker_rows)  # fmt: skip
            copy(raw, "jobs_jobseeker_preferred_occupations", ["jobseeker_id", "occupation_id"],
                 occupation_rows)  # fmt: skip
            copy(raw, "jobs_jobseeker_preferred_governorates", ["jobseeker_id", "governorate_id"],
                 governorate_rows)  # fmt: skip
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('jobs_jobseeker', 'id'), max(id)) "
                "FROM jobs_jobseeker"
            )
    with connection.cursor() as cursor:
        for table in ("jobs_vacancy", "jobs_jobseeker", "jobs_jobseeker_preferred_occupations",
                      "jobs_jobseeker_preferred_governorates", "registry_person"):  # fmt: skip
            cursor.execute(f"ANALYZE {table}")
    del wilayats
    return time.perf_counter() - started


def timed(run, arguments: list, requests: int) -> tuple[float, float]:
    times = []
    for i in range(requests):
        started = time.perf_counter()
        run(arguments[i % len(arguments)])
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vacancies", type=int, default=100_000)
    parser.add_argument("--seekers", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the target is PostgreSQL's).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manpower.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from manpower.jobs import selectors
    from manpower.jobs.models import JobSeeker, Vacancy

    seconds = generate(args.vacancies, args.seekers)
    print(
        f"{Vacancy.objects.count():,} vacancies and {JobSeeker.objects.count():,} job seekers "
        f"(generated and copied in {seconds:.1f} s)"
    )

    def search(text: str) -> None:
        page = selectors.vacancies_search(text=text)
        assert page.rows, text

    sample = list(
        Vacancy.objects.filter(status="PUBLISHED")
        .select_related("occupation", "qualification_level")
        .order_by("?")[: args.requests]
    )

    def matches(vacancy) -> None:
        selectors.vacancy_matches(vacancy=vacancy, limit=50)

    for run, arguments, requests in ((search, ARABIC_QUERIES, 3), (matches, sample, 3)):
        timed(run, arguments, requests)  # warm-up
    for name, run, arguments in (
        ("vacancy search, Arabic queries", search, ARABIC_QUERIES),
        ("vacancy search, English queries", search, ENGLISH_QUERIES),
        ("top 50 matches of a vacancy", matches, sample),
    ):
        median, p95 = timed(run, arguments, args.requests)
        print(f"{name}: median {median:.1f} ms, p95 {p95:.1f} ms (N={args.requests})")


if __name__ == "__main__":
    main()
