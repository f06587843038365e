from django.core.management.base import BaseCommand
from django.utils import timezone

from manpower.jobs.services import vacancies_unpublish


class Command(BaseCommand):
    help = "Take out of the search the vacancies past their closing date or with every post filled."

    def handle(self, *args, **options):
        count = vacancies_unpublish(now=timezone.now())
        self.stdout.write(f"{count} vacancy(ies) unpublished.")
