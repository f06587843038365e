"""Serve the demo: the portal under granian, the task worker, the webhook delivery worker and the
partner simulators, as child processes; Ctrl-C stops them all."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the portal (granian), the task worker and the partner simulators together."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))

    def handle(self, *args, port, host, **options):
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
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
