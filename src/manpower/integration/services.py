"""Every write of the integration app: partner keys, the rate limit, the message log, the outbox."""

from __future__ import annotations

import datetime as dt
import functools
import json
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import DomainError, NotFound
from manpower.registry import services as registry_services

from . import conf, delivery, files, messagelog, selectors
from .messagelog import sha256_hex
from .models import (
    Agency,
    Delivery,
    FileExchange,
    MessageLog,
    OutboxEvent,
    PartnerCredential,
    RateWindow,
    Scope,
    Subscription,
)

KEY_PREFIX = "mpp_"


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
    days = days or conf.KEY_DEFAULT_DAYS.value
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
            _credential_cache.clear()  # this process at once; the others within the cache TTL
            audit.record(
                actor=actor,
                action="partner_key.revoked",
                obj=credential,
                at=now,
                changes={"revoked_at": [None, now]},
            )
    return credential


# Live credentials by key hash, per process: (time.monotonic() when read, credential or None).
# A key revoked elsewhere stops working here within INTEGRATION_CREDENTIAL_CACHE_SECONDS.
_credential_cache: dict[str, tuple[float, PartnerCredential | None]] = {}
_CREDENTIAL_CACHE_MAX = 10_000


def credential_for_key(*, key: str, now: dt.datetime) -> PartnerCredential:
    """The live credential of a bearer key, or InvalidCredential (unknown, expired or revoked).

    The lookup is cached per process for a few seconds, unknown keys included (so a flood of
    bad keys costs no queries); expiry is checked against `now` on every request.
    """
    digest = sha256_hex(key)
    ttl = conf.CREDENTIAL_CACHE_SECONDS.value
    cached = _credential_cache.get(digest)
    if cached is not None and time.monotonic() - cached[0] < ttl:
        credential = cached[1]
    else:
        credential = (
            PartnerCredential.objects.select_related("agency")
            .filter(key_hash=digest, revoked_at__isnull=True)
            .first()
        )
        if len(_credential_cache) >= _CREDENTIAL_CACHE_MAX:
            _credential_cache.clear()
        _credential_cache[digest] = (time.monotonic(), credential)
    if credential is None or credential.expires_at <= now:
        raise InvalidCredential(_("The API key is unknown, expired or revoked."))
    if credential.last_used_at is None or now - credential.last_used_at > dt.timedelta(minutes=5):
        PartnerCredential.objects.filter(pk=credential.pk).update(last_used_at=now)
        credential.last_used_at = now
    return credential


def credential_of_request(request, *, now: dt.datetime) -> PartnerCredential | None:
    """The live credential a partner request came with, also when it was refused before the
    API's authentication ran (for the message log and the rate count); None without one."""
    if (credential := getattr(request, "partner_credential", None)) is not None:
        return credential
    scheme, _space, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key:
        return None
    try:
        return credential_for_key(key=key, now=now)
    except InvalidCredential:
        return None


def require_scope(credential: PartnerCredential, allowed: Iterable[str]) -> set[str]:
    """The scopes of the key that open this endpoint; ScopeMissing when there is none."""
    granted = set(credential.scopes) & set(allowed)
    if not granted:
        raise ScopeMissing(
            _("This key lacks the scope this endpoint needs (one of: %(scopes)s)."),
            scopes=", ".join(sorted(allowed)),
        )
    return granted


# Keys whose current minute this process has seen used up: key hash -> that minute.
_exhausted_windows: dict[str, dt.datetime] = {}


def _rate_limit(credential: PartnerCredential) -> int:
    return credential.rate_limit_per_minute or conf.RATE_LIMIT_PER_MINUTE.value


def _minute(now: dt.datetime) -> dt.datetime:
    return now.replace(second=0, microsecond=0)


def rate_limit_check(*, credential: PartnerCredential, now: dt.datetime) -> None:
    """RateLimited when the key's current minute is used up, as last counted by this process.

    The count itself is shared by every server (`partner_exchange_record` adds each request to
    it at the end of the request), so each process may let one request more through before it
    learns that the minute is used up.
    """
    if _exhausted_windows.get(credential.key_hash) == _minute(now):
        raise RateLimited(
            _("Too many requests: this key may make %(limit)s requests a minute."),
            limit=_rate_limit(credential),
        )


