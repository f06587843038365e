"""Who may call the API: bearer tokens for the mobile app, the session for the portal's pages."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from manpower.accounts import services
from manpower.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/tokens"
ARABIC = re.compile("[\u0600-\u06ff]")


@pytest.fixture
def user():
    return User.objects.create_user("amal", password="correct-horse-battery-9", language="en")


@pytest.fixture
def key(user, system_actor):
    return services.api_token_create(
        actor=system_actor, user=user, name="phone", now=timezone.now()
    )[1]


def bearer(key):
    return {"Authorization": f"Bearer {key}"}


def assert_problem(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith(code)
    assert body["detail"] and body["detail_ar"] and body["detail_en"]
    assert body["instance"] == response.request["PATH_INFO"]
    assert body["request_id"] == response["X-Request-ID"]
    return body


def test_a_valid_bearer_token_authenticates(client, key):
    response = client.get(TOKENS, headers=bearer(key))
    assert response.status_code == 200
    assert [t["name"] for t in response.json()["items"]] == ["phone"]


def test_an_unknown_token_is_refused_with_a_problem(client):
    response = client.get(TOKENS, headers=bearer("mp_not-a-real-key"))
    body = assert_problem(response, 401, "invalid_token")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert body["detail_en"] == "The API token is unknown, expired or revoked."
    assert ARABIC.search(body["detail_ar"])


def test_an_expired_token_is_refused(client, user, system_actor):
    long_ago = timezone.now() - dt.timedelta(days=400)
    _, key = services.api_token_create(actor=system_actor, user=user, name="old", now=long_ago)
    assert_problem(client.get(TOKENS, headers=bearer(key)), 401, "invalid_token")


def test_a_revoked_token_is_refused(client, user, key, system_actor):
    token = ApiToken.objects.get(user=user)
    services.api_token_revoke(actor=system_actor, user=user, token_id=token.pk, now=timezone.now())
    assert_problem(client.get(TOKENS, headers=bearer(key)), 401, "invalid_token")


def test_a_token_of_a_deactivated_user_is_refused(client, user, key):
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert_problem(client.get(TOKENS, headers=bearer(key)), 401, "invalid_token")


def test_no_credentials_at_all_is_401(client):
    assert_problem(client.get(TOKENS), 401, "not_authenticated")


def test_the_portal_session_authenticates(client, user):
    client.force_login(user)
    assert client.get(TOKENS).status_code == 200


def test_a_session_post_without_the_csrf_token_is_refused(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(TOKENS, {"name": "laptop"}, content_type="application/json")
    assert_problem(response, 403, "csrf_failed")
    assert not ApiToken.objects.exists()


def test_a_session_post_with_the_csrf_token_is_accepted(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    secret = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    response = client.post(
        TOKENS, {"name": "laptop"}, content_type="application/json", headers={"X-CSRFToken": secret}
    )
    assert response.status_code == 201


def test_a_token_needs_no_csrf_token(user, key):
    client = Client(enforce_csrf_checks=True)
    token = ApiToken.objects.get(user=user)
    response = client.delete(f"{TOKENS}/{token.pk}", headers=bearer(key))
    assert response.status_code == 204


@pytest.mark.parametrize("language", ["ar", "en"])
def test_an_anonymous_caller_gets_the_language_it_asks_for(client, language):
    response = client.get(TOKENS, headers={"Accept-Language": language})
    assert response["Content-Language"] == language
    body = response.json()
    assert body["detail"] == body[f"detail_{language}"]


def test_a_token_user_gets_the_language_of_their_profile(client, key):
    """As in the portal: the language chosen in the profile wins over the device's."""
    response = client.get(TOKENS, headers={**bearer(key), "Accept-Language": "ar"})
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
