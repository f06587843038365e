"""Blank message bodies past the retention period (INTEGRATION_BODY_RETENTION_DAYS)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from manpower.integration import services


class Command(BaseCommand):
    help = "Blank request/response bodies of old exchanges; the log rows stay."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override the retention")

    def handle(self, *args, **options):
        count = services.purge_message_bodies(now=timezone.now(), days=options["days"])
        self.stdout.write(f"Blanked the bodies of {count} exchanges.")
