"""The message log: one row per exchange with another agency, in or out, with a hash of the body.

Written by the partner API, the outbound adapters and the webhook worker; it imports none of
them, so the worker does not depend on the services that publish events to it.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from manpower.core.middleware import storable

from . import conf
from .models import Agency, MessageLog, PartnerCredential


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode()
    return hashlib.sha256(data).hexdigest()


def log_row(
    *,
    direction: str,
    method: str,
    endpoint: str,
    request_id: str,
    now: dt.datetime,
    duration_ms: int,
    status_code: int | None,
    request_body: bytes = b"",
    response_body: bytes = b"",
    agency: Agency | None = None,
    credential: PartnerCredential | None = None,
    error: str = "",
) -> dict:
    """The message-log columns of one exchange; the hash covers the body sent (out) or got (in).

    Bodies are kept up to INTEGRATION_LOG_BODY_MAX_BYTES (files can be large; the hash covers
    the whole request body, and a file's own SHA-256 is on its FileExchange row).
    """
    keep = conf.LOG_BODY_MAX_BYTES.value
    return {
        "agency_id": agency.pk if agency else (credential.agency_id if credential else None),
        "credential_id": credential.pk if credential else None,
        "direction": direction,
        "method": method,
        "endpoint": storable(endpoint[:500]),
        "request_id": request_id[:64],
        "occurred_at": now,
        "payload_hash": sha256_hex(request_body),
        "status_code": status_code,
        "duration_ms": max(0, duration_ms),
        "request_body": storable(request_body[:keep].decode("utf-8", "replace")),
        "response_body": storable(response_body[:keep].decode("utf-8", "replace")),
        "error": storable(error[:500]),
    }


def log_exchange(**exchange) -> MessageLog:
    """Record one exchange (the arguments of `log_row`)."""
    return MessageLog.objects.create(**log_row(**exchange))
