"""Notices through the public API (the mobile app): each user reads and marks only their own."""

import datetime as dt

import pytest
from django.utils import timezone

from manpower.accounts.models import Role
from manpower.accounts.services import api_token_create
from manpower.notifications.models import Notification
from manpower.notifications.tests.test_pages import notice
from manpower.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/notifications"


@pytest.fixture
def user(db):
    return UserFactory(role=Role.ESTABLISHMENT_REP)


@pytest.fixture
def app(client, user, system_actor):
    """The mobile app, signed in as `user` with a bearer token."""
    _, key = api_token_create(actor=system_actor, user=user, name="app", now=timezone.now())
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def test_the_app_lists_my_notices_newest_first_in_both_languages(app, user, now):
    notice(user, 1, at=now - dt.timedelta(days=1), read=True)
    notice(user, 2, at=now)
    notice(UserFactory(), 3, at=now)

    body = app.get(BASE).json()

    assert body["count"] == 2
    first = body["items"][0]
    assert (first["subject_en"], first["subject_ar"], first["body_en"]) == (
        "Notice 2",
        "إشعار 2",
        "Text of notice 2",
    )
    assert (first["link"], first["read_at"]) == ("/licences/WP-2/", None)
    assert body["items"][1]["subject_en"] == "Notice 1" and body["items"][1]["read_at"]
    unread = app.get(BASE, {"unread": "true"}).json()
    assert [n["subject_en"] for n in unread["items"]] == ["Notice 2"]
    assert app.get(BASE + "/unread-count").json() == {"unread": 1}


def test_the_list_is_paginated(app, user, now):
    for n in range(3):
        notice(user, n, at=now - dt.timedelta(minutes=n))

    page = app.get(BASE, {"limit": 2, "offset": 2}).json()

    assert (page["count"], [n["subject_en"] for n in page["items"]]) == (3, ["Notice 2"])
    assert app.get(BASE, {"limit": 0}).status_code == 422


def test_marking_read_one_then_all(app, user, now):
    one, two = notice(user, 1, at=now), notice(user, 2, at=now)

    assert app.post(f"{BASE}/{one.pk}/read").status_code == 204
    assert app.post(f"{BASE}/{one.pk}/read").status_code == 204  # again: harmless
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.read_at is not None and two.read_at is None

    assert app.post(f"{BASE}/read-all").json() == {"unread": 0}
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


def test_another_users_notice_is_not_found_and_stays_unread(app, now):
    theirs = notice(UserFactory(), 9, at=now)

    response = app.post(f"{BASE}/{theirs.pk}/read", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    problem = response.json()
    assert problem["code"] == "notification_not_found"
    assert problem["detail_ar"] != problem["detail_en"]
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_without_a_token_the_app_is_refused(client):
    response = client.get(BASE)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
