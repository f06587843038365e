"""Sign the heads of the audit chains and export the checkpoint, for cron (see
docs/deployment.md)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from manpower.integration.tasks import audit_checkpoint_run


class Command(BaseCommand):
    help = (
        "Sign the heads of all audit chains (AUDIT_CHECKPOINT_KEY), append the checkpoint to "
        "AUDIT_CHECKPOINT_DIR and publish audit.checkpoint_signed to subscribed agencies."
    )

    def handle(self, *args, **options):
        checkpoint = audit_checkpoint_run(now=timezone.now())
        covered = sum(seq for _chain, seq, _hash in checkpoint.heads)
        self.stdout.write(
            f"Checkpoint of {checkpoint.signed_at.isoformat()}: {len(checkpoint.heads)} chains, "
            f"{covered} events, key {checkpoint.key_id}."
        )
