import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from manpower.core.actor import Actor
from manpower.wages import services


class Command(BaseCommand):
    help = (
        "The Wage Protection System's day: recompute the compliance of every establishment for "
        "the months still on the escalation ladder, take the steps now due, lift the "
        "suspensions of establishments compliant again (run daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="The moment to run as (ISO 8601, e.g. 2026-12-04T06:00:00+00:00)."
        )

    def handle(self, *args, **options):
        now = timezone.now()
        if options["now"]:
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(f"--now is not an ISO 8601 moment: {options['now']}") from exc
            if timezone.is_naive(now):
                raise CommandError("--now needs a UTC offset, e.g. +00:00.")
        done = services.wps_daily(actor=Actor.system("wps-daily"), now=now)
        self.stdout.write(
            f"{done['computed']} establishment-month(s) judged, {done['sanctions']} sanction(s) "
            f"taken, {done['lifted']} suspension(s) lifted."
        )
