from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult


def _check(probe) -> str:
    """ "ok", or the class of the error (never its message, which may hold connection details)."""
    try:
        probe()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _tasks():
    DBTaskResult.objects.filter(status="READY").exists()


@never_cache
@require_safe
def healthz(request):
    """Readiness for the load balancer: the database answers and the task queue is readable."""
    checks = {"database": _check(_database), "tasks": _check(_tasks)}
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
