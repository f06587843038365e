"""The caller's API tokens: listed without secrets, issued once from the portal, revoked."""

import pytest
from django.test import Client
from django.utils import timezone

from manpower.accounts import services
from manpower.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/tokens"


@pytest.fixture
def user():
    return User.objects.create_user("amal", password="correct-horse-battery-9")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def issue(user, actor, name="phone"):
    return services.api_token_create(actor=actor, user=user, name=name, now=timezone.now())


def test_issuing_a_token_returns_the_key_once(signed_in, user):
    response = signed_in.post(TOKENS, {"name": "My phone"}, content_type="application/json")
    assert response.status_code == 201
    created = response.json()
    assert created["key"].startswith("mp_")
    assert created["name"] == "My phone"
    token = ApiToken.objects.get(user=user)
    assert token.pk == created["id"]
    assert token.key_hash == services.hash_token(created["key"])  # only the hash is kept

    listed = signed_in.get(TOKENS).json()
    assert listed["count"] == 1
    assert "key" not in listed["items"][0]
    assert "key_hash" not in listed["items"][0]
    # The key just issued works as a bearer token.
    headers = {"Authorization": f"Bearer {created['key']}"}
    assert Client().get(TOKENS, headers=headers).status_code == 200


def test_a_token_cannot_issue_tokens(client, user, system_actor):
    _, key = issue(user, system_actor)
    response = client.post(
        TOKENS,
        {"name": "another"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "session_required"
    assert ApiToken.objects.count() == 1


def test_a_blank_name_is_refused_and_nothing_is_issued(signed_in):
    response = signed_in.post(TOKENS, {"name": "   "}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "token_name_required"
    assert not ApiToken.objects.exists()


def test_a_missing_name_is_a_validation_problem_naming_the_field(signed_in):
    response = signed_in.post(TOKENS, {}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    assert [(e["field"], e["in"]) for e in body["errors"]] == [("name", "body")]
    assert "name" in body["detail_en"]


def test_the_list_shows_only_my_tokens_newest_first(signed_in, user, system_actor):
    other = User.objects.create_user("badr")
    issue(other, system_actor, name="not mine")
    first, _ = issue(user, system_actor, name="first")
    second, _ = issue(user, system_actor, name="second")
    items = signed_in.get(TOKENS).json()["items"]
    assert [t["id"] for t in items] == [second.pk, first.pk]


def test_revoking_my_token(signed_in, user, system_actor):
    token, key = issue(user, system_actor)
    response = signed_in.delete(f"{TOKENS}/{token.pk}")
    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.user_for_api_key(key=key, now=timezone.now()) is None


def test_another_users_token_is_not_found_and_stays_valid(signed_in, system_actor):
    other = User.objects.create_user("badr")
    token, key = issue(other, system_actor)
    response = signed_in.delete(f"{TOKENS}/{token.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "token_not_found"
    assert services.user_for_api_key(key=key, now=timezone.now()) == other
