import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from manpower.contracts.tasks import run_daily


class Command(BaseCommand):
    help = (
        "Decide contracts waiting for social insurance that it can now answer, and end the "
        "employments whose last working day has come."
    )

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(run_daily(now=timezone.now())))
