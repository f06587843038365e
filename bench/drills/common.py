"""What the fault drills share: a throw-away PostgreSQL database set up as the server is, a
granian server started as deployed, and a load of police visa reservations from threads that
remember every answer (bench/visa_reservations.py makes the licences and the key)."""

from __future__ import annotations

import http.client
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))

from integration_partner_read import free_port, wait_until_up  # noqa: E402
from visa_reservations import PATH, ROOT, make_licences, prepare_database  # noqa: E402

__all__ = ["ROOT", "make_licences", "prepare_database", "wait_until_up"]


def start_server(*, workers: int = 2, threads: int = 4) -> tuple[subprocess.Popen, str]:
    """granian as docs/deployment.md runs it (a killed worker is started again)."""
    port = free_port()
    command = [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", str(workers),
        "--blocking-threads", str(threads), "--respawn-failed-workers", "--respawn-interval",
        "0.5", "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level",
        "warning", "manpower.wsgi:application",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/healthz")
    return server, base


def stop_server(server: subprocess.Popen) -> None:
    """SIGINT, as Ctrl-C; the whole process group by SIGKILL if it lingers."""
    os.killpg(server.pid, signal.SIGINT)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def workers_of(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


@dataclass
class Answer:
    visa_number: str
    status: int | None  # None: the connection failed (no answer)
    code: str = ""
    at: float = 0.0


@dataclass
class Load:
    """Threads that reserve visas one after another until stopped; every answer is kept."""

    base: str
    key: str
    licences: list[str]
    prefix: str
    threads: int = 8
    answers: list[Answer] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        self._threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(self.threads)
        ]
        for thread in self._threads:
            thread.start()

    def finish(self) -> list[Answer]:
        self.stop.set()
        for thread in self._threads:
            thread.join(timeout=30)
        return self.answers

    def _run(self, number: int) -> None:
        host, port = self.base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        count = 0
        while not self.stop.is_set():
            count += 1
            visa = f"{self.prefix}{number:02d}{count:06d}"
            body = json.dumps(
                {
                    "licence_number": self.licences[count % len(self.licences)],
                    "occupation_code": "7112",
                    "nationality": "IND",
                    "gender": "M",
                    "visa_number": visa,
                }
            )
            try:
                connection.request(
                    "POST",
                    PATH,
                    body=body,
                    headers={
                        "Authorization": f"Bearer {self.key}",
                        "Content-Type": "application/json",
                    },
                )
                response = connection.getresponse()
                payload = response.read()
                code = ""
                if response.status >= 400:
                    try:
                        code = json.loads(payload).get("code", "")
                    except ValueError:
                        code = "not-json"
                self.answers.append(Answer(visa, response.status, code, time.monotonic()))
            except (OSError, http.client.HTTPException):
                self.answers.append(Answer(visa, None, "", time.monotonic()))
                connection.close()
                time.sleep(0.05)


def stored_reservations_problems(prefix: str, answers: list[Answer]) -> dict:
    """Every stored reservation has its audit event and message-log row; every 2xx is stored;
    the audit log verifies."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from manpower.core.models import AuditEvent
    from manpower.integration.models import MessageLog
    from manpower.licensing.models import VisaReservation

    stored = dict(
        VisaReservation.objects.filter(visa_number__startswith=prefix).values_list(
            "visa_number", "pk"
        )
    )
    audited = dict(
        AuditEvent.objects.filter(
            object_type="licensing.visareservation",
            object_id__in=[str(pk) for pk in stored.values()],
        ).values_list("object_id", "request_id")
    )
    logged = set(
        MessageLog.objects.filter(request_id__in=list(audited.values())).values_list(
            "request_id", flat=True
        )
    )
    ok = {a.visa_number for a in answers if a.status and 200 <= a.status < 300}
    try:
        call_command("verify_audit", stdout=io.StringIO(), stderr=io.StringIO())
        audit_ok = True
    except CommandError:
        audit_ok = False
    return {
        "stored": len(stored),
        "answered_2xx": len(ok),
        "2xx_not_stored": len(ok - set(stored)),
        "stored_without_audit_event": sum(str(pk) not in audited for pk in stored.values()),
        "stored_without_message_log_row": sum(r not in logged for r in audited.values()),
        "verify_audit_passes": audit_ok,
    }
