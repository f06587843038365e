"""The notifications page and the unread badge: each user sees and marks only their own."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from manpower.accounts.models import Role
from manpower.notifications.models import Notification
from manpower.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def notice(user, n, *, at, read=False):
    return Notification.objects.create(
        recipient=user,
        subject_ar=f"إشعار {n}",
        subject_en=f"Notice {n}",
        body_ar=f"نص الإشعار {n}",
        body_en=f"Text of notice {n}",
        link=f"/licences/WP-{n}/",
        created_at=at,
        read_at=at if read else None,
    )


def sign_in(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)


@pytest.fixture
def user(db):
    return UserFactory(role=Role.ESTABLISHMENT_REP)


def test_the_page_needs_a_signed_in_user(client):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]


def test_the_list_shows_my_notices_newest_first_in_english(client, user, now):
    notice(user, 1, at=now - dt.timedelta(days=1), read=True)
    notice(user, 2, at=now)
    notice(UserFactory(), 3, at=now)
    sign_in(client, user)

    page = client.get(LIST).content.decode()

    assert page.index("Notice 2") < page.index("Notice 1")
    assert "Text of notice 2" in page and 'href="/licences/WP-2/"' in page
    assert "Notice 3" not in page
    assert page.count('class="notification unread"') == 1
    assert page.count("Mark as read") == 1 and "Mark all as read" in page


def test_the_list_in_arabic(client, user, now):
    notice(user, 1, at=now)
    sign_in(client, user, "ar")

    page = client.get(LIST).content.decode()

    assert 'dir="rtl"' in page and "إشعار 1" in page and "نص الإشعار 1" in page
    assert "Notice 1" not in page and "الإشعارات" in page


def test_the_list_is_paginated(client, user, now, settings):
    settings.PAGE_SIZE = 2
    for n in range(3):
        notice(user, n, at=now + dt.timedelta(minutes=n))
    sign_in(client, user)

    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()

    assert "Notice 2" in first and "Notice 1" in first and "Notice 0" not in first
    assert "Page 1 of 2" in first
    assert "Notice 0" in second and "Notice 2" not in second


def test_nobody_has_notices_yet(client, user):
    sign_in(client, user)
    page = client.get(LIST).content.decode()
    assert "You have no notifications." in page and "Mark all as read" not in page


def test_marking_one_read(client, user, now):
    unread = notice(user, 1, at=now)
    sign_in(client, user)

    response = client.post(reverse("notifications:read", args=[unread.pk]), {"next": LIST})

    assert response.status_code == 302 and response["Location"] == LIST
    unread.refresh_from_db()
    assert unread.read_at is not None


def test_marking_all_read(client, user, now):
    for n in range(3):
        notice(user, n, at=now)
    other = notice(UserFactory(), 9, at=now)
    sign_in(client, user)

    response = client.post(reverse("notifications:read-all"))

    assert response.status_code == 302 and response["Location"] == LIST
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_another_users_notice_is_not_found(client, user, now):
    theirs = notice(UserFactory(), 1, at=now)
    sign_in(client, user)

    response = client.post(reverse("notifications:read", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_is_a_post_with_a_csrf_token(user, now):
    unread = notice(user, 1, at=now)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, user)

    assert client.get(reverse("notifications:read", args=[unread.pk])).status_code == 405
    assert client.post(reverse("notifications:read", args=[unread.pk])).status_code == 403
    assert client.post(reverse("notifications:read-all")).status_code == 403
    unread.refresh_from_db()
    assert unread.read_at is None


def test_an_offsite_next_is_not_followed(client, user, now):
    unread = notice(user, 1, at=now)
    sign_in(client, user)
    response = client.post(
        reverse("notifications:read", args=[unread.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == LIST


def test_the_navigation_shows_the_unread_count(client, user, now):
    notice(user, 1, at=now)
    notice(user, 2, at=now)
    notice(user, 3, at=now, read=True)
    sign_in(client, user)

    page = client.get(reverse("portal:home")).content.decode()

    assert f'href="{LIST}"' in page
    assert '<span class="nav-count"><span class="visually-hidden">unread: </span>2</span>' in page


def test_no_badge_without_unread_notices(client, user, now):
    notice(user, 1, at=now, read=True)
    sign_in(client, user)
    page = client.get(reverse("portal:home")).content.decode()
    assert f'href="{LIST}"' in page and "nav-count" not in page


def test_anonymous_visitors_have_no_notifications_link(client):
    page = client.get(reverse("portal:home")).content.decode()
    assert f'href="{LIST}"' not in page


def test_the_badge_costs_one_query(client, user, now):
    notice(user, 1, at=now)
    sign_in(client, user)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("portal:home"))
    counted = [q for q in captured.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counted) == 1
