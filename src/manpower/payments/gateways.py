"""Payment gateway adapters.

A gateway hosts the card page, then tells us the outcome in a signed server-to-server call.
The sandbox gateway runs inside this server so that the whole flow can be tried and tested
without a bank; its secret is `PAYMENTS_SANDBOX_SECRET` (a development default, derived from
SECRET_KEY, is used only when DEBUG is on).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

SANDBOX = "sandbox"
SANDBOX_SECRET_ENV = "PAYMENTS_SANDBOX_SECRET"
SIGNATURE_HEADER = "X-Gateway-Signature"

# The sandbox's test cards and whether the bank accepts them.
TEST_CARDS = {"4111111111111111": True, "4000000000000002": False}


class Gateway(Protocol):
    name: str

    def payment_page_url(self, token: str) -> str: ...

    def sign(self, body: bytes) -> str: ...

    def is_authentic(self, body: bytes, signature: str) -> bool: ...


class HmacGateway:
    """A gateway whose callbacks carry an HMAC-SHA256 of the body in a header."""

    def __init__(self, name: str, secret_env: str) -> None:
        self.name = name
        self.secret_env = secret_env

    def secret(self) -> bytes:
        configured = os.environ.get(self.secret_env, "")
        if configured:
            return configured.encode()
        if settings.DEBUG:
            return hashlib.sha256(f"manpower-{self.name}|{settings.SECRET_KEY}".encode()).digest()
        raise ImproperlyConfigured(f"Set {self.secret_env} when DEBUG is off.")

    def sign(self, body: bytes) -> str:
        return hmac.new(self.secret(), body, hashlib.sha256).hexdigest()

    def is_authentic(self, body: bytes, signature: str) -> bool:
        return hmac.compare_digest(self.sign(body), signature or "")


class SandboxGateway(HmacGateway):
    def payment_page_url(self, token: str) -> str:
        return reverse("payments:sandbox-pay", kwargs={"token": token})


GATEWAYS: dict[str, Gateway] = {SANDBOX: SandboxGateway(SANDBOX, SANDBOX_SECRET_ENV)}


def gateway(name: str) -> Gateway:
    return GATEWAYS[name]
