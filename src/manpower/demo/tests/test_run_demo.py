"""`run_demo` runs the periodic commands on their intervals while the demo runs (cron does in
production); what each command does is tested in its own app."""

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
    assert periodic.tick(1300.5) == ["licensing_periodic"]
    assert periodic.tick(1600.5) == []  # still running
    started[-1].finished = True
    assert periodic.tick(4600.0) == ["licensing_periodic", "expire_invoices"]
    assert len(periodic.processes()) == len(PERIODIC)
