"""Drill: an app server process killed with SIGKILL during a burst of visa reservations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_drill \
        .venv/bin/python bench/drills/kill_server.py [--seconds 6] [--kills 2]

granian (2 workers, `--respawn-failed-workers` as docs/deployment.md runs it) serves the police
API while 8 client threads reserve visas; every `--seconds / (kills + 1)` one worker is killed
with SIGKILL, in the middle of requests. Afterwards: every stored reservation has its audit event
and its message-log row, every 2xx the client saw is stored, `verify_audit` passes, and the
server answers again. Figures: docs/reliability.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import secrets
import signal
import sys
import time

from common import (
    Load,
    make_licences,
    prepare_database,
    start_server,
    stop_server,
    stored_reservations_problems,
    workers_of,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--kills", type=int, default=2)
    args = parser.parse_args()
    key = prepare_database()
    tag = "K" + secrets.token_hex(2).upper()
    licences = make_licences(20, 1_000_000, tag)
    from django.db import connection

    connection.close()
    server, base = start_server()
    killed = []
    try:
        load = Load(base=base, key=key, licences=licences, prefix=tag)
        load.start()
        for _ in range(args.kills):
            time.sleep(args.seconds / (args.kills + 1))
            victim = workers_of(server)[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
        time.sleep(args.seconds / (args.kills + 1))
        answers = load.finish()
        alive = server.poll() is None
    finally:
        stop_server(server)
    statuses = collections.Counter(str(a.status or "no answer") for a in answers)
    result = {
        "requests": len(answers),
        "answers": dict(sorted(statuses.items())),
        "workers_killed": len(killed),
        "server_still_serving": alive,
        **stored_reservations_problems(tag, answers),
    }
    print(json.dumps(result, indent=2))
    failed = (
        result["2xx_not_stored"]
        or result["stored_without_audit_event"]
        or result["stored_without_message_log_row"]
        or not result["verify_audit_passes"]
        or not alive
        or statuses.get("500")
    )
    sys.exit("DRILL FAILED" if failed else 0)


if __name__ == "__main__":
    main()
