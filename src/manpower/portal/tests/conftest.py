import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """The home page caches its figures; each test starts from the database."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english(client):
    client.cookies["manpower_language"] = "en"
    return client


@pytest.fixture
def figure():
    """A headline figure as pages show it: the number kept left-to-right, then its label."""

    def render(value, label):
        return (
            f'<span class="stat"><span class="ltr-data">{value}</span></span>'
            f'<span class="figure-label">{label}'
        )

    return render
