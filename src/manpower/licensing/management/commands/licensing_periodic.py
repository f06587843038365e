"""Licensing's periodic work, for cron (every few minutes; see docs/deployment.md)."""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from manpower.core.actor import Actor
from manpower.licensing.services import applications_issue_paid, licences_expire


class Command(BaseCommand):
    help = "Issue the licences whose fee was paid and expire licences past their last day."

    def handle(self, *args, **options):
        now = timezone.now()
        report = {
            "issued": applications_issue_paid(actor=Actor.system("licence-issue"), now=now),
            "expired": licences_expire(actor=Actor.system("licence-expiry"), now=now),
        }
        self.stdout.write(json.dumps(report))
