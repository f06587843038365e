"""The signed-in user's notices through the public API (the mobile app), as on the portal's
notifications page: the same selector reads them, the same services mark them read."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from manpower.accounts.api_auth import api_actor, api_auth
from manpower.core.api import Pagination

from . import selectors, services

router = Router(auth=api_auth, tags=["notifications"])


class NotificationOut(Schema):
    id: int
    subject_ar: str
    subject_en: str
    body_ar: str
    body_en: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class UnreadOut(Schema):
    unread: int


@router.get("/notifications", response=list[NotificationOut])
@paginate(Pagination)
def notification_list(request, unread: bool = False):
    """The caller's notices, newest first; `?unread=true` for the unread ones only. `link` is a
    path of the portal where the notice's matter is handled."""
    notices = selectors.notifications_of(user=request.user)
    return notices.filter(read_at__isnull=True) if unread else notices


@router.get("/notifications/unread-count", response=UnreadOut)
def notification_unread_count(request):
    """The number the app shows on its badge."""
    return {"unread": selectors.unread_count(user=request.user)}


@router.post("/notifications/{int:notification_id}/read", response={204: None})
def notification_read(request, notification_id: int):
    """Mark one of the caller's notices read; another user's is a 404 problem."""
    services.notification_mark_read(
        actor=api_actor(request), notification_id=notification_id, now=timezone.now()
    )
    return Status(204, None)


@router.post("/notifications/read-all", response=UnreadOut)
def notification_read_all(request):
    """Mark all the caller's notices read; answers the unread count left (0)."""
    services.notifications_mark_all_read(actor=api_actor(request), now=timezone.now())
    return {"unread": selectors.unread_count(user=request.user)}
