"""Every write of the integration app: partner keys, the rate limit, the message log, the outbox."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import DomainError, NotFound

from .models import (
    Agency,
    Delivery,
    MessageLog,
    OutboxEvent,
    PartnerCredential,
    RateWindow,
    Scope,
    Subscription,
)

KEY_PREFIX = "mpp_"


def setting(name: str, default):
    """An integration setting, with its default when the project does not set it."""
    return getattr(settings, name, default)


class AgencyNotFound(NotFound):
    code = "agency_not_found"


class UnknownScope(DomainError):
    code = "unknown_scope"


class CredentialNotFound(NotFound):
    code = "credential_not_found"


class InvalidCredential(DomainError):
    code = "invalid_credential"
    status = 401


class ScopeMissing(DomainError):
    code = "scope_missing"
    status = 403


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode()
    return hashlib.sha256(data).hexdigest()


def agency_by_code(code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise AgencyNotFound(_("There is no agency with the code %(agency)s."), agency=code)
    return agency


def partner_key_create(
    *,
    actor: Actor,
    agency: Agency,
    scopes: Iterable[str],
    now: dt.datetime,
    days: int | None = None,
    rate_limit_per_minute: int | None = None,
) -> tuple[PartnerCredential, str]:
    """Issue a key; the returned key is shown once and only its SHA-256 is kept."""
    scopes = sorted({s.strip() for s in scopes if s.strip()})
    unknown = [s for s in scopes if s not in Scope.values]
    if not scopes or unknown:
        raise UnknownScope(
            _("Give one or more of these scopes: %(known)s (unknown: %(unknown)s)."),
            known=", ".join(Scope.values),
            unknown=", ".join(unknown) or "-",
        )
    days = days or setting("INTEGRATION_KEY_DEFAULT_DAYS", 365)
    prefix = KEY_PREFIX + secrets.token_hex(4)
    key = f"{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        credential = PartnerCredential.objects.create(
            agency=agency,
            prefix=prefix,
            key_hash=sha256_hex(key),
            scopes=scopes,
            rate_limit_per_minute=rate_limit_per_minute,
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
        audit.record(
            actor=actor,
            action="partner_key.created",
            obj=credential,
            at=now,
            changes={"agency": [None, agency.code], "scopes": [None, scopes]},
        )
    return credential, key


def partner_key_revoke(*, actor: Actor, prefix: str, now: dt.datetime) -> PartnerCredential:
    with transaction.atomic():
        credential = PartnerCredential.objects.select_for_update().filter(prefix=prefix).first()
        if credential is None:
            raise CredentialNotFound(_("There is no partner key %(prefix)s."), prefix=prefix)
        if credential.revoked_at is None:
            credential.revoked_at = now
            credential.save(update_fields=["revoked_at"])
            audit.record(
                actor=actor,
                action="partner_key.revoked",
                obj=credential,
                at=now,
                changes={"revoked_at": [None, now]},
            )
    return credential


def credential_for_key(*, key: str, now: dt.datetime) -> PartnerCredential:
    """The live credential of a bearer key, or InvalidCredential (unknown, expired or revoked)."""
    credential = (
        PartnerCredential.objects.select_related("agency")
        .filter(key_hash=sha256_hex(key), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if credential is None:
        raise InvalidCredential(_("The API key is unknown, expired or revoked."))
    if credential.last_used_at is None or now - credential.last_used_at > dt.timedelta(minutes=5):
        PartnerCredential.objects.filter(pk=credential.pk).update(last_used_at=now)
    return credential


def require_scope(credential: PartnerCredential, allowed: Iterable[str]) -> set[str]:
    """The scopes of the key that open this endpoint; ScopeMissing when there is none."""
    granted = set(credential.scopes) & set(allowed)
    if not granted:
        raise ScopeMissing(
            _("This key lacks the scope this endpoint needs (one of: %(scopes)s)."),
            scopes=", ".join(sorted(allowed)),
        )
    return granted


def rate_limit_hit(*, credential: PartnerCredential, now: dt.datetime) -> int:
    """Count one request in the key's current minute (one upsert); RateLimited past the limit."""
    limit = credential.rate_limit_per_minute or setting("INTEGRATION_RATE_LIMIT_PER_MINUTE", 600)
    window_start = now.replace(second=0, microsecond=0)
    table = connection.ops.quote_name(RateWindow._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (credential_id, window_start, count) VALUES (%s, %s, 1) "
            "ON CONFLICT (credential_id, window_start) "
            f"DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [credential.pk, window_start],
        )
        count = cursor.fetchone()[0]
    if count > limit:
        raise RateLimited(
            _("Too many requests: this key may make %(limit)s requests a minute."), limit=limit
        )
    return count


def log_exchange(
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
) -> MessageLog:
    """Record one exchange; the hash covers the body we sent (out) or received (in)."""
    return MessageLog.objects.create(
        agency=agency or (credential.agency if credential else None),
        credential=credential,
        direction=direction,
        method=method,
        endpoint=endpoint[:500],
        request_id=request_id[:64],
        occurred_at=now,
        payload_hash=sha256_hex(request_body),
        status_code=status_code,
        duration_ms=max(0, duration_ms),
        request_body=request_body.decode("utf-8", "replace"),
        response_body=response_body.decode("utf-8", "replace"),
        error=error[:500],
    )


def purge_message_bodies(*, now: dt.datetime, days: int | None = None) -> int:
    """Blank the bodies of exchanges older than the retention period; the rows stay."""
    days = days if days is not None else setting("INTEGRATION_BODY_RETENTION_DAYS", 90)
    cutoff = now - dt.timedelta(days=days)
    RateWindow.objects.filter(window_start__lt=now - dt.timedelta(days=1)).delete()
    return MessageLog.objects.filter(occurred_at__lt=cutoff, bodies_purged_at__isnull=True).update(
        request_body="", response_body="", bodies_purged_at=now
    )


def publish_event(*, subject: str, event_type: str, payload: dict, now: dt.datetime) -> OutboxEvent:
    """Write an event and its deliveries in the caller's transaction; a worker sends them later.

    `subject` names the thing the event is about (e.g. "labourcard:123"): its events reach each
    subscriber in the order they were published.
    """
    with transaction.atomic():
        event = OutboxEvent.objects.create(
            subject=subject, event_type=event_type, payload=payload, created_at=now
        )
        # Few subscriptions: matched in Python, as SQLite has no JSON "contains".
        Delivery.objects.bulk_create(
            Delivery(event=event, subscription=s, subject=subject, next_attempt_at=now)
            for s in Subscription.objects.filter(is_active=True)
            if event_type in s.event_types or "*" in s.event_types
        )
    return event


def deliveries_redrive(*, actor: Actor, deliveries: Iterable[Delivery], now: dt.datetime) -> int:
    """Put dead-lettered deliveries back in the queue with a fresh count of attempts."""
    count = 0
    with transaction.atomic():
        for delivery in deliveries:
            if delivery.status != Delivery.Status.DEAD:
                continue
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.PENDING,
                attempts=0,
                next_attempt_at=now,
                leased_until=None,
                lease_owner="",
            )
            audit.record(
                actor=actor,
                action="webhook_delivery.redriven",
                obj=delivery,
                at=now,
                changes={"status": [Delivery.Status.DEAD, Delivery.Status.PENDING]},
            )
            count += 1
    return count
