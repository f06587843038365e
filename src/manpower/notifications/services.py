"""Every write of notifications: sending a notice to a user, an establishment's representatives
or a household, and marking notices read.

A notice is written in the sender's transaction, so it exists exactly when the change it tells
of does; its e-mail goes only after that transaction commits (`transaction.on_commit`), so nobody
is told of a change that was rolled back. Neither sending nor reading is audited: the change a
notice tells of is audited by its own service, the notice row itself records who was told what
and when, and whether a user has read it changes no right or duty.

SMS is not sent: no SMS gateway is integrated yet.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import User
from manpower.core.actor import Actor
from manpower.core.errors import NotFound
from manpower.core.models import bilingual
from manpower.registry.models import Establishment, Person
from manpower.registry.selectors import representatives_of

from . import conf
from .models import Notification

logger = logging.getLogger(__name__)

SUBJECT_MAX = Notification._meta.get_field("subject_en").max_length


class NotificationNotFound(NotFound):
    code = "notification_not_found"


def site_url() -> str:
    """The portal's address, for the links in e-mails (a setting: it differs per deployment)."""
    return conf.SITE_URL.value.rstrip("/")


# --- Texts ---------------------------------------------------------------------------------------


def message(text, **params) -> Promise:
    """A translatable text with its parameters, rendered in whichever language is active when
    it is read: `message(_("Licence %(number)s issued"), number=...)` gives both languages.

    In a right-to-left language each value is a bidi isolate (FSI ... PDI), so that a number or
    an officer's reason typed in English keeps its own order inside the Arabic sentence.
    """

    def render() -> str:
        if not params:
            return str(text)
        if translation.get_language_bidi():
            return str(text) % {name: f"\u2068{value}\u2069" for name, value in params.items()}
        return str(text) % params

    return lazy(render, str)()


def localised(arabic: str, english: str) -> Promise:
    """A name kept in both languages (an establishment, a worker), for a message's parameter."""
    return lazy(lambda: bilingual(arabic, english), str)()


def _in_both(text) -> tuple[str, str]:
    with translation.override("ar"):
        arabic = str(text)
    with translation.override("en"):
        english = str(text)
    return arabic, english


# --- Sending -------------------------------------------------------------------------------------


def _notify(
    recipients: Iterable[User], *, subject, body, link: str, now: dt.datetime, key: str
) -> list[Notification]:
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"A notice links to a path of this site, not {link!r}.")
    subject_ar, subject_en = _in_both(subject)
    body_ar, body_en = _in_both(body)
    sent = []
    with transaction.atomic():
        recipients = list(recipients)
        already = (
            set(
                Notification.objects.filter(
                    idempotency_key=key, recipient__in=recipients
                ).values_list("recipient_id", flat=True)
            )
            if key
            else set()
        )
        for user in recipients:
            if user.pk in already:
                continue
            notification = Notification(
                recipient=user,
                subject_ar=subject_ar[:SUBJECT_MAX],
                subject_en=subject_en[:SUBJECT_MAX],
                body_ar=body_ar,
                body_en=body_en,
                link=link,
                idempotency_key=key,
                created_at=now,
            )
            try:
                with transaction.atomic():
                    notification.save(force_insert=True)
            except IntegrityError:
                if not key:
                    raise
                continue  # the same keyed notice was sent concurrently and committed first
            sent.append(notification)
        if sent:
            transaction.on_commit(
                partial(_email, [notification.pk for notification in sent], now), robust=True
            )
    return sent


def notify_user(
    *, user: User, subject, body, link: str = "", now: dt.datetime, key: str = ""
) -> Notification | None:
    """Tell one user; None when a notice with this `key` already reached them."""
    sent = _notify([user], subject=subject, body=body, link=link, now=now, key=key)
    return sent[0] if sent else None


def notify_establishment(
    *,
    establishment: Establishment,
    subject,
    body,
    link: str = "",
    now: dt.datetime,
    key: str = "",
) -> list[Notification]:
    """Tell every active representative of an establishment (one notice each)."""
    return _notify(
        representatives_of(establishment=establishment),
        subject=subject,
        body=body,
        link=link,
        now=now,
        key=key,
    )


def notify_household(
    *, household: Person, subject, body, link: str = "", now: dt.datetime, key: str = ""
) -> list[Notification]:
    """Tell the active users signed in under the household's civil number (the individual who
    applies for a private licence is registered so)."""
    users = (
        User.objects.filter(civil_number=household.civil_number, is_active=True).order_by("id")
        if household.civil_number
        else User.objects.none()
    )
    return _notify(users, subject=subject, body=body, link=link, now=now, key=key)


def _email(notification_ids: list[int], now: dt.datetime) -> None:
    """After commit: one e-mail per notice whose recipient has an address, in the recipient's
    language. A failed e-mail is logged and leaves `emailed_at` empty; the notice stays on the
    portal either way."""
    notifications = (
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("id")
    )
    with get_connection() as connection:
        for notification in notifications:
            recipient = notification.recipient
            with translation.override(recipient.language or settings.LANGUAGE_CODE):
                text = render_to_string(
                    "notifications/email.txt",
                    {"notification": notification, "site_url": site_url()},
                )
                subject = notification.subject
            try:
                send_mail(subject, text, None, [recipient.email], connection=connection)
            except Exception:  # one refused address must not stop the others
                logger.exception("Notice %s could not be e-mailed", notification.pk)
                continue
            Notification.objects.filter(pk=notification.pk).update(emailed_at=now)


# --- Reading -------------------------------------------------------------------------------------


def notification_mark_read(*, actor: Actor, notification_id: int, now: dt.datetime) -> None:
    """Mark one of the actor's own notices read; another user's is not found."""
    mine = Notification.objects.filter(pk=notification_id, recipient_id=actor.user_id)
    if not mine.filter(read_at__isnull=True).update(read_at=now) and not mine.exists():
        raise NotificationNotFound(_("This notification was not found in your account."))


def notifications_mark_all_read(*, actor: Actor, now: dt.datetime) -> int:
    """Mark all the actor's unread notices read; returns how many."""
    return Notification.objects.filter(recipient_id=actor.user_id, read_at__isnull=True).update(
        read_at=now
    )
