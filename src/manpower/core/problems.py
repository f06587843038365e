"""Problem details (RFC 9457): the one shape of every error the public API returns.

Each problem carries a stable machine `code` and the message in the reader's language
(`detail`) and in both languages (`detail_ar`, `detail_en`), so a client can show either without
asking again. Every error becomes a `DomainError` first, so one function writes the body.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .errors import DomainError, NotFound, PermissionDenied

logger = logging.getLogger(__name__)

PROBLEM_TYPE_BASE = "https://manpower.example/problems/"
CONTENT_TYPE = "application/problem+json"


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401


class ValidationFailed(DomainError):
    code = "validation_failed"
    status = 422


class InvalidCharacters(DomainError):
    code = "invalid_characters"
    status = 400


INVALID_CHARACTERS = _("The request contains characters that cannot be stored (such as NUL).")


class BodyTooLarge(DomainError):
    code = "body_too_large"
    status = 413


class ServerError(DomainError):
    code = "server_error"
    status = 500


class DatabaseUnavailable(DomainError):
    code = "service_unavailable"
    status = 503


class FieldProblem(Schema):
    field: str
    # `in` is a Python keyword: the field is named so only in the document and the body.
    in_: str = Field(alias="in")
    message: str


class Problem(Schema):
    """The body of every error answer (`application/problem+json`)."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    detail_ar: str
    detail_en: str
    instance: str
    request_id: str
    errors: list[FieldProblem] | None = None


# The answers any operation may give besides its own: bad input (400 `invalid_characters`,
# 413, 422), no or a wrong credential, a record outside the caller's scope, a conflicting state.
DOCUMENTED_ERRORS = (400, 401, 403, 404, 409, 413, 422)
REF = "#/components/schemas/{model}"


