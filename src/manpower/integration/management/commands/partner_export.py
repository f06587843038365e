"""Export a CSV file for an agency: `partner_export chamber --kind establishments`."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.integration import services, tasks
from manpower.integration.files import EXPORT_COLUMNS


class Command(BaseCommand):
    help = "Export the events or records an agency may have as CSV (stored; it downloads it)."

    def add_arguments(self, parser):
        parser.add_argument("agency", help="agency code, e.g. chamber")
        parser.add_argument("--kind", choices=sorted(EXPORT_COLUMNS), default="events")
        parser.add_argument(
            "--since",
            type=dt.datetime.fromisoformat,
            default=None,
            help="ISO time (default: the time of the agency's previous export of this kind)",
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="queue it for `db_worker` instead of now"
        )

    def handle(self, *args, **options):
        since = options["since"]
        if since is not None and timezone.is_naive(since):
            since = timezone.make_aware(since)
        if options["enqueue"]:
            result = tasks.partner_export.enqueue(
                options["agency"], options["kind"], since.isoformat() if since else None
            )
            self.stdout.write(f"Queued as task {result.id}.")
            return
        try:
            exported = services.partner_export(
                actor=Actor.system("manage.py partner_export"),
                agency=services.agency_by_code(options["agency"]),
                kind=options["kind"],
                since=since,
                now=timezone.now(),
            )
        except DomainError as exc:
            raise CommandError(exc.text("en")) from exc
        self.stdout.write(
            f"File {exported.pk}: {exported.name}, {exported.row_count} lines, "
            f"sha256 {exported.sha256}."
        )
