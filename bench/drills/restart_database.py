"""Drill: PostgreSQL restarted during a load of visa reservations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_drill \
        .venv/bin/python bench/drills/restart_database.py [--cluster "15 main"]

Restarts the WHOLE PostgreSQL cluster (`pg_ctlcluster --skip-systemctl-redirect 15 main
restart`): on a shared server every other user of it sees the outage too (a few seconds).
granian serves the police API to 8 client threads; 2 s in, the cluster restarts; the load goes
on for 5 s after it is back. Passes when the server recovers by itself (2xx again after the
restart, no restart of granian), the answers during the outage are 503 problems
(`service_unavailable`), none is a 500, and every stored reservation has its audit event.
Figures: docs/reliability.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import time

from common import (
    Load,
    make_licences,
    prepare_database,
    start_server,
    stop_server,
    stored_reservations_problems,
)


def restart(cluster: list[str]) -> float:
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, "restart"],
        check=True,
        timeout=60,
    )
    for _ in range(300):
        if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0:
            break
        time.sleep(0.1)
    else:
        sys.exit("PostgreSQL did not come back within 30 s: start it by hand.")
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cluster", default="15 main")
    args = parser.parse_args()
    key = prepare_database()
    tag = "R" + __import__("secrets").token_hex(2).upper()
    licences = make_licences(20, 1_000_000, tag)
    from django.db import connection

    connection.close()
    server, base = start_server()
    try:
        load = Load(base=base, key=key, licences=licences, prefix=tag)
        load.start()
        time.sleep(2)
        down_at = time.monotonic()
        outage = restart(args.cluster.split())
        up_at = time.monotonic()
        time.sleep(5)
        answers = load.finish()
        alive = server.poll() is None
    finally:
        stop_server(server)
    connection.close()

    def phase(answer) -> str:
        if answer.at < down_at:
            return "before"
        return "during" if answer.at <= up_at else "after"

    counts = collections.Counter(
        f"{phase(a)} {a.status or 'no answer'}{' ' + a.code if a.code else ''}" for a in answers
    )
    last_seconds = [a for a in answers if a.at > up_at + 3]
    result = {
        "restart_seconds": round(outage, 1),
        "answers": dict(sorted(counts.items())),
        "recovered": bool(last_seconds) and all(a.status == 201 for a in last_seconds),
        "server_still_serving": alive,
        **stored_reservations_problems(tag, answers),
    }
    print(json.dumps(result, indent=2))
    failed = (
        any(a.status == 500 for a in answers)
        or any(a.status and a.status >= 400 and a.code != "service_unavailable" for a in answers)
        or not result["recovered"]
        or result["2xx_not_stored"]
        or result["stored_without_audit_event"]
    )
    sys.exit("DRILL FAILED" if failed else 0)


if __name__ == "__main__":
    main()
