"""Benchmark: the partner read endpoint against a bare Django view reading the same row.

    .venv/bin/python bench/integration_partner_read.py [--requests 2000]

Both go through the whole middleware stack in-process (django.test.Client, no network), so the
difference is what the partner API adds: key lookup, rate-limit upsert, scope check, schema
validation, and the message-log row. Uses a throw-away database (SQLite in a temporary folder
unless DATABASE_URL is set).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()

    if "DATABASE_URL" not in os.environ:
        os.environ["MANPOWER_VAR_DIR"] = tempfile.mkdtemp(prefix="mp-bench-")
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manpower.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.http import JsonResponse
    from django.test import Client
    from django.urls import include, path
    from django.utils import timezone

    from manpower.core.actor import Actor
    from manpower.integration import services
    from manpower.registry.models import Establishment

    call_command("migrate", verbosity=0)
    from manpower.registry.tests.factories import EstablishmentFactory

    establishment = Establishment.objects.filter(
        cr_number="9000001"
    ).first() or EstablishmentFactory(cr_number="9000001")

    def bare(request, cr_number):
        row = Establishment.objects.filter(cr_number=cr_number).values().first()
        return JsonResponse(row, json_dumps_params={"default": str})

    module = type(sys)("bench_urls")
    module.urlpatterns = [
        path("bare/<str:cr_number>", bare),
        path("api/partners/v1/", include("manpower.integration.urls")),
    ]
    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.INTEGRATION_RATE_LIMIT_PER_MINUTE = 10**9
    _credential, key = services.partner_key_create(
        actor=Actor.system("bench"),
        agency=services.agency_by_code("rop"),
        scopes=["registry"],
        now=timezone.now(),
        days=1,
    )

    client = Client()
    runs = {
        "bare Django view": (f"/bare/{establishment.cr_number}", {}),
        "partner API": (
            f"/api/partners/v1/establishments/{establishment.cr_number}",
            {"HTTP_AUTHORIZATION": f"Bearer {key}"},
        ),
    }
    for name, (url, headers) in runs.items():
        assert client.get(url, **headers).status_code == 200, name
        timings = []
        started = time.perf_counter()
        for _ in range(args.requests):
            t = time.perf_counter()
            client.get(url, **headers)
            timings.append(time.perf_counter() - t)
        elapsed = time.perf_counter() - started
        p50 = statistics.median(timings) * 1000
        p99 = statistics.quantiles(timings, n=100)[98] * 1000
        print(
            f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]:10} {name:18} "
            f"{args.requests / elapsed:7.0f} req/s  p50 {p50:.2f} ms  p99 {p99:.2f} ms"
        )


if __name__ == "__main__":
    main()
