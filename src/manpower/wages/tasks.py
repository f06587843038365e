"""Background work of the Wage Protection System, through Django's task API
(`manage.py db_worker`): the check of a received salary file."""

from django.utils import timezone
from django_tasks import task

from manpower.core.actor import Actor

from . import services


@task()
def salary_file_check(salary_file_id: int) -> str:
    """Check one received file (see `services.salary_file_check`); its final status. A file
    another worker has taken already is left to it."""
    try:
        checked = services.salary_file_check(
            actor=Actor.system("wps-check"), salary_file_id=salary_file_id, now=timezone.now()
        )
    except services.SalaryFileStatusChange:
        return "TAKEN"
    return checked.status


@task()
def salary_archive_check(archive_id: int) -> str:
    """Check one received (or stopped) archive (see `services.salary_archive_check`); its final
    status. An archive another worker finished meanwhile is left to it."""
    try:
        checked = services.salary_archive_check(
            actor=Actor.system("wps-check"), archive_id=archive_id, now=timezone.now()
        )
    except services.SalaryArchiveStatusChange:
        return "TAKEN"
    return checked.status


@task()
def salary_files_resume() -> int:
    """Enqueue the check of files and archives whose check was lost or stopped; schedule it
    every few minutes. How many were enqueued."""
    actor, now = Actor.system("wps-resume"), timezone.now()
    ids = services.salary_files_resume(actor=actor, now=now)
    for salary_file_id in ids:
        salary_file_check.enqueue(salary_file_id)
    archive_ids = services.salary_archives_resume(actor=actor, now=now)
    for archive_id in archive_ids:
        salary_archive_check.enqueue(archive_id)
    return len(ids) + len(archive_ids)


@task()
def wps_daily() -> dict:
    """The day's compliance, escalation and lifts (`services.wps_daily`); schedule it daily."""
    return services.wps_daily(actor=Actor.system("wps-daily"), now=timezone.now())
