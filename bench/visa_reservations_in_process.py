"""Benchmark: the CPU one visa reservation costs, in one process, without a server or wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_visa_bench \
        .venv/bin/python bench/visa_reservations_in_process.py [--requests 3000] [--profile]

Calls the deployed WSGI application (`manpower.wsgi`, the partner API's middleware chain) one
request at a time, as granian would, and prints the Python CPU of this process and the CPU of its
PostgreSQL backend per reservation. On a machine whose speed drifts (shared cores), compare two
versions of the code by running this alternately for each: it moves far less than requests per
second do. `--profile` also prints cProfile's top functions. The database must be PostgreSQL
and throw-away (migrated, then given licences and a police key).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import secrets
import sys
import time

from visa_reservations import PATH, make_licences, prepare_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    tag = secrets.token_hex(3).upper()
    key = prepare_database()
    licences = make_licences(50, 1_000_000, tag)
    from django.core import signals
    from django.db import close_old_connections, connection

    from manpower.wsgi import application

    # One connection for the whole run, as a server thread keeps it (CONN_MAX_AGE).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    sent = 0

    def reserve() -> None:
        nonlocal sent
        sent += 1
        body = json.dumps(
            {
                "licence_number": licences[sent % len(licences)],
                "occupation_code": "7112",
                "nationality": "IND",
                "gender": "M",
                "visa_number": f"V{tag}{sent:08d}",
            }
        ).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": PATH,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_AUTHORIZATION": f"Bearer {key}",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
        }
        statuses = []
        answer = b"".join(application(environ, lambda status, headers: statuses.append(status)))
        if not statuses[0].startswith("201"):
            sys.exit(f"Expected 201, got {statuses[0]}: {answer[:300]!r}")

    def database_cpu() -> float:
        with open(f"/proc/{connection.connection.info.backend_pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    for _ in range(300):  # warm-up: prepared statements, caches
        reserve()
    python, database, wall = time.process_time(), database_cpu(), time.perf_counter()
    for _ in range(args.requests):
        reserve()
    per = 1000 / args.requests
    print(
        f"{args.requests} reservations: Python {(time.process_time() - python) * per:.3f} ms, "
        f"PostgreSQL {(database_cpu() - database) * per:.3f} ms, "
        f"wall {(time.perf_counter() - wall) * per:.3f} ms per reservation"
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            reserve()
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