class ProblemAPI(NinjaAPI):
    """A NinjaAPI whose document declares, on every operation, the error answers above (and
    `extra_errors`) as `application/problem+json` with the Problem schema, as they are sent."""

    def __init__(self, *args, extra_errors: tuple[int, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.error_statuses = sorted({*DOCUMENTED_ERRORS, *extra_errors})
        install_problem_handlers(self)

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        documented = Problem.model_json_schema(ref_template=REF, by_alias=True)
        components.update(documented.pop("$defs"), Problem=documented)
        problem = {CONTENT_TYPE: {"schema": {"$ref": REF.format(model="Problem")}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status in self.error_statuses:
                    responses.setdefault(status, {"description": HTTPStatus(status).phrase})
                for status, answer in responses.items():
                    if int(status) >= 400:
                        answer["content"] = problem
        return schema


# Errors that django-ninja raises itself, by status; anything else keeps its status.
_HTTP_ERRORS = {
    400: ("bad_request", _("The request could not be understood.")),
    401: ("not_authenticated", _("Sign in, or send a valid API token.")),
    403: ("permission_denied", _("You are not allowed to do this.")),
    404: ("not_found", _("Nothing was found at this address.")),
    405: ("method_not_allowed", _("This address does not accept this method.")),
    429: ("throttled", _("Too many requests. Wait a little and try again.")),
}


def problem_response(
    request: HttpRequest, error: DomainError, *, extra: dict | None = None
) -> JsonResponse:
    """The `application/problem+json` response for one error."""
    bilingual = error.bilingual()
    body = {
        "type": PROBLEM_TYPE_BASE + error.code,
        "title": HTTPStatus(error.status).phrase,
        "status": error.status,
        "detail": error.text(),
        "code": error.code,
        "detail_ar": bilingual["ar"],
        "detail_en": bilingual["en"],
        "instance": request.path,
        "request_id": getattr(request, "request_id", ""),
        **(extra or {}),
    }
    response = JsonResponse(
        body,
        status=error.status,
        content_type=CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="manpower"'
    return response


def _domain_error(request, exc: DomainError):
    return problem_response(request, exc)


def _validation_error(request, exc: ValidationError):
    errors = [_field_error(item) for item in exc.errors]
    fields = ", ".join(dict.fromkeys(e["field"] for e in errors if e["field"]))
    error = ValidationFailed(_("Some fields are not valid: %(fields)s."), fields=fields or "-")
    return problem_response(request, error, extra={"errors": errors})


def _field_error(item: dict) -> dict:
    """One of ninja's error entries as {field, in, message}; `loc` is (source, [param,] field…)."""
    loc = [str(part) for part in item.get("loc", ())]
    source = loc[0] if loc else ""
    path = loc[1:]
    # A body schema is one parameter whose name the client never sees: drop it.
    if source == "body" and len(path) > 1:
        path = path[1:]
    return {"field": ".".join(path), "in": source, "message": item.get("msg", "")}


def _http_error(request, exc: HttpError):
    code, message = _HTTP_ERRORS.get(exc.status_code, ("http_error", _("The request failed.")))
    return problem_response(request, DomainError(message, code=code, status=exc.status_code))


def _authentication_error(request, exc: AuthenticationError):
    return problem_response(request, NotAuthenticated(_HTTP_ERRORS[401][1]))


def _not_found(request, exc: Http404):
    return problem_response(request, NotFound(_HTTP_ERRORS[404][1]))


def _permission_denied(request, exc: DjangoPermissionDenied):
    return problem_response(request, PermissionDenied(_HTTP_ERRORS[403][1]))


def _server_error(request, exc: Exception):
    """The traceback goes to the log under the request id; the client gets only the id.

    A database error raised while the answer is serialised (a lazy queryset) reaches here
    wrapped in pydantic's error: when the connection is broken, it is a 503 all the same."""
    if _database_down():
        return _database_unavailable(request, exc)
    logger.exception(
        "Unhandled API error (request %s)", getattr(request, "request_id", "-"), exc_info=exc
    )
    error = ServerError(
        _("Something went wrong on our side. Quote the request id if you contact us.")
    )
    return problem_response(request, error)


_DATABASE_UNAVAILABLE = _("The service is unavailable for a moment. Try again in a few seconds.")


def _database_unavailable(request, exc: Exception | None):
    """The database is restarting or unreachable: a 503 the client may retry, not a 500."""
    logger.warning(
        "Database unavailable (request %s): %s", getattr(request, "request_id", "-"), exc
    )
    response = problem_response(request, DatabaseUnavailable(_DATABASE_UNAVAILABLE))
    response["Retry-After"] = "5"
    return response


class DatabaseUnavailableMiddleware:
    """A 500 while the database is down is a 503, whatever layer met the error (a middleware's
    transaction or message-log row, a portal page): a problem on the APIs, a short bilingual
    page elsewhere. Stands before every middleware that uses the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 500 or not _database_down():
            return response
        return self._unavailable(request)

    def process_exception(self, request, exception):
        """A view's own database error, whatever the state of the connection."""
        if isinstance(exception, OperationalError | InterfaceError):
            return self._unavailable(request)
        return None

    def _unavailable(self, request):
        if request.path.startswith("/api/"):
            return _database_unavailable(request, None)
        logger.warning("Database unavailable (request %s)", getattr(request, "request_id", "-"))
        texts = DatabaseUnavailable(_DATABASE_UNAVAILABLE).bilingual()
        page = f'<!doctype html><p lang="ar" dir="rtl">{escape(texts["ar"])}</p>' + (
            f'<p lang="en">{escape(texts["en"])}</p>'
        )
        return HttpResponse(page, status=503, headers={"Retry-After": "5"})


def _database_down() -> bool:
    return connection.errors_occurred and not connection.is_usable()


def install_problem_handlers(api) -> None:
    """Make every error of a NinjaAPI a problem-details response."""
    api.add_exception_handler(Exception, _server_error)
    api.add_exception_handler(DomainError, _domain_error)
    api.add_exception_handler(ValidationError, _validation_error)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(AuthenticationError, _authentication_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(DjangoPermissionDenied, _permission_denied)
    api.add_exception_handler(OperationalError, _database_unavailable)
    api.add_exception_handler(InterfaceError, _database_unavailable)
