import datetime as dt

import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings

from manpower.core.actor import Actor, Channel
from manpower.payments.gateways import SANDBOX_SECRET_ENV

# Timing deadlines make property tests flaky on a loaded 2-core CI machine; they test logic.
hypothesis_settings.register_profile("manpower", deadline=None)
hypothesis_settings.load_profile("manpower")


@pytest.fixture(autouse=True)
def secrets_for_tests(monkeypatch, settings, tmp_path):
    """Tests run with DEBUG off, as production does, so they configure its secrets: the
    documents' signing key, the audit checkpoints' key (and their own checkpoint folder) and
    the sandbox payment gateway's secret."""
    monkeypatch.setenv("DOCUMENTS_SIGNING_KEY", "dGVzdC1vbmx5LWRvY3VtZW50LXNpZ25pbmcta2V5ISE=")
    monkeypatch.setenv("AUDIT_CHECKPOINT_KEY", "dGVzdC1vbmx5LWF1ZGl0LWNoZWNrcG9pbnQta2V5ISE=")
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    monkeypatch.setenv(SANDBOX_SECRET_ENV, "test-sandbox-secret")


@pytest.fixture
def now():
    return dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def system_actor():
    return Actor(channel=Channel.SYSTEM, label="test")


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` run only when DATABASE_URL points at PostgreSQL."""
    import os

    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"
