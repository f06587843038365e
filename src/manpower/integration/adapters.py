"""Outbound checks against other agencies, robust to their being slow, failing or down.

Each call has a timeout and retries transient faults (no answer, 5xx, 429) with backoff. After
`INTEGRATION_BREAKER_THRESHOLD` failed calls in a row the agency's circuit opens (state in the
database, so every worker sees it) and no call is made for `INTEGRATION_BREAKER_COOLDOWN_SECONDS`;
then one call tries again. While the agency cannot answer, a recent enough cached answer is used;
failing that, a check that may wait is queued (`run_queued_checks` completes it later) and one
that may not fails with a message naming the agency.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from manpower.core.errors import DomainError

from . import conf, messagelog, signals
from .models import Agency, CachedAnswer, CircuitBreaker, MessageLog, QueuedCheck


@dataclass(frozen=True)
class Check:
    name: str
    agency_code: str
    path: str
    may_wait: bool
    max_staleness: dt.timedelta


CHECKS = {
    c.name: c
    for c in [
        # A licence decision may not rest on a CR that was closed this morning.
        Check("cr_validity", "commerce", "/commerce/cr/{key}", False, dt.timedelta(hours=6)),
        Check(
            "chamber_membership", "chamber", "/chamber/membership/{key}", True, dt.timedelta(days=7)
        ),
        Check(
            "insurance_registration",
            "social-insurance",
            "/social-insurance/registration/{key}",
            True,
            dt.timedelta(days=1),
        ),
        # Job seeker status changes with each hiring: never answered from the cache.
        Check(
            "job_seeker_status",
            "manpower-register",
            "/manpower-register/job-seeker/{key}",
            False,
            dt.timedelta(0),
        ),
    ]
}


class AgencyUnavailable(DomainError):
    code = "agency_unavailable"
    status = 503


@dataclass(frozen=True)
class Outcome:
    """FRESH: the agency answered now. CACHED: its last good answer. QUEUED: answer later."""

    state: str
    answer: dict | None
    fetched_at: dt.datetime | None = None
    queued_check: QueuedCheck | None = None


def _base_url(agency: Agency) -> str:
    if agency.base_url:
        return agency.base_url.rstrip("/")
    return conf.SIMULATOR_URL.value.rstrip("/")


def _get(url: str, *, agency: Agency, now: dt.datetime) -> tuple[int | None, dict | None]:
    """One GET, logged; (status, JSON body) or (None, None) when nothing came back."""
    request_id = uuid.uuid4().hex
    timeout = conf.ADAPTER_TIMEOUT_SECONDS.value
    request = urllib.request.Request(url, headers={"X-Request-ID": request_id})
    started = time.monotonic()
    status, raw, error = None, b"", ""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read(65536)
    except urllib.error.HTTPError as exc:
        status, raw, error = exc.code, exc.read(65536), f"HTTP {exc.code}"
    except OSError as exc:  # refused, reset, timed out
        error = f"{type(exc).__name__}: {exc}"
    messagelog.log_exchange(
        direction=MessageLog.Direction.OUTBOUND,
        method="GET",
        endpoint=url,
        request_id=request_id,
        now=now,
        duration_ms=int((time.monotonic() - started) * 1000),
        status_code=status,
        response_body=raw,
        agency=agency,
        error=error,
    )
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, None


def _breaker(agency: Agency) -> CircuitBreaker:
    return CircuitBreaker.objects.get_or_create(agency=agency)[0]


def _record_failure(agency: Agency, now: dt.datetime) -> None:
    threshold = conf.BREAKER_THRESHOLD.value
    with transaction.atomic():
        breaker = CircuitBreaker.objects.select_for_update().get(pk=_breaker(agency).pk)
        breaker.failures = F("failures") + 1
        breaker.save(update_fields=["failures"])
        breaker.refresh_from_db()
        if breaker.failures >= threshold:
            breaker.state, breaker.opened_at = CircuitBreaker.State.OPEN, now
            breaker.save(update_fields=["state", "opened_at"])


def _record_success(agency: Agency) -> None:
    CircuitBreaker.objects.filter(agency=agency).exclude(
        state=CircuitBreaker.State.CLOSED, failures=0
    ).update(state=CircuitBreaker.State.CLOSED, failures=0, opened_at=None)


def call(
    check: Check, key: str, *, now: dt.datetime, sleep: Callable[[float], None] = time.sleep
) -> dict | None:
    """The agency's answer (also cached), or None when it could not give one."""
    agency = Agency.objects.get(code=check.agency_code)
    breaker = _breaker(agency)
    cooldown = dt.timedelta(seconds=conf.BREAKER_COOLDOWN_SECONDS.value)
    if breaker.state == CircuitBreaker.State.OPEN and now < breaker.opened_at + cooldown:
        return None
    url = _base_url(agency) + check.path.format(key=key)
    retries = conf.ADAPTER_RETRIES.value
    backoff = conf.ADAPTER_BACKOFF_SECONDS.value
    for attempt in range(retries + 1):
        status, body = _get(url, agency=agency, now=now)
        if status in (200, 404) and body is not None:  # 404: a definite "no such record"
            _record_success(agency)
            CachedAnswer.objects.update_or_create(
                check_name=check.name, key=key, defaults={"answer": body, "fetched_at": now}
            )
            return body
        transient = status is None or status >= 500 or status == 429
        if not transient:
            break
        if attempt < retries:
            sleep(backoff * 2**attempt)
    _record_failure(agency, now)
    return None


def run_check(
    name: str, key: str, *, now: dt.datetime, sleep: Callable[[float], None] = time.sleep
) -> Outcome:
    """Ask an agency; fall back to the cache, then the queue, then a bilingual error."""
    check = CHECKS[name]
    answer = call(check, key, now=now, sleep=sleep)
    if answer is not None:
        return Outcome("FRESH", answer, now)
    cached = CachedAnswer.objects.filter(
        check_name=name, key=key, fetched_at__gte=now - check.max_staleness
    ).first()
    if cached is not None and check.max_staleness:
        return Outcome("CACHED", cached.answer, cached.fetched_at)
    agency = Agency.objects.get(code=check.agency_code)
    if check.may_wait:
        queued, _created = QueuedCheck.objects.get_or_create(
            check_name=name,
            key=key,
            status=QueuedCheck.Status.PENDING,
            defaults={"created_at": now},
        )
        return Outcome("QUEUED", None, queued_check=queued)
    raise AgencyUnavailable(
        _("%(agency)s is not answering at the moment, so this cannot be checked. Try again later."),
        agency=lazy(lambda: agency.name, str)(),
    )


def run_queued_checks(*, now: dt.datetime, sleep: Callable[[float], None] = time.sleep) -> int:
    """Try every queued check again; returns how many completed."""
    done = 0
    for queued in QueuedCheck.objects.filter(status=QueuedCheck.Status.PENDING).order_by("id"):
        answer = call(CHECKS[queued.check_name], queued.key, now=now, sleep=sleep)
        QueuedCheck.objects.filter(pk=queued.pk).update(attempts=F("attempts") + 1)
        if answer is not None:
            QueuedCheck.objects.filter(pk=queued.pk).update(
                status=QueuedCheck.Status.DONE, result=answer, completed_at=now
            )
            signals.queued_check_answered.send_robust(
                sender=Check, check_name=queued.check_name, key=queued.key, answer=answer, now=now
            )
            done += 1
    return done
