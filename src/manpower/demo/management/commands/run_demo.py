"""Serve the demo: the portal under granian, the task worker, the webhook delivery worker and the
partner simulators, as child processes, and run the periodic commands on their intervals;
Ctrl-C stops them all."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand

# The periodic commands and their intervals in seconds. In production cron runs them (the lines
# are in docs/deployment.md); while the demo runs, this command does.
PERIODIC = (
    ("licensing_periodic", 5 * 60),
    ("expire_invoices", 60 * 60),
    ("labourcards_daily", 24 * 60 * 60),
    ("contracts_daily", 60 * 60),
    ("labourcare_daily", 24 * 60 * 60),
    ("salary_files_resume", 5 * 60),
    ("purge_message_bodies", 24 * 60 * 60),
    ("audit_checkpoint", 24 * 60 * 60),  # every 5 minutes in production
)


SITE_ADDRESS_SETTINGS = ("DOCUMENTS_VERIFY_BASE_URL", "NOTIFICATIONS_SITE_URL")


def site_addresses(*, host: str, port: int) -> dict[str, str]:
    """The demo's own address for the links it prints (QR codes, notifications), where the
    environment does not give another one (a proxy in front, say)."""
    return {name: os.environ.get(name, f"http://{host}:{port}") for name in SITE_ADDRESS_SETTINGS}


class Periodic:
    """Starts each periodic command at once and then whenever its interval has passed, never
    while its previous run is still going."""

    def __init__(self, manage: list[str], *, now: float) -> None:
        self.manage = manage
        self.due = {name: now for name, _every in PERIODIC}
        self.running: dict[str, subprocess.Popen] = {}

    def tick(self, now: float) -> list[str]:
        """Start what is due; the names started."""
        started = []
        for name, every in PERIODIC:
            previous = self.running.get(name)
            if now < self.due[name] or (previous is not None and previous.poll() is None):
                continue
            self.running[name] = subprocess.Popen([*self.manage, name])
            self.due[name] = now + every
            started.append(name)
        return started

    def processes(self) -> list[subprocess.Popen]:
        return list(self.running.values())


class Command(BaseCommand):
    help = "Run the portal (granian), the task worker and the partner simulators together."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))

    def handle(self, *args, port, host, **options):
        os.environ.update(site_addresses(host=host, port=port))  # every child inherits them
        manage = [sys.executable, str(settings.PROJECT_DIR / "manage.py")]
        children = {
            "portal": [
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "wsgi",
                "--host",
                host,
                "--port",
                str(port),
                "--workers",
                "1",
                "--blocking-threads",
                "4",
                "manpower.wsgi:application",
            ],
            "task worker": [*manage, "db_worker"],
        }
        commands = get_commands()
        if "run_simulators" in commands:
            children["partner simulators"] = [*manage, "run_simulators"]
        if "deliver_outbox" in commands:
            children["webhook delivery"] = [*manage, "deliver_outbox"]
        processes = {name: subprocess.Popen(cmd) for name, cmd in children.items()}
        periodic = Periodic(manage, now=time.monotonic())
        self.stdout.write(self.style.SUCCESS(f"Portal at http://{host}:{port}/  (Ctrl-C stops)"))
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} stopped (exit {process.returncode}).")
                        stopping = True
                periodic.tick(time.monotonic())
                time.sleep(0.5)
        finally:
            everything = [*processes.values(), *periodic.processes()]
            for process in everything:
                if process.poll() is None:
                    process.terminate()
            for process in everything:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
