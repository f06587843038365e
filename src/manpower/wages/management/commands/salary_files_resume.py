from django.core.management.base import BaseCommand

from manpower.wages.tasks import salary_files_resume


class Command(BaseCommand):
    help = (
        "Enqueue again the check of salary files whose check was lost or stopped half-way "
        "(run every few minutes)."
    )

    def handle(self, *args, **options):
        count = salary_files_resume.call()
        self.stdout.write(f"{count} salary file(s) enqueued again.")
