"""Ed25519 private keys from the environment, for what the platform signs.

A key is base64 of its 32-byte seed, or a PEM private key. In development (`DEBUG` on) and only
then, a missing key is derived from SECRET_KEY and the key's purpose, so that `make demo` needs
no set-up; with `DEBUG` off it must be set (settings.py refuses to start without it).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def ed25519_private_key(env_name: str, *, purpose: str) -> Ed25519PrivateKey:
    return _load(
        os.environ.get(env_name, "").strip(), env_name, purpose, settings.DEBUG, settings.SECRET_KEY
    )


@functools.cache
def _load(
    configured: str, env_name: str, purpose: str, debug: bool, secret_key: str
) -> Ed25519PrivateKey:
    if configured.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(configured.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured(f"{env_name} must be an Ed25519 key.")
        return key
    if configured:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(configured))
    if debug:
        seed = hashlib.sha256(f"manpower-{purpose}-dev|{secret_key}".encode()).digest()
        return Ed25519PrivateKey.from_private_bytes(seed)
    raise ImproperlyConfigured(f"Set {env_name} to sign {purpose} when DEBUG is off.")


def fingerprint(key: Ed25519PublicKey) -> str:
    """A short fingerprint of a public key, kept with what it signed, for key rotation."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]
