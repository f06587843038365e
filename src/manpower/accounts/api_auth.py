"""Who is calling the API: the mobile app with a bearer token, or the portal's own pages.

Each class records the channel on the request (`request.auth_channel`) so that services get the
right `Actor` and endpoints that need a signed-in browser can refuse a token.
"""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from manpower.core.actor import Actor, Channel
from manpower.core.errors import DomainError, PermissionDenied

from .services import user_for_api_key


class InvalidApiToken(DomainError):
    code = "invalid_token"
    status = 401


class CsrfFailed(PermissionDenied):
    code = "csrf_failed"


class SessionRequired(PermissionDenied):
    code = "session_required"


class BearerAuth(HttpBearer):
    """`Authorization: Bearer mp_…`. A token that is given but not valid is refused outright
    (401) rather than falling through to the session, so a client learns that its token died."""

    def authenticate(self, request, token: str):
        user = user_for_api_key(key=token, now=timezone.now())
        if user is None:
            raise InvalidApiToken(_("The API token is unknown, expired or revoked."))
        request.user = user
        request.auth_channel = Channel.MOBILE
        # The session middleware could not know this user: apply their language here.
        if user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return user


class SessionAuth(NinjaSessionAuth):
    """The portal's session cookie; unsafe methods need the CSRF token as in any Django form.

    An anonymous caller gets 401 (not a CSRF failure), so the answer says what is missing.
    """

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise CsrfFailed(
                _("The security token (CSRF) of the page is missing or wrong. Reload the page.")
            )
        request.auth_channel = Channel.WEB
        return request.user


bearer = BearerAuth()
session = SessionAuth()
api_auth = [bearer, session]


def require_session(request) -> None:
    """For actions a token must not do (such as issuing tokens): the browser session only."""
    if getattr(request, "auth_channel", None) != Channel.WEB:
        raise SessionRequired(_("Sign in to the portal to do this; an API token cannot."))


def api_actor(request) -> Actor:
    """The `Actor` of an authenticated API request, on the channel it came through."""
    return Actor.from_request(request)
