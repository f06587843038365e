"""Who is acting, for whom, through which channel.

Every service function takes an `Actor`; the audit log and the statistics read it. It is built
once per request (or per task) and passed down, never looked up from a global.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "WEB", _("Web portal")
    MOBILE = "MOBILE", _("Mobile app")
    SANAD = "SANAD", _("Sanad service centre")
    PARTNER = "PARTNER", _("Partner agency")
    STAFF = "STAFF", _("Ministry staff")
    SYSTEM = "SYSTEM", _("System")


@dataclass(frozen=True)
class Actor:
    """The acting party of one service call.

    `user_id` is the signed-in user (None for the system or a partner); `label` is what the
    audit log shows; `on_behalf_of` names the principal, e.g. ("establishment", "1234567").
    """

    channel: str
    user_id: int | None = None
    label: str = ""
    on_behalf_of: tuple[str, str] | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        """A periodic job, a task or a management command."""
        return cls(channel=Channel.SYSTEM, label=label)

    @classmethod
    def for_user(
        cls,
        user,
        *,
        channel: str | None = None,
        on_behalf_of: tuple[str, str] | None = None,
        request_id: str | None = None,
    ) -> Actor:
        """A known user, on their own channel unless told (the accounts app derives it from the
        role): for the moment of sign-in, when the request's user is not yet the one signing
        in, and for tests. Requests use `from_request`."""
        return cls(
            channel=channel or getattr(user, "portal_channel", Channel.WEB),
            user_id=user.pk,
            label=user.get_username(),
            on_behalf_of=on_behalf_of,
            request_id=request_id or uuid.uuid4().hex,
        )

    @classmethod
    def from_request(cls, request, *, on_behalf_of: tuple[str, str] | None = None) -> Actor:
        """The signed-in user of a portal page or `/api/v1` call.

        The channel follows the route and the user: a bearer token is the mobile app (the API's
        authentication marks it on the request); otherwise the user's own channel, which the
        accounts app derives from the role (Sanad operator, ministry staff, or the web portal).
        """
        mobile = getattr(request, "auth_channel", None) == Channel.MOBILE
        return cls.for_user(
            request.user,
            channel=Channel.MOBILE if mobile else None,
            on_behalf_of=on_behalf_of,
            request_id=getattr(request, "request_id", None),
        )

    @classmethod
    def for_admin(cls, request) -> Actor:
        """A ministry staff member acting in the back-office (`/admin/`)."""
        return cls.for_user(
            request.user, channel=Channel.STAFF, request_id=getattr(request, "request_id", None)
        )

    @classmethod
    def for_partner(cls, request) -> Actor:
        """The agency whose partner key (`request.auth`) made the call."""
        code = request.auth.agency.code
        return cls(
            channel=Channel.PARTNER,
            label=f"partner:{code}",
            on_behalf_of=("agency", code),
            request_id=getattr(request, "request_id", None) or uuid.uuid4().hex,
        )

    @classmethod
    def anonymous(cls, request, *, label: str, channel: str = Channel.WEB) -> Actor:
        """Someone not yet signed in (a sign-in attempt, a password reset, a payer)."""
        return cls(
            channel=channel,
            label=label,
            request_id=getattr(request, "request_id", None) or uuid.uuid4().hex,
        )

    def acting_for(self, kind: str, key: str) -> Actor:
        return Actor(
            channel=self.channel,
            user_id=self.user_id,
            label=self.label,
            on_behalf_of=(kind, str(key)),
            request_id=self.request_id,
        )
