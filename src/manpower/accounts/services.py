"""Writes about users: API tokens for the mobile app, the second factor, the chosen language,
staff roles."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import DomainError, NotFound, required_reason

from .models import ApiToken, Role, User
from .permissions import StaffAction, require_staff_action
from .selectors import totp_device_of

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


def needs_second_factor(user: User) -> bool:
    """Ministry staff, college registrars (they load students' records) and anyone who may open
    the admin site sign in with a TOTP code too."""
    return (
        user.is_ministry_staff
        or user.role == Role.COLLEGE_REGISTRAR
        or user.is_staff
        or user.is_superuser
    )


class AlreadyEnrolled(DomainError):
    code = "totp_already_enrolled"


@transaction.atomic
def totp_device_for_enrolment(*, actor: Actor, user: User, now: dt.datetime) -> TOTPDevice:
    """The unconfirmed device whose secret the user puts in their app; the same one on reload,
    so the QR code they scanned stays valid until they confirm it."""
    if totp_device_of(user=user) is not None:
        raise AlreadyEnrolled(_("You already have an authenticator app."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
        audit.record(actor=actor, action="totp_device.created", obj=device, at=now)
    return device


@transaction.atomic
def totp_device_confirm(*, actor: Actor, device: TOTPDevice, code: str, now: dt.datetime) -> bool:
    """Confirm the device with a code from the app: proof that the user holds the secret."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.confirmed or not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(
        actor=actor,
        action="totp_device.confirmed",
        obj=device,
        at=now,
        changes={"confirmed": [False, True]},
    )
    return True


def totp_verify(*, user: User, code: str) -> TOTPDevice | None:
    """The user's confirmed device if `code` is its current code. django-otp refuses a code at or
    before the last accepted time step (no replay) and slows down repeated failures."""
    device = totp_device_of(user=user)
    if device is None:
        return None
    return verify_token(user, device.persistent_id, code)


@transaction.atomic
def user_set_language(*, actor: Actor, user: User, language: str, now: dt.datetime) -> None:
    """Keep the language on the account, so it follows the user to any browser or phone."""
    if language not in dict(settings.LANGUAGES) or language == user.language:
        return
    before = user.language
    user.language = language
    user.save(update_fields=["language"])
    audit.record(
        actor=actor,
        action="user.language_changed",
        obj=user,
        at=now,
        changes={"language": [before, language]},
    )


class OwnRoleUnchangeable(DomainError):
    code = "own_role_unchangeable"
    status = 403


class DepartmentRequired(DomainError):
    code = "department_required"


@transaction.atomic
def staff_role_change(
    *, actor: Actor, user: User, role: str, department: str, reason: str, now: dt.datetime
) -> User:
    """Give an account another role or department. An administrator may not change their own
    (nobody raises themselves); an officer belongs to a department."""
    require_staff_action(actor=actor, action=StaffAction.MANAGE_ACCOUNTS)
    reason = required_reason(reason)
    if user.pk == actor.user_id:
        raise OwnRoleUnchangeable(_("You cannot change your own role or department."))
    if role == Role.OFFICER and not department:
        raise DepartmentRequired(_("An officer belongs to a department: choose one."))
    user = User.objects.select_for_update().get(pk=user.pk)
    before = audit.snapshot(user, ["role", "department"])
    user.role, user.department = role, department
    user.save(update_fields=["role", "department"])
    changes = audit.changes_between(before, audit.snapshot(user, ["role", "department"]))
    audit.record(
        actor=actor,
        action="user.role_changed",
        obj=user,
        at=now,
        changes={**changes, "reason": [None, reason]},
    )
    return user
