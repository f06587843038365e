"""Stand-ins for the agencies' services, answering from our own registry, with fault switches.

`manage.py run_simulators` serves them; tests start `make_server(port=0)` in a thread.
`POST /_control {"agency": "commerce", "down": true, "latency_ms": 500, "error_rate": 0.5}`
changes how one agency behaves; `GET /_control` shows every agency's switches.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.db import close_old_connections, connection

from manpower.registry.models import Employment, Establishment, Person


def commerce_cr(cr_number: str) -> dict | None:
    establishment = Establishment.objects.filter(cr_number=cr_number).first()
    if establishment is None:
        return None
    return {
        "cr_number": cr_number,
        "status": establishment.status,
        "valid": establishment.status == Establishment.Status.ACTIVE,
    }


def chamber_membership(cr_number: str) -> dict | None:
    establishment = Establishment.objects.filter(cr_number=cr_number).first()
    if establishment is None or not establishment.chamber_number:
        return None
    expiry = establishment.chamber_expiry_date
    return {
        "cr_number": cr_number,
        "member_number": establishment.chamber_number,
        "expiry_date": expiry.isoformat() if expiry else None,
    }


def insurance_registration(civil_number: str) -> dict | None:
    person = Person.objects.filter(civil_number=civil_number).first()
    if person is None:
        return None
    employment = (
        Employment.objects.filter(person=person, status=Employment.Status.ACTIVE)
        .select_related("establishment")
        .order_by("start_date", "id")
        .first()
    )
    return {
        "civil_number": civil_number,
        # Social insurance covers nationals working in the private sector: a national can be
        # registered with a new employer (a contract's confirmation), and is once employed.
        "insurable": person.is_national,
        "registered": bool(person.is_national and employment),
        "establishment_cr": employment.establishment.cr_number
        if employment and employment.establishment
        else None,
    }


def job_seeker_status(civil_number: str) -> dict | None:
    person = Person.objects.filter(civil_number=civil_number).first()
    if person is None:
        return None
    employed = Employment.objects.filter(person=person, status=Employment.Status.ACTIVE).exists()
    return {"civil_number": civil_number, "job_seeker": person.is_national and not employed}


# path pattern → (agency code, answer function)
ROUTES = [
    (re.compile(r"^/commerce/cr/(\w{1,20})$"), "commerce", commerce_cr),
    (re.compile(r"^/chamber/membership/(\w{1,20})$"), "chamber", chamber_membership),
    (
        re.compile(r"^/social-insurance/registration/(\w{1,20})$"),
        "social-insurance",
        insurance_registration,
    ),
    (
        re.compile(r"^/manpower-register/job-seeker/(\w{1,20})$"),
        "manpower-register",
        job_seeker_status,
    ),
]
# The courts take the labour cases the ministry refers as webhooks (the outbox's deliveries to
# the subscription of integration migration 0006): POST /judicial/cases, kept by case number.
JUDICIAL_CASES = "/judicial/cases"
AGENCIES = sorted({agency for _, agency, _ in ROUTES} | {"courts"})


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address):
        super().__init__(address, Handler)
        self.lock = threading.Lock()
        self.random = random.Random(0)
        self.switches = {a: {"down": False, "latency_ms": 0, "error_rate": 0.0} for a in AGENCIES}
        self.cases: dict[str, dict] = {}  # labour cases the courts received, by case number


class Handler(BaseHTTPRequestHandler):
    server: SimulatorServer

    def log_message(self, format, *args):  # quiet: the message log records our side
        pass

    def reply(self, status: int, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the caller gave up waiting (a timeout under injected latency)

    def do_POST(self):
        if self.path == JUDICIAL_CASES:
            return self.receive_case()
        if self.path != "/_control":
            return self.reply(404, {"error": "not found"})
        try:
            change = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            switches = self.server.switches[change.pop("agency")]
        except (ValueError, KeyError, TypeError):
            return self.reply(400, {"error": "send {agency, down, latency_ms, error_rate}"})
        with self.server.lock:
            for name in ("down", "latency_ms", "error_rate"):
                if name in change:
                    switches[name] = type(switches[name])(change[name])
        return self.reply(200, self.server.switches)

    def receive_case(self):
        """The courts' registry takes a referred labour case (a retry is the same case)."""
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.server.lock:
            switches = dict(self.server.switches["courts"])
        if switches["down"]:
            return self.reply(503, {"error": "courts is down"})
        try:
            payload = json.loads(body)["payload"]
            number = payload["case_number"]
        except (ValueError, KeyError, TypeError):
            return self.reply(400, {"error": "send a labour_case.referred event"})
        with self.server.lock:
            self.server.cases[number] = payload
        return self.reply(202, {"received": True, "case_number": number})

    def do_GET(self):
        if self.path == "/_control":
            return self.reply(200, self.server.switches)
        if self.path.startswith(JUDICIAL_CASES + "/"):
            with self.server.lock:
                case = self.server.cases.get(self.path.removeprefix(JUDICIAL_CASES + "/"))
            return (
                self.reply(200, {"found": True, **case})
                if case
                else self.reply(404, {"found": False})
            )
        for pattern, agency, answer in ROUTES:
            match = pattern.match(self.path)
            if match:
                return self.answer(agency, answer, match.group(1))
        return self.reply(404, {"error": "no such service"})

    def answer(self, agency, answer, key):
        with self.server.lock:
            switches = dict(self.server.switches[agency])
            fail = self.server.random.random() < switches["error_rate"]
        if switches["down"]:
            return self.reply(503, {"error": f"{agency} is down"})
        time.sleep(switches["latency_ms"] / 1000)
        if fail:
            return self.reply(500, {"error": f"{agency} failed"})
        close_old_connections()
        try:
            body = answer(key)
        finally:
            connection.close()  # each request thread has its own connection: do not leak it
        if body is None:
            return self.reply(404, {"found": False})
        return self.reply(200, {"found": True, **body, "answered_at": _utc_now()})


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def make_server(*, host: str = "127.0.0.1", port: int = 0) -> SimulatorServer:
    """A simulator bound to host:port (0: a free port; read it from `server.server_port`)."""
    return SimulatorServer((host, port))
