"""Background work of the Wage Protection System, through Django's task API
(`manage.py db_worker`): the check of a received salary file."""

from django.utils import timezone
from django_tasks import task

from manpower.core.actor import Actor

from . import services


@task()
def salary_file_check(salary_file_id: int) -> str:
    """Check one received file (see `services.salary_file_check`); its final status."""
    checked = services.salary_file_check(
        actor=Actor.system("wps-check"), salary_file_id=salary_file_id, now=timezone.now()
    )
    return checked.status
