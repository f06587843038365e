import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from manpower.labourcards.tasks import run_daily


class Command(BaseCommand):
    help = (
        "Complete paid card requests and transfers, expire labour cards past their date, "
        "send reminders."
    )

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(run_daily(now=timezone.now())))
