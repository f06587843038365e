"""Drill: a partner file import killed half-way.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_drill \
        .venv/bin/python bench/drills/kill_file_import.py [--lines 3000]

The chamber of commerce sends a chamber-renewals file of --lines lines (one per establishment,
each with a new chamber number) to granian (one worker, respawned); once the import's
transaction has run for a moment, the worker is killed with SIGKILL. Passes when nothing of the
file is applied (no establishment has its new number, no import is recorded) and the same file
sent again is processed whole (201, every line applied), and `verify_audit` passes.
Figures: docs/reliability.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import secrets
import signal
import sys
import time
import urllib.request
import uuid

from common import prepare_database, start_server, stop_server, workers_of


def upload(base: str, key: str, content: bytes) -> tuple[int | None, dict]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n'
            "chamber-renewals\r\n"
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="renewals.csv"'
            "\r\nContent-Type: text/csv\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        base + "/api/partners/v1/files",
        data=body,
        headers={
            "Authorization": f"Bearer {key}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)
    except OSError:
        return None, {}


def import_running(database: str) -> bool:
    """A transaction on the drill's database open for more than 0.5 s: the import."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
            " AND xact_start < now() - interval '0.5 seconds'",
            [database],
        )
        return cursor.fetchone()[0] > 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=3000)
    args = parser.parse_args()
    prepare_database()
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connection
    from django.utils import timezone

    from manpower.core.actor import Actor
    from manpower.integration import services
    from manpower.integration.models import FileExchange
    from manpower.integration.services import sha256_hex
    from manpower.registry.models import Establishment
    from manpower.registry.tests.factories import EstablishmentFactory

    _credential, key = services.partner_key_create(
        actor=Actor.system("drill"),
        agency=services.agency_by_code("chamber"),
        scopes=["chamber"],
        now=timezone.now(),
        days=1,
    )
    base_cr = 3_000_000 + secrets.randbelow(5_000) * 1000
    crs = [str(base_cr + n) for n in range(args.lines)]
    Establishment.objects.bulk_create(
        [EstablishmentFactory.build(cr_number=cr) for cr in crs], batch_size=1000
    )
    tag = str(10_000 + secrets.randbelow(90_000))  # chamber numbers are digits
    expiry = (timezone.localdate() + dt.timedelta(days=365)).isoformat()
    csv = io.StringIO()
    csv.write("cr_number,chamber_number,chamber_expiry_date\n")
    for n, cr in enumerate(crs):
        csv.write(f"{cr},{tag}{n:05d},{expiry}\n")
    content = csv.getvalue().encode()
    database = connection.settings_dict["NAME"]
    connection.close()

    def applied() -> int:
        count = Establishment.objects.filter(chamber_number__startswith=tag).count()
        connection.close()
        return count

    server, base = start_server(workers=1)
    try:
        import threading

        first: dict = {}
        sender = threading.Thread(target=lambda: first.update(answer=upload(base, key, content)))
        started = time.monotonic()
        sender.start()
        while not import_running(database):
            if not sender.is_alive() or time.monotonic() - started > 60:
                sys.exit(f"The import did not start, or ended before the kill: {first}")
            time.sleep(0.05)
        time.sleep(0.5)
        os.kill(workers_of(server)[0], signal.SIGKILL)
        killed_after = time.monotonic() - started
        sender.join(timeout=60)
        connection.close()
        time.sleep(1)  # the dead worker's transaction is rolled back when its connection drops
        after_kill = {
            "answer": first["answer"][0],
            "establishments_changed": applied(),
            "imports_recorded": FileExchange.objects.filter(sha256=sha256_hex(content)).count(),
        }
        connection.close()
        for _ in range(100):  # the worker is respawned
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        resend_started = time.monotonic()
        status, report = upload(base, key, content)
        resend_seconds = time.monotonic() - resend_started
    finally:
        stop_server(server)
    try:
        call_command("verify_audit", stdout=io.StringIO(), stderr=io.StringIO())
        audit_ok = True
    except CommandError:
        audit_ok = False
    result = {
        "lines": args.lines,
        "killed_after_seconds": round(killed_after, 2),
        "after_kill": after_kill,
        "resent": {
            "status": status,
            "accepted": report.get("accepted_count", report.get("accepted")),
            "establishments_changed": applied(),
            "seconds": round(resend_seconds, 1),
        },
        "verify_audit_passes": audit_ok,
    }
    print(json.dumps(result, indent=2))
    failed = (
        after_kill["establishments_changed"]
        or after_kill["imports_recorded"]
        or status != 201
        or result["resent"]["establishments_changed"] != args.lines
        or not audit_ok
    )
    sys.exit("DRILL FAILED" if failed else 0)


if __name__ == "__main__":
    main()
