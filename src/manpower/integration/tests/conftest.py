"""Fixtures of the integration tests: partner keys, the simulators, a webhook receiver."""

from __future__ import annotations

import hashlib
import hmac
import importlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.apps import apps as django_apps

from manpower.integration import services
from manpower.integration.models import Agency, Subscription
from manpower.integration.simulator import make_server


@pytest.fixture(autouse=True)
def seeded_agencies(request):
    """The agencies of migration 0002, even after a transactional test emptied every table."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    importlib.import_module("manpower.integration.migrations.0002_seed_agencies").seed(
        django_apps, None
    )


@pytest.fixture
def issue_key(system_actor, now):
    """Issue a key to an agency (by code) and return the key itself."""

    def issue(agency_code: str = "rop", scopes=("registry",), **options) -> str:
        _credential, key = services.partner_key_create(
            actor=system_actor,
            agency=Agency.objects.get(code=agency_code),
            scopes=scopes,
            now=now,
            **options,
        )
        return key

    return issue


def serve(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def simulator(settings):
    """The partner simulators on a free port, with the adapters pointed at them."""
    server = make_server(port=0)
    serve(server)
    settings.INTEGRATION_SIMULATOR_URL = f"http://127.0.0.1:{server.server_port}"
    settings.INTEGRATION_ADAPTER_TIMEOUT_SECONDS = 0.5
    settings.INTEGRATION_BREAKER_THRESHOLD = 3
    yield server
    server.shutdown()
    server.server_close()


def control(simulator, **switches) -> dict:
    """Flip a simulator's switches through its HTTP control endpoint, as an operator would."""
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{simulator.server_port}/_control",
        data=json.dumps(switches).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The receiver's check, exactly as docs/integration.md gives it to agencies."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp, signature = int(parts["t"]), parts["v1"]
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, signature)


class Receiver(ThreadingHTTPServer):
    """An agency's webhook endpoint: checks each signature and records what arrived."""

    daemon_threads = True

    def __init__(self, secret: str):
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.secret = secret
        self.lock = threading.Lock()
        self.received: list[dict] = []  # verified events, in arrival order
        self.bad_signatures = 0
        self.fail_next = 0  # answer 500 to this many requests first
        self.hang = threading.Event()  # while set, requests are held unanswered ...
        self.arrived = threading.Event()  # ... and this tells that one came in

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/hooks"

    def event_ids(self) -> list[int]:
        with self.lock:
            return [e["id"] for e in self.received]


class ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def log_message(self, format, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.server.hang.is_set():
            self.server.arrived.set()
            time.sleep(5)  # the sender is killed meanwhile; nobody reads the answer
            return
        header = self.headers.get("X-Manpower-Signature", "")
        with self.server.lock:
            # The tests sign with a fixed clock (`now`), so the age check is relaxed here.
            if not verify(self.server.secret, header, body, tolerance=10**9):
                self.server.bad_signatures += 1
                status = 401
            elif self.server.fail_next:
                self.server.fail_next -= 1
                status = 500
            else:
                self.server.received.append(json.loads(body))
                status = 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def receiver():
    server = Receiver(secret="s3cret-of-the-agency")
    serve(server)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def subscription(receiver):
    return Subscription.objects.create(
        agency=Agency.objects.get(code="rop"),
        event_types=["labourcard.issued", "labourcard.cancelled"],
        url=receiver.url,
        secret=receiver.secret,
    )
