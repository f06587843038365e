"""Every API error is problem details (RFC 9457) with a stable code in Arabic and English."""

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.testing import TestClient

from manpower.core.errors import Conflict
from manpower.core.problems import install_problem_handlers

pytestmark = pytest.mark.django_db

# A message Django itself translates, so the Arabic text does not depend on our catalogues.
REQUIRED = _("This field is required.")


def make_client():
    """An API with one route per kind of failure, wired like the real one."""
    api = NinjaAPI(urls_namespace="problems-test")
    install_problem_handlers(api)

    @api.get("/conflict")
    def conflict(request):
        raise Conflict(REQUIRED, code="already_done")

    @api.get("/crash")
    def crash(request):
        raise RuntimeError("secret internals")

    @api.get("/missing")
    def missing(request):
        raise Http404("no")

    @api.get("/forbidden")
    def forbidden(request):
        raise DjangoPermissionDenied

    return TestClient(api)


def test_a_domain_error_has_its_status_code_and_both_languages():
    with translation.override("en"):
        response = make_client().get("/conflict")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body == {
        "type": "https://manpower.example/problems/already_done",
        "title": "Conflict",
        "status": 409,
        "detail": "This field is required.",
        "code": "already_done",
        "detail_ar": "هذا الحقل مطلوب.",
        "detail_en": "This field is required.",
        "instance": "/conflict",
        "request_id": "",
    }


def test_detail_is_in_the_active_language():
    with translation.override("ar"):
        body = make_client().get("/conflict").json()
    assert body["detail"] == body["detail_ar"] == "هذا الحقل مطلوب."


def test_an_unexpected_error_is_a_500_problem_without_internals(caplog):
    response = make_client().get("/crash")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert "secret internals" in caplog.text  # but the log has it


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [("/missing", 404, "not_found"), ("/forbidden", 403, "permission_denied")],
)
def test_django_errors_become_problems(path, status, code):
    response = make_client().get(path)
    assert response.status_code == status
    assert response.json()["code"] == code


def test_an_unknown_address_inside_the_api_is_a_404_problem(client):
    response = client.get("/api/v1/no-such-thing/42", headers={"X-Request-ID": "req-1"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "not_found"
    assert body["instance"] == "/api/v1/no-such-thing/42"
    assert body["request_id"] == "req-1"


def test_bad_query_parameters_are_422_with_the_field_names(client):
    response = client.get("/api/v1/reference/occupations", {"level": "9"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    assert [(e["field"], e["in"]) for e in body["errors"]] == [("level", "query")]
    assert body["errors"][0]["message"]


def test_the_openapi_document_lists_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert {
        "/api/v1/me",
        "/api/v1/tokens",
        "/api/v1/tokens/{token_id}",
        "/api/v1/establishments",
        "/api/v1/establishments/{cr_number}",
        "/api/v1/establishments/{cr_number}/workers",
        "/api/v1/reference/nationalities",
        "/api/v1/reference/governorates",
        "/api/v1/reference/wilayats",
        "/api/v1/reference/occupations",
        "/api/v1/reference/activities",
        "/api/v1/services",
        "/api/v1/services/{code}",
    } <= set(document["paths"])
    assert set(document["components"]["securitySchemes"]) == {"BearerAuth", "SessionAuth"}


def test_the_docs_page_loads(client):
    assert client.get("/api/v1/docs").status_code == 200
