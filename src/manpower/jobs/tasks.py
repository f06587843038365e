"""Background work of the job market."""

from django.utils import timezone
from django_tasks import task

from .services import vacancies_unpublish


@task()
def unpublish_vacancies() -> int:
    """Close vacancies past their date and fill those without posts; schedule it hourly."""
    return vacancies_unpublish(now=timezone.now())
