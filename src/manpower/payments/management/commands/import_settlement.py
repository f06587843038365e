"""Import a gateway's daily settlement file and print what does not match our payments."""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.payments import gateways
from manpower.payments.services import settlement_import


class Command(BaseCommand):
    help = (
        "Reconcile a gateway settlement CSV (transaction_id,invoice_number,amount_omr,settled_at)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--date", required=True, type=dt.date.fromisoformat)
        parser.add_argument("--gateway", default=gateways.SANDBOX, choices=list(gateways.GATEWAYS))

    def handle(self, *args, file, date, gateway, **options):
        try:
            report = settlement_import(
                actor=Actor.system("settlement-import"),
                now=timezone.now(),
                gateway=gateway,
                settlement_date=date,
                csv_text=Path(file).read_text(encoding="utf-8"),
            )
        except DomainError as error:
            raise CommandError(error.text("en")) from error
        summary = {
            "matched": report.matched,
            "missing_ours": report.missing_ours,
            "missing_gateway": report.missing_gateway,
            "amount_mismatches": report.amount_mismatches,
        }
        self.stdout.write(json.dumps(summary, indent=2))
