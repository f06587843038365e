"""Every read of notifications, scoped to the signed-in user: nobody reads another's notices."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Notification


def notifications_of(*, user) -> QuerySet[Notification]:
    """The user's own notices, newest first (the inbox index)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    """How many of the user's notices are unread (the partial index of unread notices)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
