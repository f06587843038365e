"""Fuzz both OpenAPI documents of a live server with schemathesis (issue 13, item 7).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/manpower \
        .venv/bin/python bench/schemathesis_fuzz.py

Migrates the database named by DATABASE_URL and loads the demo (`load_demo`, idempotent), makes
a user token for the demo employer and a partner key with every scope, starts granian on a free
port and runs `st run` against /api/v1/openapi.json and /api/partners/v1/openapi.json, once
anonymous and once authenticated each. Checks: no server error, every answer matches its
documented schema. Bounded by --max-examples per operation and --max-time per run. Exits
non-zero when schemathesis found anything; the figures are printed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from integration_partner_read import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[1]
CHECKS = "not_a_server_error,response_schema_conformance"
REVOKE = "manpower_accounts_api_revoke_token"
DOCUMENTS = {"user API": "/api/v1/openapi.json", "partner API": "/api/partners/v1/openapi.json"}


def prepare() -> tuple[str, str]:
    """The demo data, and (a user token of the demo employer, a partner key with all scopes)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manpower.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from manpower.accounts.models import User
    from manpower.accounts.services import api_token_create
    from manpower.core.actor import Actor
    from manpower.integration import services
    from manpower.integration.models import Scope

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    actor, now = Actor.system("fuzz"), timezone.now()
    _token, user_key = api_token_create(
        actor=actor, user=User.objects.get(username="employer"), name="fuzz", now=now
    )
    _credential, partner_key = services.partner_key_create(
        actor=actor,
        agency=services.agency_by_code("rop"),
        scopes=Scope.values,
        now=now,
        days=1,
        rate_limit_per_minute=2_000_000_000,
    )
    connection.close()
    return user_key, partner_key


def schemathesis(url: str, *, key: str | None, args, report: Path) -> dict:
    """One `st run`; its exit code and the figures of its JSON report."""
    command = [
        str(Path(sys.executable).with_name("st")), "run", url, "--checks", CHECKS,
        "--max-examples", str(args.max_examples), "--max-time", str(args.max_time),
        "--workers", str(args.st_workers), "--seed", str(args.seed), "--no-color",
        "--suppress-health-check", "all", "--request-timeout", "30",
        "--report", "ndjson", "--report-ndjson-path", str(report),
    ]  # fmt: skip
    if key:
        # Not the revocation of tokens: the fuzzer would revoke the very token it calls with.
        command += ["--header", f"Authorization: Bearer {key}", "--exclude-operation-id", REVOKE]
    hooks = {**os.environ, "SCHEMATHESIS_HOOKS": "bench.schemathesis_hooks"}
    code = subprocess.call(command, cwd=ROOT, env=hooks)
    return {"exit": code, **figures(report)}


def figures(report: Path) -> dict:
    """Requests made and failures found, read from the run's NDJSON event stream."""
    requests = failures = 0
    for line in report.read_text().splitlines():
        event = json.loads(line)
        for name, body in event.items():
            if name == "ScenarioFinished":
                for case in (body.get("recorder") or {}).get("interactions", {}).values():
                    requests += 1 if case else 0
                for check_list in (body.get("recorder") or {}).get("checks", {}).values():
                    failures += sum(1 for check in check_list if check.get("status") == "FAILURE")
    return {"requests": requests, "failures": failures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-examples", type=int, default=25, help="test cases per operation")
    parser.add_argument("--max-time", type=int, default=60, help="seconds per schemathesis run")
    parser.add_argument("--st-workers", type=int, default=1, help="schemathesis workers")
    parser.add_argument("--server-workers", type=int, default=2, help="granian processes")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    user_key, partner_key = prepare()
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--workers",
            str(args.server_workers),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
            "manpower.wsgi:application",
        ],  # fmt: skip
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    base = f"http://127.0.0.1:{port}"
    results = {}
    try:
        wait_until_up(base + "/healthz")
        with tempfile.TemporaryDirectory() as reports:
            for name, path in DOCUMENTS.items():
                key = user_key if name == "user API" else partner_key
                for who, given in (("anonymous", None), ("authenticated", key)):
                    report = Path(reports) / f"{len(results)}.ndjson"
                    print(f"== schemathesis: {name}, {who}", flush=True)
                    results[f"{name}, {who}"] = schemathesis(
                        base + path, key=given, args=args, report=report
                    )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("== schemathesis figures")
    for run, result in results.items():
        print(
            f"{run:28} {result['requests']:6} requests  {result['failures']:3} failures  "
            f"(exit {result['exit']})"
        )
    return max(result["exit"] for result in results.values())


if __name__ == "__main__":
    sys.exit(main())
