from django.db import connection
from django.http import JsonResponse
from django_tasks_db.models import DBTaskResult


def healthz(request):
    """Readiness for the load balancer: the database answers and the task queue is readable."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        DBTaskResult.objects.filter(status="READY").exists()
        checks["tasks"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["tasks"] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
