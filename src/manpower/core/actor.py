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
        return cls(channel=Channel.SYSTEM, label=label)

    @classmethod
    def for_user(
        cls,
        user,
        *,
        channel: str = Channel.WEB,
        on_behalf_of: tuple[str, str] | None = None,
        request_id: str | None = None,
    ) -> Actor:
        return cls(
            channel=channel,
            user_id=user.pk,
            label=user.get_username(),
            on_behalf_of=on_behalf_of,
            request_id=request_id or uuid.uuid4().hex,
        )

    @classmethod
    def from_request(
        cls, request, *, channel: str = Channel.WEB, on_behalf_of: tuple[str, str] | None = None
    ) -> Actor:
        """The signed-in user of a portal or API request, with the request's id."""
        return cls.for_user(
            request.user,
            channel=channel,
            on_behalf_of=on_behalf_of,
            request_id=getattr(request, "request_id", None),
        )

    def acting_for(self, kind: str, key: str) -> Actor:
        return Actor(
            channel=self.channel,
            user_id=self.user_id,
            label=self.label,
            on_behalf_of=(kind, str(key)),
            request_id=self.request_id,
        )
