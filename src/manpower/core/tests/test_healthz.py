"""The load balancer's readiness check."""

import pytest

from manpower.core.views import _check

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database_and_the_task_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "tasks": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_a_failing_check_names_the_error_class_only():
    def unreadable():
        raise PermissionError("password=hunter2")

    assert _check(unreadable) == "error: PermissionError"
