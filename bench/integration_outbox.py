"""Benchmark: deliver N outbox events (default 10,000) with W worker processes (default 2).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_bench \
        .venv/bin/python bench/integration_outbox.py
    .venv/bin/python bench/integration_outbox.py --events 2000      # SQLite in a temporary folder

Runs against a throw-away database (migrated here; never point it at real data: it empties the
outbox). A local receiver on 127.0.0.1 checks each signature and counts duplicates. The workers
are real `manage.py deliver_outbox` processes, stopped at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret-" + "x" * 20


class Receiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.ids: list[str] = []
        self.bad = 0


class Handler(BaseHTTPRequestHandler):
    server: Receiver

    def log_message(self, format, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        parts = dict(p.split("=", 1) for p in self.headers["X-Manpower-Signature"].split(","))
        mac = hmac.new(SECRET.encode(), parts["t"].encode() + b"." + body, hashlib.sha256)
        with self.server.lock:
            if hmac.compare_digest(mac.hexdigest(), parts["v1"]):
                self.server.ids.append(self.headers["X-Manpower-Event-Id"])
            else:
                self.server.bad += 1
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--subjects", type=int, default=1000)
    args = parser.parse_args()

    env = dict(os.environ)
    if "DATABASE_URL" not in env:
        env["MANPOWER_VAR_DIR"] = tempfile.mkdtemp(prefix="mp-bench-")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manpower.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from manpower.integration import services
    from manpower.integration.models import Agency, Delivery, OutboxEvent, Subscription

    call_command("migrate", verbosity=0)
    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()

    OutboxEvent.objects.all().delete()
    Subscription.objects.filter(url__startswith="http://127.0.0.1").delete()
    Subscription.objects.create(
        agency=Agency.objects.get(code="rop"),
        event_types=["bench.event"],
        url=f"http://127.0.0.1:{receiver.server_port}/hooks",
        secret=SECRET,
    )
    started = time.monotonic()
    now = timezone.now()
    with transaction.atomic():
        for n in range(args.events):
            services.publish_event(
                subject=f"bench:{n % args.subjects}",
                event_type="bench.event",
                payload={"n": n},
                now=now,
            )
    print(
        f"{connection.vendor}: published {args.events} events in {time.monotonic() - started:.1f} s"
    )
    connection.close()

    started = time.monotonic()
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "deliver_outbox",
                "--interval",
                "0.05",
                "--worker",
                f"bench-{i}",
            ],
            env=env,
        )
        for i in range(args.workers)
    ]
    try:
        while Delivery.objects.filter(status=Delivery.Status.PENDING).exists():
            if any(w.poll() is not None for w in workers):
                raise SystemExit("a worker stopped early")
            time.sleep(0.2)
    finally:
        for w in workers:
            w.terminate()
            w.wait(timeout=30)
    elapsed = time.monotonic() - started
    unique = len(set(receiver.ids))
    print(
        f"{connection.vendor}: {args.workers} workers delivered {unique} events in {elapsed:.1f} s "
        f"({unique / elapsed:.0f} events/s); duplicates {len(receiver.ids) - unique}, "
        f"bad signatures {receiver.bad}"
    )
    receiver.shutdown()


if __name__ == "__main__":
    main()
