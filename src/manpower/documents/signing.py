"""Ed25519 signatures over a document's canonical payload.

The private key comes from the environment (`DOCUMENTS_SIGNING_KEY`: base64 of the 32-byte seed,
or a PEM private key). In development (`DEBUG` on) and only then, a key derived from SECRET_KEY
is used so that `make demo` needs no set-up. The public key is published at
`/verify/public-key.pem`, so anyone can check a document without asking us.
"""

from __future__ import annotations

import base64
import binascii
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from manpower.core.keys import ed25519_private_key, fingerprint

KEY_ENV = "DOCUMENTS_SIGNING_KEY"


def canonical(payload: dict) -> str:
    """The one text form of a payload that is signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def private_key() -> Ed25519PrivateKey:
    return ed25519_private_key(KEY_ENV, purpose="documents")


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_pem(key: Ed25519PublicKey | None = None) -> str:
    return (
        (key or public_key())
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def load_public_key_pem(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def key_id(key: Ed25519PublicKey | None = None) -> str:
    """A short fingerprint of the public key, stored with each document for key rotation."""
    return fingerprint(key or public_key())


def sign(text: str) -> str:
    return b64url(private_key().sign(text.encode()))


def is_genuine(text: str, signature: str, key: Ed25519PublicKey | None = None) -> bool:
    """True when `signature` (base64url) was made by the key over exactly `text`."""
    try:
        (key or public_key()).verify(unb64url(signature), text.encode())
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True
