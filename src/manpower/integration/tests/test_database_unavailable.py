"""The partner API answers a 503 problem, not a 500, while the database is unavailable."""

import pytest
from django.db import OperationalError

from manpower.core.tests.test_database_unavailable import assert_unavailable
from manpower.integration import services


@pytest.mark.django_db
def test_a_database_error_is_a_503_problem_on_the_partner_api(client, monkeypatch):
    def down(**kwargs):
        raise OperationalError("the database system is starting up")

    monkeypatch.setattr(services, "credential_for_key", down)
    response = client.get(
        "/api/partners/v1/establishments/1234567", HTTP_AUTHORIZATION="Bearer any-key"
    )
    assert_unavailable(response)


@pytest.mark.django_db
def test_a_message_log_row_that_cannot_be_written_is_a_503_not_a_500(client, monkeypatch):
    """The row is written after the answer, outside the API's own error handlers."""

    def down(**kwargs):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(services, "partner_exchange_record", down)
    response = client.get(
        "/api/partners/v1/establishments/1234567", HTTP_AUTHORIZATION="Bearer any-key"
    )
    assert_unavailable(response)
