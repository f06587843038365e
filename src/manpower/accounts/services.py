"""Writes about users: API tokens for the mobile app."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import DomainError, NotFound

from .models import ApiToken, User

TOKEN_PREFIX = "mp_"


class TokenNameRequired(DomainError):
    code = "token_name_required"


class TokenNotFound(NotFound):
    code = "token_not_found"


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: Actor, user: User, name: str, now: dt.datetime, days: int | None = None
) -> tuple[ApiToken, str]:
    """Issue a token; the returned key is shown to the user once and never stored."""
    name = name.strip()
    if not name:
        raise TokenNameRequired(_("Give the token a name, such as the device it is for."))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=key[:10],
        key_hash=hash_token(key),
        created_at=now,
        expires_at=now + dt.timedelta(days=days or settings.API_TOKEN_DEFAULT_DAYS),
    )
    audit.record(
        actor=actor, action="api_token.created", obj=token, at=now, changes={"name": [None, name]}
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Actor, user: User, token_id: int, now: dt.datetime) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        raise TokenNotFound(_("No such token in your account."))
    if token.revoked_at is None:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="api_token.revoked",
            obj=token,
            at=now,
            changes={"revoked_at": [None, now.isoformat()]},
        )
    return token


def user_for_api_key(*, key: str, now: dt.datetime) -> User | None:
    """The active user behind a bearer key, or None for an unknown, expired or revoked key."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(key), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
