"""`run_demo` runs the periodic commands on their intervals while the demo runs (cron does in
production); what each command does is tested in its own app."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import get_commands

from manpower.demo.management.commands import run_demo
from manpower.demo.management.commands.run_demo import PERIODIC, Periodic


class FakeProcess:
    def __init__(self, command):
        self.command = command
        self.finished = False

    def poll(self):
        return 0 if self.finished else None


def test_every_periodic_command_exists():
    assert {name for name, _every in PERIODIC} <= set(get_commands())


def test_each_command_runs_at_start_then_every_interval_and_never_twice_at_once(monkeypatch):
    started = []

    def popen(command):
        started.append(FakeProcess(command))
        return started[-1]

    monkeypatch.setattr(run_demo.subprocess, "Popen", popen)
    periodic = Periodic(["python", "manage.py"], now=1000.0)

    assert periodic.tick(1000.0) == [name for name, _every in PERIODIC]
    assert started[0].command == ["python", "manage.py", "licensing_periodic"]
    assert periodic.tick(1299.0) == []
    # Due, but its previous run is still going: it waits for it.
    assert periodic.tick(1300.0) == []
    for process in started:
        process.finished = True
    assert periodic.tick(1300.5) == ["licensing_periodic", "salary_files_resume"]
    assert periodic.tick(1600.5) == []  # still running
    for process in started:
        process.finished = True
    assert periodic.tick(4600.0) == [
        "licensing_periodic",
        "expire_invoices",
        "contracts_daily",
        "salary_files_resume",
    ]
    assert len(periodic.processes()) == len(PERIODIC)


def test_the_demo_prints_its_own_address_in_qr_codes_and_notification_links(monkeypatch):
    """`PORT=8080 make demo`: documents and notifications link to port 8080, as every child
    process (portal, worker, periodic commands) reads its settings from the environment."""
    for name in run_demo.SITE_ADDRESS_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    environment = {**os.environ, **run_demo.site_addresses(host="127.0.0.1", port=8080)}

    printed = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; "
            "print(settings.DOCUMENTS_VERIFY_BASE_URL, settings.NOTIFICATIONS_SITE_URL)",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.PROJECT_DIR,
    ).stdout.split()

    assert printed[-2:] == ["http://127.0.0.1:8080", "http://127.0.0.1:8080"]


def test_an_address_given_in_the_environment_is_kept(monkeypatch):
    monkeypatch.setenv("DOCUMENTS_VERIFY_BASE_URL", "https://manpower.example")
    addresses = run_demo.site_addresses(host="127.0.0.1", port=8080)
    assert addresses["DOCUMENTS_VERIFY_BASE_URL"] == "https://manpower.example"
    assert addresses["NOTIFICATIONS_SITE_URL"] == "http://127.0.0.1:8080"
