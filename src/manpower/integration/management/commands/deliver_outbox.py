"""The integration worker: send due webhooks and retry queued agency checks, in a loop."""

import os
import socket
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from manpower.integration import adapters, delivery


class Command(BaseCommand):
    help = "Deliver outbox events as signed webhooks (run as many as you like at once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--batch", type=int, default=50)
        parser.add_argument("--interval", type=float, default=1.0, help="idle sleep, seconds")
        parser.add_argument("--worker", default=f"{socket.gethostname()}:{os.getpid()}")

    def handle(self, *args, **options):
        checks_due = 0.0
        while True:
            sent = delivery.deliver_due(
                worker=options["worker"], now=timezone.now(), limit=options["batch"]
            )
            if time.monotonic() >= checks_due:
                adapters.run_queued_checks(now=timezone.now())
                checks_due = time.monotonic() + 30
            if options["once"]:
                self.stdout.write(f"Attempted {sent} deliveries.")
                return
            if not sent:
                time.sleep(options["interval"])
