"""Benchmark: the monthly compliance of every establishment (issue 17: under 60 s for the
national dataset, 180,000 establishments and 2,000,000 workers).

    createdb -h 127.0.0.1 -U postgres mp_wps_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_wps_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed \
        --employers 18000 --workers 200000            # a tenth of the country
    .venv/bin/python bench/wps_compliance.py [--rounds 3]

It writes, untimed and straight in SQL, one checked salary file per establishment for the month
before the seed's date, with a line for nearly every worker of the ledger: 2% of the workers are
left out of their file and 3% of the lines carry an error (what the checks would have found);
1% of the workers have an officer's exemption. Then it times `services.compliance_compute` for
that month (the grouped query over the ledger and the month's rows rewritten), prints the
median, the figures per establishment, and the time extrapolated linearly to 2,000,000 workers
against the 60 s target. PostgreSQL only (the set-up SQL uses md5).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manpower.settings")

TARGET_SECONDS = 60.0
NATIONAL_WORKERS = 2_000_000


def month_files(year: int, month: int) -> None:
    """One CHECKED file per establishment of the ledger for the month, its lines and errors."""
    from django.db import connection

    from manpower.accounts.models import User
    from manpower.registry.models import Employment, Establishment, Person
    from manpower.wages.models import Bank, Exemption, LineError, SalaryFile, SalaryLine

    t = {m: connection.ops.quote_name(m._meta.db_table) for m in (
        Employment, Establishment, Person, Bank, Exemption, LineError, SalaryFile, SalaryLine,
        User)}  # fmt: skip
    name_date = dt.date(year, month, 28) + dt.timedelta(days=6)  # on time
    officer = User.objects.get_or_create(username="bench-officer")[0]
    with connection.cursor() as cursor:
        for model in (LineError, SalaryLine, SalaryFile, Exemption):
            cursor.execute(f"DELETE FROM {t[model]}")
        cursor.execute(
            f"""INSERT INTO {t[SalaryFile]} (establishment_id, bank_id, file_name, name_cr,
                name_bank, name_date, name_serial, sha256, size_bytes, stored_name, salary_year,
                salary_month, status, lines_total, lines_checked, error_count, channel,
                submitted_by_id, submitted_by_label, received_at, check_started_at, checked_at)
            SELECT e.id, (SELECT min(id) FROM {t[Bank]}), 'SIF_' || e.cr_number || '.csv',
                e.cr_number, 'BMUS', %s, 1, substr(md5(e.cr_number) || md5('x' || e.cr_number),
                1, 64), 0, '', %s, %s, 'CHECKED', 0, 0, 0, 'partner', NULL, 'bench', %s, %s, %s
            FROM {t[Establishment]} e
            WHERE EXISTS (SELECT 1 FROM {t[Employment]} m WHERE m.establishment_id = e.id)""",
            [name_date, year, month, *[dt.datetime(year, month, 28, tzinfo=dt.UTC)] * 3],
        )
        cursor.execute(
            f"""INSERT INTO {t[SalaryLine]} (file_id, line_number, id_type, employee_id, id_ok,
                reference, employee_name, bic, account, frequency, working_days, net_baisa,
                basic_baisa, extra_hours_centi, extra_income_baisa, deductions_baisa,
                social_security_baisa, notes, person_id, employment_id)
            SELECT f.id, m.id, 'C', p.civil_number, TRUE, '', '', 'BMUSOMRX', '', 'M', 30,
                m.basic_wage_baisa, m.basic_wage_baisa, 0, 0, 0, 0, '', m.person_id, m.id
            FROM {t[Employment]} m
            JOIN {t[SalaryFile]} f ON f.establishment_id = m.establishment_id
            JOIN {t[Person]} p ON p.id = m.person_id
            WHERE m.status = 'ACTIVE' AND m.id %% 50 <> 0""",
            [],
        )
        cursor.execute(
            f"""INSERT INTO {t[LineError]} (file_id, line_number, field, code, employee_id,
                message_ar, message_en)
            SELECT file_id, line_number, 'Net Salary', 'net_below_wage', employee_id, '', ''
            FROM {t[SalaryLine]} WHERE line_number %% 33 = 0""",
            [],
        )
        cursor.execute(
            f"""INSERT INTO {t[Exemption]} (employment_id, reason, note, start_date, end_date,
                recorded_by_id, recorded_at)
            SELECT id, 'UNPAID_LEAVE', 'bench', %s, %s, %s, %s FROM {t[Employment]}
            WHERE id %% 100 = 7""",
            [
                dt.date(year, month, 1),
                dt.date(year, month, 28),
                officer.pk,
                dt.datetime(year, month, 1, tzinfo=dt.UTC),
            ],  # fmt: skip
        )
        if connection.vendor == "postgresql":
            for model in (LineError, SalaryLine, SalaryFile, Exemption):
                cursor.execute(f"ANALYZE {t[model]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from manpower.core.actor import Actor
    from manpower.registry.models import Employment, Establishment
    from manpower.wages import services
    from manpower.wages.models import MonthlyCompliance

    workers = Employment.objects.filter(establishment__isnull=False).count()
    print(
        f"{connection.vendor}: {Establishment.objects.count():,} establishments, "
        f"{workers:,} employments"
    )
    today = timezone.localdate()
    last = today.replace(day=1) - dt.timedelta(days=1)
    started = time.perf_counter()
    month_files(last.year, last.month)
    print(f"month's files written (untimed) in {time.perf_counter() - started:.1f} s")

    times = []
    for _round in range(args.rounds):
        started = time.perf_counter()
        rows = services.compliance_compute(
            actor=Actor.system("bench"), year=last.year, month=last.month, now=timezone.now()
        )
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    judged = MonthlyCompliance.objects.filter(salary_year=last.year, salary_month=last.month)
    compliant = judged.filter(compliant=True).count()
    national = median * NATIONAL_WORKERS / max(workers, 1)
    print(f"compliance of {rows:,} establishments: median {median:.2f} s over {args.rounds}")
    print(f"compliant {compliant:,}, non-compliant {rows - compliant:,}")
    print(
        f"extrapolated to {NATIONAL_WORKERS:,} workers: {national:.1f} s "
        f"(target {TARGET_SECONDS:.0f} s: {'met' if national < TARGET_SECONDS else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
