"""The partner API answers a 503 problem, not a 500, while the database is unavailable."""

import pytest
from django.db import OperationalError

from manpower.core.tests.test_database_unavailable import assert_unavailable
from manpower.integration import services


@pytest.mark.django_db
def test_a_database_error_is_a_503_problem_on_the_partner_api(client, monkeypatch, issue_key):
    key = issue_key("rop", scopes=("registry",))

    def down(**kwargs):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(services, "rate_limit_check", down)
    response = client.get(
        "/api/partners/v1/establishments/1234567", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert_unavailable(response)
