"""The deployed WSGI application serves the partner API on its lean middleware chain
(core/handlers.py) and the site on the whole one."""

import io
import json

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from manpower.registry.tests.factories import EstablishmentFactory
from manpower.wsgi import application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: the test's transaction must outlive each request."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def wsgi_get(path: str, **headers) -> tuple[str, dict, bytes]:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()},
    }
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = status, response_headers

    body = b"".join(application(environ, start_response))
    return answer["status"], answer["headers"], body


def header_names(headers) -> set[str]:
    return {name.lower() for name, _value in headers}


def test_partner_call_answers_without_cookies_and_keeps_its_request_id(issue_key):
    EstablishmentFactory(cr_number="7654321")
    key = issue_key("rop", ["registry"])

    status, headers, body = wsgi_get(
        "/api/partners/v1/establishments/7654321",
        authorization=f"Bearer {key}",
        x_request_id="police-call-1",
    )

    assert status.startswith("200")
    assert json.loads(body)["cr_number"] == "7654321"
    assert ("X-Request-ID", "police-call-1") in headers
    assert "set-cookie" not in header_names(headers)
    assert ("X-Content-Type-Options", "nosniff") in headers  # security middleware still runs


def test_partner_problem_follows_accept_language():
    status, _headers, body = wsgi_get("/api/partners/v1/establishments/1", accept_language="en")
    assert status.startswith("401")
    problem = json.loads(body)
    assert problem["detail"] == problem["detail_en"]

    status, _headers, body = wsgi_get("/api/partners/v1/establishments/1", accept_language="ar")
    assert json.loads(body)["detail"] == json.loads(body)["detail_ar"]


def test_site_pages_keep_the_whole_chain():
    status, headers, _body = wsgi_get("/accounts/sign-in/")

    assert status.startswith("200")
    assert ("X-Frame-Options", "DENY") in headers
    assert any(name == "Set-Cookie" and "csrftoken" in value for name, value in headers)
