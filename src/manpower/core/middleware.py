import json
import re
import uuid

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .errors import DomainError, NotFound
from .problems import INVALID_CHARACTERS, BodyTooLarge, InvalidCharacters, problem_response

API_PREFIX = "/api/"

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Gives each request an id (the caller's `X-Request-ID` when it is sane) for audit and logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class NotFoundIs404Middleware:
    """A portal view that asks for a record missing or outside the user's scope raises the
    selector's `NotFound`; this makes it the site's 404 page, which says nothing more, so views
    need no wrapper of their own. (The APIs answer `NotFound` as a problem, see core.problems.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(exception.text()) from exception
        return None


# What a PostgreSQL text column cannot hold (NUL), what is not a character at all (a lone
# surrogate, which no UTF-8 encoder writes) and the C0 controls no form of ours uses; tab, line
# feed and carriage return are kept.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_JSON_TYPES = ("application/json", "application/problem+json")


def storable(text: str) -> str:
    """`text` with each character in UNSTORABLE replaced by U+FFFD (for logs of bad requests)."""
    return UNSTORABLE.sub("\ufffd", text)


def _strings(value):
    """Every string of a decoded JSON document, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _request_texts(request):
    """The texts of a request that could reach the database: path, query, headers, form fields
    and file names, JSON strings. Uploaded files are the reader's to check (see the CSV import)."""
    yield request.path_info
    for key, values in request.GET.lists():
        yield key
        yield from values
    for name, value in request.META.items():
        if name.startswith("HTTP_"):
            yield value
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for key, values in request.POST.lists():
            yield key
            yield from values
        for upload in request.FILES.values():
            yield upload.name or ""
    elif request.content_type in _JSON_TYPES and request.body:
        try:
            yield request.body.decode()
        except UnicodeDecodeError:
            yield "\ud800"  # not UTF-8: as unstorable as a lone surrogate
            return
        if b"\\u" in request.body:  # an escape can write NUL or a lone surrogate
            try:
                document = json.loads(request.body)
            except ValueError:
                return  # not JSON: the API answers that itself
            yield from _strings(document)


class UnstorableInputMiddleware:
    """Refuse a request carrying characters the database cannot store, or a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE, before any view sees it: a 400 (`invalid_characters`) or 413
    (`body_too_large`) problem on the APIs, the same message on a bilingual page on the portal.
    Without it PostgreSQL answers a NUL with an error half-way through the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            unstorable = any(UNSTORABLE.search(text) for text in _request_texts(request))
        except RequestDataTooBig:
            return refusal(request, BodyTooLarge(_("The request is too large.")))
        except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent):
            return refusal(
                request, DomainError(_("The request could not be understood."), code="bad_request")
            )
        if unstorable:
            return refusal(request, InvalidCharacters(INVALID_CHARACTERS))
        return self.get_response(request)


def refusal(request, error: DomainError):
    """A problem on the APIs, a page in both languages on the portal."""
    if request.path_info.startswith(API_PREFIX):
        return problem_response(request, error)
    return render(request, "core/refused.html", {"refusal": error.bilingual()}, status=error.status)
