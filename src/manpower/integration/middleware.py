"""Each partner request is one outcome, and every one of them is in the message log."""

from __future__ import annotations

import json
import time
import uuid

from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.utils import timezone

from manpower.core.handlers import PARTNER_API_PREFIX

from . import services
from .models import MessageLog

# The API's own documents are not exchanges with an agency.
UNLOGGED = {"openapi-json", "openapi-view"}


class PartnerExchangeMiddleware:
    """A partner request's changes are kept only when its answer is a success: any 4xx or 5xx
    rolls back what the handler did. A success is logged and counted against the key's rate
    limit in the same transaction as its change; a refused or failed request is logged and
    counted after the rollback, so it is in the log too (as X-Road logs failures). Stands
    before `UnstorableInputMiddleware`, whose refusals are exchanges as well."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(PARTNER_API_PREFIX):
            return self.get_response(request)
        started, now = time.monotonic(), timezone.now()
        try:
            body = request.body  # before a form parser consumes the stream
        except RequestDataTooBig:
            body = b""  # refused as too large further in; its size is all there is to say
        with transaction.atomic():
            response = self.get_response(request)
            if response.status_code < 400:
                # The change and its message-log row commit together: a process killed between
                # them cannot leave a change that the log does not know of.
                _log(request, response, body=body, started=started, now=now)
            else:
                transaction.set_rollback(True)
        if response.status_code >= 400:
            _log(request, response, body=body, started=started, now=now)
        return response


def _log(request, response, *, body: bytes, started: float, now) -> None:
    """One message-log row and one rate count for the exchange."""
    match = request.resolver_match
    if match is not None and match.url_name in UNLOGGED:
        return
    services.partner_exchange_record(
        credential=services.credential_of_request(request, now=now),
        direction=MessageLog.Direction.INBOUND,
        method=request.method,
        endpoint=request.path,
        request_id=getattr(request, "request_id", "") or uuid.uuid4().hex,
        now=now,
        duration_ms=int((time.monotonic() - started) * 1000),
        status_code=response.status_code,
        request_body=body,
        response_body=b"" if response.streaming else response.content,
        error="" if response.status_code < 400 else _problem_code(response),
    )


def _problem_code(response) -> str:
    """The stable code of a problem answer, or the status of any other failure."""
    try:
        return str(json.loads(response.content)["code"])
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code}"
