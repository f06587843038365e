"""Bad input on the user API and the portal (issue 13): a NUL, a lone surrogate, a huge offset,
an oversized body get a clear bilingual error, never a 500, and change nothing."""

import json

import pytest
from django.utils import timezone

from manpower.accounts.services import api_token_create
from manpower.registry.tests.factories import EmploymentFactory, RepresentationFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def representation():
    return RepresentationFactory()


@pytest.fixture
def as_rep(client, representation, system_actor):
    _, key = api_token_create(
        actor=system_actor, user=representation.user, name="t", now=timezone.now()
    )
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def problem_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == code
    assert problem["detail_ar"] != problem["detail_en"]
    return problem


@pytest.mark.parametrize(
    "path",
    [
        "/establishments/12%0034567",
        "/establishments?q=%00",
        "/establishments?%00=1",
        "/reference/wilayats?governorate=%01",
    ],
)
def test_a_nul_in_the_address_is_a_400_problem(as_rep, path):
    problem_of(as_rep.get(API + path), 400, "invalid_characters")


@pytest.mark.parametrize(
    "body",
    ['{"name": "a\\u0000b"}', '{"name": "\\ud800"}', '{"a\\u0000": 1}', b'{"name": "a\x00"}'],
)
def test_a_json_body_with_nul_or_a_lone_surrogate_is_a_400_problem(as_rep, body):
    response = as_rep.post(f"{API}/tokens", body, content_type="application/json")
    problem_of(response, 400, "invalid_characters")


def test_an_escaped_backslash_before_u0000_is_plain_text(client, representation):
    client.force_login(representation.user)
    body = '{"name": "a\\\\u0000"}'
    response = client.post(f"{API}/tokens", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "a\\u0000"


def test_a_json_body_over_the_upload_limit_is_a_413_problem(as_rep, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"name": "x" * 2000})
    response = as_rep.post(f"{API}/tokens", body, content_type="application/json")
    problem_of(response, 413, "body_too_large")


@pytest.mark.parametrize("offset", [2**63, 10**30, 2**31])
def test_an_offset_beyond_the_maximum_is_a_422_problem(as_rep, representation, offset):
    for path in (
        "/establishments",
        f"/establishments/{representation.establishment.cr_number}/workers",
    ):
        problem = problem_of(as_rep.get(API + path, {"offset": offset}), 422, "validation_failed")
        assert [e["field"] for e in problem["errors"]] == ["offset"]


def test_workers_answer_the_documented_shape(as_rep, representation, client):
    EmploymentFactory(establishment=representation.establishment)
    document = client.get(f"{API}/openapi.json").json()
    schemas = document["components"]["schemas"]
    operation = document["paths"][f"{API}/establishments/{{cr_number}}/workers"]["get"]
    paged = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    item = schemas[paged.rsplit("/", 1)[1]]["properties"]["items"]["items"]["$ref"]
    documented = schemas[item.rsplit("/", 1)[1]]

    cr = representation.establishment.cr_number
    [worker] = as_rep.get(f"{API}/establishments/{cr}/workers").json()["items"]

    assert set(worker) == set(documented["properties"])


def test_every_operation_documents_its_problem_answers(client):
    document = client.get(f"{API}/openapi.json").json()
    assert "Problem" in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404", "409", "413", "422"):
                content = operation["responses"][status]["content"]
                assert list(content) == ["application/problem+json"], (path, method, status)


def test_the_portal_refuses_a_nul_with_a_bilingual_page(client):
    response = client.get("/?q=%00")
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be stored" in page
    assert "لا يمكن حفظها" in page


def test_the_portal_refuses_an_oversized_form_with_a_bilingual_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/accounts/login/", {"username": "x" * 2000, "password": "p"})
    assert response.status_code == 413
    page = response.content.decode()
    assert "too large" in page
    assert "الطلب أكبر" in page


def test_a_nul_in_a_portal_form_changes_nothing(client):
    response = client.post("/accounts/login/", {"username": "a\x00", "password": "p"})
    assert response.status_code == 400


def test_a_form_without_its_multipart_boundary_is_a_400_problem(as_rep):
    response = as_rep.generic(
        "POST", f"{API}/tokens", b"--x\r\n", content_type="multipart/form-data"
    )
    problem_of(response, 400, "bad_request")


def test_strings_the_services_refuse_empty_are_documented_as_non_empty(client):
    schemas = client.get(f"{API}/openapi.json").json()["components"]["schemas"]
    assert schemas["LineIn"]["properties"]["occupation"]["minLength"] == 4
    assert schemas["TransferIn"]["properties"]["licence_number"]["minLength"] == 1
    partner = client.get("/api/partners/v1/openapi.json").json()["components"]["schemas"]
    assert partner["ReservationIn"]["properties"]["visa_number"]["minLength"] == 1
    assert partner["ReservationIn"]["properties"]["visa_number"]["maxLength"] == 20