_UPSERT_COUNT = (
    "INSERT INTO {table} (credential_id, window_start, count) VALUES (%s, %s, 1) "
    "ON CONFLICT (credential_id, window_start) DO UPDATE SET count = {table}.count + 1 "
    "RETURNING count"
)


def partner_exchange_record(
    *, credential: PartnerCredential | None, now: dt.datetime, **exchange
) -> None:
    """End of a partner request: count it against the key's limit and log it, in one commit.

    On PostgreSQL this is one statement. Alone (a refused request, logged after its rollback)
    its commit does not wait for the disk (`synchronous_commit` off for that transaction only):
    a crash of the database server may lose the last few hundred milliseconds of such log rows
    and counts, never half of one. Inside the transaction of a successful request's change it
    leaves that transaction's commit as it is, durable: a change the partner was told of is
    never lost. On SQLite, one transaction. `exchange` is what `messagelog.log_exchange` takes.
    """
    row = messagelog.log_row(credential=credential, now=now, **exchange)
    counted = [credential.pk, _minute(now)] if credential is not None else None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                _exchange_statement(
                    tuple(row), counted=bool(counted), durable=connection.in_atomic_block
                ),
                [*row.values(), *(counted or [])],
            )
            count = cursor.fetchone()[1]
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            MessageLog.objects.create(**row)
            count = None
            if counted:
                cursor.execute(_rate_count_upsert(), counted)
                count = cursor.fetchone()[0]
    if count is not None and count >= _rate_limit(credential):
        _exhausted_windows[credential.key_hash] = _minute(now)


def _rate_count_upsert() -> str:
    return _UPSERT_COUNT.format(table=connection.ops.quote_name(RateWindow._meta.db_table))


