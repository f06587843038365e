"""Benchmark: requests per second of the partner read endpoint against a bare Django view.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_bench \
        .venv/bin/python bench/integration_partner_read.py [--seconds 10] [--rounds 3]

The target: `GET /api/partners/v1/establishments/{cr}` sustains at least 50% of the requests per
second of `GET /bench/bare/{cr}` (bench/integration_urls.py: one indexed SELECT, its row as
JSON), measured side by side in one run on the same server and database.

One real server serves both: granian, 2 WSGI worker processes, DEBUG off, the project's whole
middleware stack, with `bench/integration_settings.py` adding the bare view's URL. The load
generator is `wrk` (Debian: `apt-get install wrk`), one thread and --connections keep-alive
connections to 127.0.0.1 only, for --seconds per measurement; bare and partner alternate for
--rounds rounds (after a warm-up of each) and the median of each is compared. Both spread their
requests over the same 1,000 establishments.

The database must be PostgreSQL and throw-away: the script migrates it, seeds 2,000 employers
and 20,000 workers if it has fewer than 2,000 establishments, issues a key (rate limit high
enough not to bite) and revokes it at the end; each partner request leaves a message-log row.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "integration_settings",
    "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT / 'src'}",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-" + "k" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "DOCUMENTS_SIGNING_KEY": "YmVuY2gtb25seS1kb2N1bWVudHMtc2lnbmluZy1rZXk=",
    "AUDIT_CHECKPOINT_KEY": "YmVuY2gtb25seS1hdWRpdC1jaGVja3BvaW50cy1rZXk=",
    "PAYMENTS_SANDBOX_SECRET": "bench-only-sandbox-secret",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
}
LUA = """
paths = %s
counter = 0
wrk.headers["Authorization"] = %s
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


def run_wrk(*, base: str, paths: list[str], key: str, seconds: float, connections: int) -> dict:
    """One wrk run; its requests/s, latency percentiles and how many answers were not 2xx."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % ("{" + ",".join(json.dumps(p) for p in paths) + "}", json.dumps(key)))
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency", "-s", script.name, base,
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.MULTILINE))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "non_2xx": int(bad.group(1)) if bad else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a throw-away PostgreSQL database.")
    if shutil.which("wrk") is None:
        sys.exit("This benchmark needs wrk (apt-get install wrk).")

    os.environ.update(SERVER_ENV)
    sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "src")]
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from manpower.core.actor import Actor
    from manpower.integration import services
    from manpower.registry.models import Establishment

    call_command("migrate", verbosity=0)
    if Establishment.objects.count() < 2000:
        call_command("seed", employers=2000, workers=20000)
    crs = list(Establishment.objects.order_by("id").values_list("cr_number", flat=True)[:1000])
    actor, now = Actor.system("bench"), timezone.now()
    credential, key = services.partner_key_create(
        actor=actor,
        agency=services.agency_by_code("rop"),
        scopes=["registry"],
        now=now,
        days=1,
        rate_limit_per_minute=2_000_000_000,
    )
    connection.close()

    port = free_port()
    server_command = [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", str(args.workers),
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning",
        "manpower.wsgi:application",
    ]  # fmt: skip
    server = subprocess.Popen(server_command, cwd=ROOT, env=os.environ.copy())
    base = f"http://127.0.0.1:{port}"
    targets = {
        "bare view": [f"/bench/bare/{cr}" for cr in crs],
        "partner API": [f"/api/partners/v1/establishments/{cr}" for cr in crs],
    }
    runs: dict[str, list[dict]] = {name: [] for name in targets}
    try:
        wait_until_up(base + "/healthz")
        for paths in targets.values():  # warm-up: connections, caches, query plans
            run_wrk(base=base, paths=paths, key=f"Bearer {key}", seconds=2, connections=4)
        for _round in range(args.rounds):
            for name, paths in targets.items():
                result = run_wrk(
                    base=base,
                    paths=paths,
                    key=f"Bearer {key}",
                    seconds=args.seconds,
                    connections=args.connections,
                )
                runs[name].append(result)
                print(
                    f"{name:12} {result['rps']:8.0f} req/s  p50 {result['p50']:>8}  "
                    f"p99 {result['p99']:>8}  ({result['requests']} requests, "
                    f"{result['non_2xx']} not 2xx)",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
        services.partner_key_revoke(actor=actor, prefix=credential.prefix, now=timezone.now())

    bare = statistics.median(r["rps"] for r in runs["bare view"])
    partner = statistics.median(r["rps"] for r in runs["partner API"])
    print(
        f"\nmedian of {args.rounds} x {args.seconds:g} s, {args.connections} connections, "
        f"granian --workers {args.workers}, PostgreSQL {connection.pg_version // 10000}: "
        f"bare {bare:.0f} req/s, partner {partner:.0f} req/s = {100 * partner / bare:.0f}% "
        f"(target: at least 50%)"
    )
    if any(r["non_2xx"] for rs in runs.values() for r in rs):
        sys.exit("Some answers were not 2xx: the figures are not valid.")


if __name__ == "__main__":
    main()
