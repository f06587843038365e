from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from manpower.core import audit, checkpoints
from manpower.core.models import AuditChainHead, AuditEvent


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chains and the latest signed checkpoint; report every "
        "tampered or missing event, each with its chain and event."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            type=Path,
            help="A checkpoint file or directory (e.g. an agency's copy); "
            "by default AUDIT_CHECKPOINT_DIR.",
        )

    def handle(self, *args, **options):
        reading = checkpoints.latest_checkpoint(options["checkpoints"])
        problems = [str(problem) for problem in audit.chain_problems()]
        if reading.latest:
            problems += [str(p) for p in checkpoints.checkpoint_problems(reading.latest)]
        problems += [f"Checkpoint refused: {line}." for line in reading.refused]
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the audit log.")
        covered = (
            f"against the checkpoint of {reading.latest.signed_at.isoformat()}"
            if reading.latest
            else "without a signed checkpoint (none found: run audit_checkpoint)"
        )
        self.stdout.write(
            f"Audit chains intact: {AuditEvent.objects.count()} events "
            f"in {AuditChainHead.objects.count()} chains, {covered}."
        )
