import datetime as dt

import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings

from manpower.core.actor import Actor, Channel

# Timing deadlines make property tests flaky on a loaded 2-core CI machine; they test logic.
hypothesis_settings.register_profile("manpower", deadline=None)
hypothesis_settings.load_profile("manpower")


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
