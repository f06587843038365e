"""Benchmark: visa reservations by the police under load, and proof of no over-allocation.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_visa_bench \
        .venv/bin/python bench/visa_reservations.py [--seconds 10] [--connections 16]

Target: `POST /api/partners/v1/police/visa-reservations` sustains at least 50 % of the requests
per second of the bare view (`GET /bench/bare/{cr}`, bench/integration_urls.py: one indexed
SELECT through the same server) measured in the same run; p50/p99 are reported; and not one
vacancy more than issued is ever taken.

One real server: granian, --workers WSGI processes with --threads blocking threads each, DEBUG
off, `manpower.wsgi` as deployed (the partner API's middleware chain); every request is
authenticated, rate-counted, logged in the message log, audited and published to the outbox, as
in production. The load generator is `wrk` (one thread, --connections keep-alive connections,
unique visa numbers). The bare view is measured first, then two scenarios:

- spread: requests round-robin over 200 licences with ample vacancies (all should be 201);
- hot:    every request for ONE vacancy with `--hot-vacancies` issued; exactly that many must
          succeed (201) and every other answer must be 409 `no_vacancy`.

Each scenario also prints the CPU the server and PostgreSQL spent per request (from /proc).
After each, the database is checked: reservations stored == 2xx answers == sum of `reserved`,
and `reserved + used <= issued` on every vacancy. The database must be PostgreSQL and
throw-away: the script migrates it and adds its own establishment, licences and key.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from integration_partner_read import free_port, wait_until_up
from integration_partner_read import run_wrk as run_wrk_get

ROOT = Path(__file__).resolve().parent.parent
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "integration_settings",  # the project's, plus the bare view
    "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT / 'src'}",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-" + "k" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "DOCUMENTS_SIGNING_KEY": "YmVuY2gtb25seS1kb2N1bWVudHMtc2lnbmluZy1rZXk=",
    "AUDIT_CHECKPOINT_KEY": "YmVuY2gtb25seS1hdWRpdC1jaGVja3BvaW50cy1rZXk=",
    "PAYMENTS_SANDBOX_SECRET": "bench-only-sandbox-secret",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "ERROR",
}
PATH = "/api/partners/v1/police/visa-reservations"
LUA = """
counter = 0
targets = %(targets)s
wrk.method = "POST"
wrk.headers["Authorization"] = %(authorization)s
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local t = targets[(counter %% #targets) + 1]
  local body = string.format(
    '{"licence_number":"%%s","occupation_code":"7112","nationality":"IND","gender":"M",' ..
    '"visa_number":"%(prefix)s%%d"}', t, counter)
  return wrk.format("POST", "%(path)s", nil, body)
end
"""


def run_wrk(*, base, licences, key, prefix, seconds, connections) -> dict:
    targets = "{" + ",".join(json.dumps(n) for n in licences) + "}"
    script_text = LUA % {
        "targets": targets,
        "authorization": json.dumps(f"Bearer {key}"),
        "prefix": prefix,
        "path": PATH,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(script_text)
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency", "-s", script.name, base,
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.MULTILINE))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1) if errors else "none",
    }


def cpu_seconds() -> dict[str, float]:
    """CPU time used so far by the server (granian) and by PostgreSQL, from /proc."""
    used = {"server": 0.0, "database": 0.0}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        kind = "server" if "granian" in command else "database" if "postgres" in command else None
        if kind:
            used[kind] += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def prepare_database() -> str:
    """Django set up as the server is, the throw-away database migrated; a police key."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a throw-away PostgreSQL database.")
    os.environ.update(SERVER_ENV)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from manpower.core.actor import Actor
    from manpower.integration import services

    call_command("migrate", verbosity=0)
    _credential, key = services.partner_key_create(
        actor=Actor.system("bench"),
        agency=services.agency_by_code("rop"),
        scopes=["police"],
        now=timezone.now(),
        days=1,
        rate_limit_per_minute=2_000_000_000,
    )
    return key


def make_licences(count: int, issued: int, tag: str) -> list[str]:
    """`count` commercial licences of one establishment, one vacancy of `issued` each."""
    from django.utils import timezone

    from manpower.licensing.models import Kind, Licence, LicenceApplication, LicenceVacancy
    from manpower.registry.tests.factories import EstablishmentFactory, UserFactory

    establishment = EstablishmentFactory(cr_number=str(secrets.randbelow(9_000_000) + 1_000_000))
    applicant = UserFactory(username=f"bench-{tag}")
    now, today = timezone.now(), timezone.localdate()
    numbers = []
    for n in range(count):
        number = f"WP-{tag}{n:04d}"
        application = LicenceApplication.objects.create(
            number=f"LA-{tag}{n:04d}",
            kind=Kind.COMMERCIAL,
            establishment=establishment,
            applicant=applicant,
            status=LicenceApplication.Status.ISSUED,
            omanisation_met=True,
            submitted_at=now,
        )
        licence = Licence.objects.create(
            number=number,
            application=application,
            kind=Kind.COMMERCIAL,
            establishment=establishment,
            valid_from=today,
            valid_until=today + dt.timedelta(days=700),
            issued_at=now,
        )
        LicenceVacancy.objects.create(
            licence=licence, occupation_id="7112", nationality_id="IND", gender="M", issued=issued
        )
        numbers.append(number)
    return numbers


def check(numbers: list[str], successes: int, in_flight: int) -> dict:
    """The database's view after a run; raises when anything was over-allocated.

    wrk does not count the answers still in flight when it stops (at most one per connection),
    though the server completes them: those may be stored without being counted as 2xx.
    """
    from django.db.models import F, Sum

    from manpower.licensing.models import LicenceVacancy, VisaReservation

    vacancies = LicenceVacancy.objects.filter(licence__number__in=numbers)
    totals = vacancies.aggregate(issued=Sum("issued"), reserved=Sum("reserved"))
    stored = VisaReservation.objects.filter(vacancy__in=vacancies).count()
    over = vacancies.filter(issued__lt=F("reserved") + F("used")).count()
    result = {**totals, "stored": stored, "answered_2xx": successes, "over_allocated": over}
    if over or stored != totals["reserved"] or not successes <= stored <= successes + in_flight:
        raise SystemExit(f"Inconsistent counts: {result}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes")
    parser.add_argument("--threads", type=int, default=4, help="blocking threads per worker")
    parser.add_argument("--hot-vacancies", type=int, default=1000)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("This benchmark needs wrk (apt-get install wrk).")
    tag = secrets.token_hex(3).upper()
    key = prepare_database()
    spread = make_licences(200, 1_000_000, tag + "S")
    hot = make_licences(1, args.hot_vacancies, tag + "H")
    from django.db import connection

    from manpower.licensing.models import Licence

    bare_path = f"/bench/bare/{Licence.objects.get(number=spread[0]).establishment.cr_number}"
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have done on a live database
    connection.close()
    connection.close()

    port = free_port()
    server_command = [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", str(args.workers),
        "--blocking-threads", str(args.threads), "--host", "127.0.0.1", "--port", str(port),
        "--no-access-log", "--log-level", "warning", "manpower.wsgi:application",
    ]  # fmt: skip
    server = subprocess.Popen(server_command, cwd=ROOT, env=os.environ.copy())
    base = f"http://127.0.0.1:{port}"
    results = {}
    try:
        wait_until_up(base + "/healthz")
        # Warm-up on the spread licences (connections, caches, query plans).
        warm = run_wrk(base=base, licences=spread, key=key, prefix=f"W{tag}", seconds=2,
                       connections=4)  # fmt: skip
        results["bare"] = run_wrk_get(
            base=base, paths=[bare_path], key="", seconds=args.seconds,
            connections=args.connections,
        )  # fmt: skip
        print(f"bare   {results['bare']['rps']:8.0f} req/s  p99 {results['bare']['p99']:>8}")
        for name, numbers in (("spread", spread), ("hot", hot)):
            before = cpu_seconds()
            run = run_wrk(
                base=base,
                licences=numbers,
                key=key,
                prefix=f"{name[0].upper()}{tag}",
                seconds=args.seconds,
                connections=args.connections,
            )
            after = cpu_seconds()
            results[name] = run
            per_request = {k: (after[k] - before[k]) * 1000 / run["requests"] for k in after}
            print(
                f"{name:6} {run['rps']:8.0f} req/s  p50 {run['p50']:>8}  p99 {run['p99']:>8}  "
                f"({run['requests']} requests, {run['non_2xx']} not 2xx, socket errors "
                f"{run['socket_errors']}); CPU per request: server "
                f"{per_request['server']:.2f} ms, PostgreSQL {per_request['database']:.2f} ms",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    spread_ok = sum(r["requests"] - r["non_2xx"] for r in (warm, results["spread"]))
    spread_db = check(spread, spread_ok, in_flight=4 + args.connections)
    hot_ok = results["hot"]["requests"] - results["hot"]["non_2xx"]
    hot_db = check(hot, hot_ok, in_flight=args.connections)
    print(f"spread database: {spread_db}")
    print(f"hot database:    {hot_db}")
    if hot_db["reserved"] > args.hot_vacancies:
        sys.exit("The hot vacancy was over-allocated.")
    print(
        f"\n{args.seconds:g} s, {args.connections} connections, granian --workers {args.workers} "
        f"--blocking-threads {args.threads}, PostgreSQL {connection.pg_version // 10000}: "
        f"spread {results['spread']['rps']:.0f} req/s (p99 {results['spread']['p99']}), "
        f"hot {results['hot']['rps']:.0f} req/s (p99 {results['hot']['p99']}); "
        f"bare view {results['bare']['rps']:.0f} req/s: spread at "
        f"{100 * results['spread']['rps'] / results['bare']['rps']:.0f} % of it (target: at "
        f"least 50 %); over-allocated vacancies: 0"
    )
    if results["spread"]["non_2xx"]:
        sys.exit("Some spread answers were not 2xx: the figures are not valid.")


if __name__ == "__main__":
    main()
