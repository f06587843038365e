"""Benchmarks at national scale (180,000 employers, 2,000,000 workers) on PostgreSQL.

    .venv/bin/python bench/run.py                      # or: make bench
    .venv/bin/python bench/run.py --employers 18000 --workers 200000 --requests 20

(a) `manage.py seed` into a fresh database `mp_bench` (created, migrated, and dropped at the
    end): wall time and the peak RSS of the seed process.
(b) With that dataset: median and p95 time to render the establishment page and the worker
    list of the LARGEST establishment, through Django's test client with a signed-in
    representative (N requests each, after one warm-up request).

PostgreSQL is reached at BENCH_PG (default postgres://postgres@127.0.0.1:5432); the database
is dropped even when a step fails, unless --keep.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "mp_bench"


def run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def psql(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def seed(args, env) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of the seed command, measured as a child process."""
    command = [
        sys.executable, "manage.py", "seed", f"--employers={args.employers}",
        f"--workers={args.workers}", f"--seed={args.seed}",
    ]  # fmt: skip
    started = time.monotonic()
    run(command, env)
    seconds = time.monotonic() - started
    # ru_maxrss of the children waited for so far: migrate's is smaller than the seed's.
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mib


def pages(requests: int) -> dict[str, tuple[float, float, int]]:
    """Median and p95 milliseconds, and the worker count, for the two pages (in this process)."""
    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from manpower.accounts.models import Role, User
    from manpower.core.actor import Actor
    from manpower.registry.models import Establishment
    from manpower.registry.services import representation_grant

    setup_test_environment()  # allows the test client's 'testserver' host
    largest = (
        Establishment.objects.annotate(workers=Count("employments"))
        .order_by("-workers", "id")
        .first()
    )
    user = User.objects.create_user(
        username="bench-representative", password=None, role=Role.ESTABLISHMENT_REP
    )
    representation_grant(
        actor=Actor.system("bench"), user=user, establishment=largest, now=timezone.now()
    )
    client = Client()
    client.force_login(user)
    results = {}
    for name in ("portal:establishment", "portal:workers"):
        url = reverse(name, kwargs={"cr": largest.cr_number})
        assert client.get(url).status_code == 200, url  # warm-up
        results[url] = (*median_and_p95(client, url, requests), largest.workers)
    return results


def median_and_p95(client, url: str, requests: int) -> tuple[float, float]:
    """Milliseconds of `requests` GETs of the page, each answered 200."""
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employers", type=int, default=180_000)
    parser.add_argument("--workers", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    url = f"{server}/{DATABASE}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "LOG_LEVEL": "WARNING"}
    os.environ.update({"DATABASE_URL": url, "DEBUG": "1", "LOG_LEVEL": "WARNING"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manpower.settings")
    sys.path.insert(0, str(ROOT / "src"))

    psql(server, f"DROP DATABASE IF EXISTS {DATABASE}")
    psql(server, f"CREATE DATABASE {DATABASE}")
    try:
        run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], env)
        seconds, peak = seed(args, env)
        results = pages(args.requests)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            psql(server, f"DROP DATABASE IF EXISTS {DATABASE}")

    print()
    print(f"Machine: {os.cpu_count()} cores; PostgreSQL database {DATABASE}")
    print(
        f"(a) seed --employers {args.employers} --workers {args.workers}: "
        f"{seconds:.1f} s wall, peak RSS {peak:.0f} MiB"
    )
    for page, (median, p95, workers) in results.items():
        print(
            f"(b) GET {page} (largest establishment, {workers:,} workers), "
            f"{args.requests} requests: median {median:.1f} ms, p95 {p95:.1f} ms"
        )


if __name__ == "__main__":
    main()
