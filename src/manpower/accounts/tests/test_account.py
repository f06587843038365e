"""The account page: who I am, and my API tokens for the mobile app."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from manpower.accounts.models import ApiToken, Role
from manpower.accounts.services import user_for_api_key

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
CREATE = reverse("accounts:token-create")
CREATED = reverse("accounts:token-created")


@pytest.fixture
def amal(django_user_model):
    return django_user_model.objects.create_user(
        username="amal",
        password="correct-horse-battery-9",
        role=Role.ESTABLISHMENT_REP,
        full_name_ar="أمل البلوشية",
        full_name_en="Amal Al Balushi",
        language="en",  # a signed-in user's own language wins over the browser's
    )


@pytest.fixture
def signed_in(client, amal):
    client.force_login(amal)
    return client


def create_token(client, name="Amal's phone"):
    return client.post(CREATE, {"name": name})


def test_account_page_needs_sign_in(client):
    assert client.get(PROFILE).url.startswith(reverse("accounts:sign-in"))


def test_account_page_says_who_i_am_and_my_role(signed_in):
    html = signed_in.get(PROFILE).content.decode()
    assert "Amal Al Balushi" in html
    assert "Establishment representative" in html
    assert "You have no tokens yet." in html


def test_account_page_in_arabic(signed_in, amal):
    amal.language = "ar"
    amal.save()
    html = signed_in.get(PROFILE).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "أمل البلوشية" in html
    assert "حسابي" in html


def test_a_new_token_key_is_shown_once_and_authenticates(signed_in, amal):
    response = create_token(signed_in)
    assert response.url == CREATED
    page = signed_in.get(CREATED).content.decode()
    key = re.search(r'value="(mp_[^"]+)"', page)[1]
    assert user_for_api_key(key=key, now=timezone.now()) == amal

    # Never again: a reload goes back to the account page, which shows only the prefix.
    assert signed_in.get(CREATED).url == PROFILE
    listing = signed_in.get(PROFILE).content.decode()
    assert key not in listing
    assert key[:10] in listing
    assert "Amal&#x27;s phone" in listing
    assert "Never" not in listing  # it was used above: the time shows instead


def test_a_token_needs_a_name(signed_in):
    response = create_token(signed_in, name="   ")
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_my_token_stops_it_working(signed_in):
    create_token(signed_in)
    key = re.search(r'value="(mp_[^"]+)"', signed_in.get(CREATED).content.decode())[1]
    token = ApiToken.objects.get()
    response = signed_in.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.url == PROFILE
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert user_for_api_key(key=key, now=timezone.now()) is None
    html = signed_in.get(PROFILE).content.decode()
    assert "Revoked on" in html


def test_revoke_is_post_only(signed_in):
    create_token(signed_in)
    token = ApiToken.objects.get()
    assert signed_in.get(reverse("accounts:token-revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_another_users_token_is_not_found(client, django_user_model, signed_in):
    other = django_user_model.objects.create_user(username="badr", password="x-long-pass-1234")
    client.force_login(other)
    create_token(client, "Badr's phone")
    token = ApiToken.objects.get(user=other)

    client.force_login(django_user_model.objects.get(username="amal"))
    response = client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "Badr" not in client.get(PROFILE).content.decode()


def test_token_pages_need_sign_in(client):
    assert client.post(CREATE, {"name": "x"}).url.startswith(reverse("accounts:sign-in"))
    assert not ApiToken.objects.exists()
