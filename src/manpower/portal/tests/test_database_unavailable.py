"""A portal page whose database is unavailable answers a short bilingual 503, not a 500."""

import pytest
from django.db import OperationalError

from manpower.portal import selectors as portal_selectors


@pytest.mark.django_db
def test_a_portal_page_without_its_database_is_a_bilingual_503(client, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(portal_selectors, "headline", down)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    assert "The service is unavailable for a moment" in html and "للحظات" in html
