import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from manpower.labourcare.tasks import run_daily


class Command(BaseCommand):
    help = "Restore the services of establishments whose sanction after an inspection is over."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(run_daily(now=timezone.now())))
