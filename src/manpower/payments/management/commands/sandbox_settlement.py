"""Write the sandbox gateway's settlement file for a day, as a real gateway would send it."""

import datetime as dt

from django.core.management.base import BaseCommand

from manpower.payments.selectors import sandbox_settlement_csv


class Command(BaseCommand):
    help = "Print the sandbox gateway's settlement CSV for a day (Muscat time)."

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, type=dt.date.fromisoformat)

    def handle(self, *args, date, **options):
        self.stdout.write(sandbox_settlement_csv(settlement_date=date), ending="")
