"""Licensing's periodic work, for cron (every few minutes; see docs/deployment.md)."""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from manpower.licensing.tasks import run_periodic


class Command(BaseCommand):
    help = "Issue the licences whose fee was paid and expire licences past their last day."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(run_periodic(now=timezone.now())))
