"""Benchmark: an establishment's contract list and a worker's own contracts page, with the
national dataset plus 500,000 contracts, on PostgreSQL.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_contracts_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed --employers 180000 --workers 2000000
    .venv/bin/python bench/contracts_lists.py [--contracts 500000] [--requests 50]

Target (issue #14, item 7 of the targets): both pages render in under 100 ms at the median,
with the same number of queries for a small and a large establishment (and for a worker with
one contract and one with several).

The contracts are inserted in bulk by one `INSERT … SELECT` over the seeded ledger (once; a
second run finds them): every national's active employment gets its accepted contract (same
person, establishment, occupation and start date, linked to the employment), and national
workers get a refused earlier offer from the same employer until there are --contracts rows.
Then, through Django's test client (real views, templates and middleware, signed-in users made
here), each page is rendered --requests times after one warm-up: median and p95; the queries of
one request are counted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from run import median_and_p95

ROOT = Path(__file__).resolve().parent.parent

INSERT = """
INSERT INTO contracts_contract (
    number, establishment_id, person_id, occupation_id, kind, start_date, end_date,
    probation_months, weekly_hours, full_time, notice_days, basic_wage_baisa, allowances_baisa,
    governorate_id, wilayat_id, status, channel, idempotency_key, employment_id, submitted_at,
    worker_decided_at, decided_at, decision_reason, document_code
)"""

# One accepted contract per national's active employment (the ledger's own row).
ACCEPTED_SQL = (
    INSERT
    + """
SELECT 'CTB' || lpad(e.id::text, 12, '0'), e.establishment_id, e.person_id, e.occupation_id,
       'UNLIMITED', e.start_date, NULL, 3, 45, TRUE, 30, 400000 + mod(e.id, 50) * 10000, 50000,
       s.governorate_id, s.wilayat_id, 'ACCEPTED', 'WEB', 'bench-accepted-' || e.id, e.id,
       e.start_date::timestamptz, e.start_date::timestamptz, e.start_date::timestamptz, '', ''
FROM (
    SELECT DISTINCT ON (person_id) id, person_id, establishment_id, occupation_id, start_date
    FROM registry_employment
    WHERE person_is_national AND status = 'ACTIVE' AND establishment_id IS NOT NULL
    ORDER BY person_id, id
) e
JOIN registry_establishment s ON s.id = e.establishment_id
"""
)

# Refused earlier offers (round %(round)s) from the same employers, up to the target count.
REFUSED_SQL = (
    INSERT
    + """
SELECT 'CTR' || %(round)s || lpad(c.id::text, 11, '0'), c.establishment_id, c.person_id,
       c.occupation_id, 'UNLIMITED', c.start_date, NULL, 3, 45, TRUE, 30, c.basic_wage_baisa,
       0, c.governorate_id, c.wilayat_id, 'REFUSED_BY_WORKER', 'WEB',
       'bench-refused-' || %(round)s || '-' || c.id, NULL, c.submitted_at - interval '7 days',
       c.submitted_at - interval '6 days', c.submitted_at - interval '6 days',
       'The wage offered was too low.', ''
FROM contracts_contract c
WHERE c.status = 'ACCEPTED'
ORDER BY c.id
LIMIT %(limit)s
"""
)


def insert_contracts(target: int) -> float:
    """Seconds spent making the table hold `target` contracts (0 when it already does)."""
    from django.db import connection, transaction

    from manpower.contracts.models import Contract

    if Contract.objects.count() >= target:
        return 0.0
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(ACCEPTED_SQL)
        round_ = 0
        while (missing := target - Contract.objects.count()) > 0:
            cursor.execute(REFUSED_SQL, {"round": str(round_), "limit": missing})
            round_ += 1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contracts_contract")
    return time.monotonic() - started


def timed(client, url: str, requests: int) -> tuple[float, float, int]:
    """Median and p95 milliseconds of `requests` GETs, and the queries of one (counted by an
    execute wrapper: every statement the request sends, whatever the DEBUG setting)."""
    from django.db import connection

    queries = []

    def count(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200, url  # warm-up, and the query count
    return (*median_and_p95(client, url, requests), len(queries))


def subjects():
    """The establishments with the most and the fewest (but some) contracts; a worker with
    several contracts and one with one."""
    from django.db.models import Count

    from manpower.contracts.models import Contract
    from manpower.registry.models import Establishment, Person

    by_establishment = Contract.objects.values("establishment").annotate(n=Count("id"))
    large = by_establishment.order_by("-n", "establishment").first()
    small = by_establishment.filter(n__gte=2).order_by("n", "establishment").first()
    by_person = Contract.objects.values("person").annotate(n=Count("id"))
    several = by_person.filter(n__gte=2).order_by("person").first()
    one = by_person.filter(n=1).order_by("person").first()
    return (
        [(Establishment.objects.get(pk=row["establishment"]), row["n"]) for row in (large, small)],
        [(Person.objects.get(pk=row["person"]), row["n"]) for row in (several, one)],
    )


def signed_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def pages(requests: int) -> list[tuple[str, int, tuple[float, float, int]]]:
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from manpower.accounts.models import Role, User
    from manpower.core.actor import Actor
    from manpower.registry.services import representation_grant

    setup_test_environment()  # allows the test client's 'testserver' host
    establishments, persons = subjects()
    representative, _ = User.objects.get_or_create(
        username="bench-contracts-representative", defaults={"role": Role.ESTABLISHMENT_REP}
    )
    results = []
    for establishment, count in establishments:
        if not representative.representations.filter(establishment=establishment).exists():
            representation_grant(
                actor=Actor.system("bench"),
                user=representative,
                establishment=establishment,
                now=timezone.now(),
            )
        url = reverse("contracts:list", args=[establishment.cr_number])
        results.append((url, count, timed(signed_in(representative), url, requests)))
    for person, count in persons:
        worker, _ = User.objects.get_or_create(
            username=f"bench-contracts-worker-{person.pk}",
            defaults={"role": Role.INDIVIDUAL, "civil_number": person.civil_number},
        )
        url = reverse("contracts:mine")
        results.append(
            (f"{url} ({person.civil_number})", count, timed(signed_in(worker), url, requests))
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contracts", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name the seeded PostgreSQL database (see the docstring).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manpower.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from manpower.contracts.models import Contract
    from manpower.registry.models import Establishment, Person

    seconds = insert_contracts(args.contracts)
    results = pages(args.requests)

    print(f"Machine: {os.cpu_count()} cores")
    print(
        f"Dataset: {Establishment.objects.count():,} establishments, "
        f"{Person.objects.count():,} persons, {Contract.objects.count():,} contracts "
        f"(inserted in {seconds:.1f} s)"
    )
    for url, count, (median, p95, queries) in results:
        print(
            f"GET {url} ({count:,} contracts), {args.requests} requests: median {median:.1f} ms, "
            f"p95 {p95:.1f} ms, {queries} queries"
        )
    lists, mine = [r[2][2] for r in results[:2]], [r[2][2] for r in results[2:]]
    worst = max(r[2][0] for r in results)
    print(
        f"Queries equal: establishments {lists[0] == lists[1]}, workers {mine[0] == mine[1]}; "
        f"slowest median {worst:.1f} ms (target < 100 ms)"
    )


if __name__ == "__main__":
    main()