@functools.cache
def _exchange_statement(fields: tuple[str, ...], *, counted: bool, durable: bool) -> str:
    """PostgreSQL: the message-log row and the key's count in one statement; unless `durable`,
    its commit does not wait for the disk. Written once per process, as the other statements of
    the hot paths."""
    quote = connection.ops.quote_name
    columns = [quote(MessageLog._meta.get_field(name).column) for name in fields]
    log_insert = (
        f"INSERT INTO {quote(MessageLog._meta.db_table)} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    asynchronous = "NULL" if durable else "set_config('synchronous_commit', 'off', true)"
    if counted:
        return (
            f"WITH logged AS ({log_insert}), counted AS ({_rate_count_upsert()}) "
            f"SELECT {asynchronous}, (SELECT count FROM counted)"
        )
    return f"WITH logged AS ({log_insert}) SELECT {asynchronous}, NULL"


def purge_message_bodies(*, now: dt.datetime, days: int | None = None) -> int:
    """Blank the bodies of exchanges older than the retention period; the rows stay."""
    days = days if days is not None else conf.BODY_RETENTION_DAYS.value
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
        # Few subscriptions: matched in Python, as SQLite has no JSON "contains"
        # (`event_in_statement` matches them in SQL: the tests check that both agree).
        owed = Delivery.objects.bulk_create(
            Delivery(event=event, subscription=s, subject=subject, next_attempt_at=now)
            for s in Subscription.objects.filter(is_active=True)
            if event_type in s.event_types or "*" in s.event_types
        )
        _deliver_after_commit(len(owed))
    return event


def _deliver_after_commit(owed: int) -> None:
    if owed:
        transaction.on_commit(delivery.deliver_outbox.enqueue, robust=True)


@dataclass(frozen=True)
class StatementEvent:
    """What `event_in_statement` gives: CTEs named `outbox_event` and `outbox_delivery` to put
    after the statement's own, their parameters, and `owed`, an expression for the statement's
    final SELECT (the number of deliveries written) whose value goes to `written`."""

    ctes: str
    params: list
    owed: str = "(SELECT count(*) FROM outbox_delivery)"

    def written(self, owed: int) -> None:
        """After the statement ran, in its transaction: the deliveries go once it commits."""
        _deliver_after_commit(owed)


def event_in_statement(
    *, subject: str, event_type: str, payload: dict, source: str, now: dt.datetime
) -> StatementEvent:
    """`publish_event` inside a PostgreSQL statement that writes the change the event reports:
    the event and its deliveries (one per active subscription to `event_type`) are written by
    that statement when its CTE `source` returns a row, and not at all when it returns none.
    Neither a savepoint, the ORM's INSERT nor a query of the subscriptions of its own: the
    police's visa reservation is one statement with it (docs/benchmarks.md).

    The rows are those `publish_event` writes, field for field (the tests compare them)."""
    ctes, given, defaults = _outbox_statement(connection.vendor, source)
    values = (subject, event_type, payload, now, subject, now)
    return StatementEvent(
        ctes,
        [
            *(
                field.get_db_prep_save(v, connection)
                for field, v in zip(given, values, strict=True)
            ),
            *defaults,
            json.dumps([event_type]),
        ],
    )


_EVENT_GIVEN = ("subject", "event_type", "payload", "created_at")
_DELIVERY_GIVEN = ("subject", "next_attempt_at")


@functools.cache
def _outbox_statement(vendor: str, source: str) -> tuple[str, list, list]:
    """The CTEs of `event_in_statement`, written once per process: the event's INSERT, one
    for each row of the caller's CTE `source`, then one delivery per active subscription
    whose JSON array of event types contains the event's type or "*". With them, the fields
    whose values each event gives and the prepared defaults of the deliveries' other fields
    (constants: a callable default would be frozen here, so there must be none)."""
    quote = connection.ops.quote_name
    event_fields = [OutboxEvent._meta.get_field(name) for name in _EVENT_GIVEN]
    assert event_fields == [f for f in OutboxEvent._meta.concrete_fields if not f.primary_key]
    links = [Delivery._meta.get_field("event"), Delivery._meta.get_field("subscription")]
    given = [Delivery._meta.get_field(name) for name in _DELIVERY_GIVEN]
    defaulted = [
        f
        for f in Delivery._meta.concrete_fields
        if not f.primary_key and f not in links and f not in given
    ]
    assert not any(f.has_default() and callable(f.default) for f in defaulted)

    def columns(fields):
        return ", ".join(quote(field.column) for field in fields)

    def values(fields):
        return ", ".join(f"%s::{field.cast_db_type(connection)}" for field in fields)

    ctes = f"""
outbox_event AS (
    INSERT INTO {quote(OutboxEvent._meta.db_table)} ({columns(event_fields)})
    SELECT {values(event_fields)} FROM {source}
    RETURNING id
),
outbox_delivery AS (
    INSERT INTO {quote(Delivery._meta.db_table)}
        ({columns(links)}, {columns(given)}, {columns(defaulted)})
    SELECT e.id, s.id, {values(given)}, {values(defaulted)}
    FROM outbox_event e JOIN {quote(Subscription._meta.db_table)} s
        ON s.is_active AND (s.event_types @> %s::jsonb OR s.event_types @> '["*"]'::jsonb)
    RETURNING 1
)"""
    defaults = [f.get_db_prep_save(f.get_default(), connection) for f in defaulted]
    return ctes, [*event_fields, *given], defaults


def publish_events(*, events: list[tuple[str, str, dict]], now: dt.datetime) -> None:
    """`publish_event` for many (subject, event type, payload) at once, in a few statements:
    a batch job's events (a salary file archive's thousands of checked files)."""
    if not events:
        return
    with transaction.atomic():
        written = OutboxEvent.objects.bulk_create(
            OutboxEvent(subject=subject, event_type=kind, payload=payload, created_at=now)
            for subject, kind, payload in events
        )
        subscriptions = list(Subscription.objects.filter(is_active=True))
        owed = Delivery.objects.bulk_create(
            Delivery(event=event, subscription=s, subject=event.subject, next_attempt_at=now)
            for event in written
            for s in subscriptions
            if event.event_type in s.event_types or "*" in s.event_types
        )
        _deliver_after_commit(len(owed))


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


class ExportNotAllowed(DomainError):
    code = "export_not_allowed"
    status = 403


def partner_export(
    *, actor: Actor, agency: Agency, kind: str, now: dt.datetime, since: dt.datetime | None = None
) -> FileExchange:
    """Write a CSV of what `agency` may have of `kind`, since `since` or else its last export.

    Without `since`, an export carries what is new since the previous export of that kind to
    that agency (the first one carries everything), so a daily schedule sends each record once.
    """
    needed = files.KIND_SCOPES[kind]
    if needed and not needed & selectors.agency_scopes(agency=agency, now=now):
        raise ExportNotAllowed(
            _("The agency %(agency)s has no live key with a scope that opens %(kind)s files."),
            agency=agency.code,
            kind=kind,
        )
    if since is None and (previous := selectors.last_export(agency=agency, kind=kind)):
        since = previous.created_at
    content, count = files.write_csv(
        kind, selectors.export_rows(agency=agency, kind=kind, since=since)
    )
    with transaction.atomic():
        exported = FileExchange.objects.create(
            agency=agency,
            direction=FileExchange.Direction.EXPORT,
            kind=kind,
            name=f"{agency.code}-{kind}-{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}.csv",
            sha256=sha256_hex(content),
            content=content,
            since_at=since,
            row_count=count,
            created_at=now,
        )
        audit.record(
            actor=actor,
            action="partner_file.exported",
            obj=exported,
            at=now,
            changes={
                "kind": [None, kind],
                "rows": [None, count],
                "sha256": [None, exported.sha256],
            },
        )
    return exported


def partner_import_streamed(
    *,
    actor: Actor,
    agency: Agency,
    kind: str,
    name: str,
    chunks: Iterable[bytes],
    now: dt.datetime,
) -> tuple[FileExchange, bool]:
    """Hand a large file, as it streams in, to the app that takes its kind
    (`files.STREAMED_IMPORTS`), which keeps it and checks it in the background; record the
    exchange without its bytes, its report holding where the progress is seen. The same bytes
    sent again by the same agency answer with the first exchange, `False`."""
    taken = import_string(files.STREAMED_IMPORTS[kind])(
        actor=actor, name=name, chunks=chunks, now=now
    )
    imports = FileExchange.objects.filter(
        agency=agency, direction=FileExchange.Direction.IMPORT, sha256=taken.sha256
    )
    if (first := imports.first()) is not None:
        return first, False
    try:
        with transaction.atomic():
            imported = FileExchange.objects.create(
                agency=agency,
                direction=FileExchange.Direction.IMPORT,
                kind=kind,
                name=name[:200],
                sha256=taken.sha256,
                content=b"",
                report={"status_path": taken.status_path, "size": taken.size},
                created_at=now,
            )
            audit.record(
                actor=actor,
                action="partner_file.handed_over",
                obj=imported,
                at=now,
                changes={"kind": [None, kind], "sha256": [None, taken.sha256]},
            )
    except IntegrityError:  # the same file, sent twice at once
        return imports.get(), False
    return imported, True


def partner_import(
    *, actor: Actor, agency: Agency, kind: str, name: str, content: bytes, now: dt.datetime
) -> tuple[FileExchange, bool]:
    """Check a file line by line and apply its valid lines; (the import, whether it is new).

    The same bytes sent again by the same agency are not applied twice: the first import (and
    its report) comes back with `False`.
    """
    digest = sha256_hex(content)
    imports = FileExchange.objects.filter(
        agency=agency, direction=FileExchange.Direction.IMPORT, sha256=digest
    )
    if (first := imports.first()) is not None:
        return first, False
    today = now.astimezone(timezone.get_default_timezone()).date()
    valid, rejected, lines = files.check_chamber_renewals(
        content, existing=selectors.existing_crs, today=today
    )
    try:
        with transaction.atomic():
            for line in valid:
                registry_services.establishment_chamber_membership_update(
                    actor=actor,
                    cr_number=line["cr_number"],
                    chamber_number=line["chamber_number"],
                    chamber_expiry_date=line["chamber_expiry_date"],
                    now=now,
                )
            imported = FileExchange.objects.create(
                agency=agency,
                direction=FileExchange.Direction.IMPORT,
                kind=kind,
                name=name[:200],
                sha256=digest,
                content=content,
                row_count=lines,
                accepted_count=len(valid),
                rejected_count=len({problem["line"] for problem in rejected}),
                report={"rejected": rejected},
                created_at=now,
            )
            audit.record(
                actor=actor,
                action="partner_file.imported",
                obj=imported,
                at=now,
                changes={
                    "kind": [None, kind],
                    "accepted": [None, imported.accepted_count],
                    "rejected": [None, imported.rejected_count],
                    "sha256": [None, digest],
                },
            )
    except IntegrityError:  # the same file, sent twice at once: the other request applied it
        return imports.get(), False
    return imported, True
