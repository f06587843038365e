"""Reads about users, for the account pages, the sign-in form and the API."""

from __future__ import annotations

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import ApiToken, User


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first: the account page lists them and nobody else's."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def username_for_identifier(identifier: str) -> str:
    """Sign-in takes the username or the e-mail. Both are mapped to the username before
    `authenticate`, so the throttle counts failures per account, whichever spelling is typed."""
    identifier = identifier.strip()
    if "@" in identifier and not User.objects.filter(username=identifier).exists():
        usernames = list(
            User.objects.filter(email__iexact=identifier).values_list("username", flat=True)[:2]
        )
        if len(usernames) == 1:
            return usernames[0]
    return identifier


def totp_device_of(*, user: User) -> TOTPDevice | None:
    """The confirmed authenticator of the user, if they have enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
