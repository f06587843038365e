from django.core.management.base import BaseCommand, CommandError

from manpower.core.audit import verify_chain
from manpower.core.models import AuditChainHead, AuditEvent


class Command(BaseCommand):
    help = "Check the audit log's hash chains; report the first tampered or missing event."

    def handle(self, *args, **options):
        problem = verify_chain()
        if problem:
            raise CommandError(
                f"Audit chain {problem.chain} broken at event #{problem.seq}: {problem.reason}."
            )
        self.stdout.write(
            f"Audit chains intact: {AuditEvent.objects.count()} events "
            f"in {AuditChainHead.objects.count()} chains."
        )
