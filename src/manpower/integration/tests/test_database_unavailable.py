"""The partner API answers a 503 problem, not a 500, while the database is unavailable."""

import pytest
from django.db import OperationalError

from manpower.core.tests.test_database_unavailable import assert_unavailable
from manpower.integration import services


@pytest.mark.django_db
@pytest.mark.parametrize(
    "failing",
    # The key's look-up, inside the API; the message-log row, written after the answer,
    # outside the API's own error handlers.
    ["credential_for_key", "partner_exchange_record"],
)
def test_a_database_error_is_a_503_problem_on_the_partner_api(client, monkeypatch, failing):
    def down(**kwargs):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(services, failing, down)
    response = client.get(
        "/api/partners/v1/establishments/1234567", HTTP_AUTHORIZATION="Bearer any-key"
    )
    assert_unavailable(response)
