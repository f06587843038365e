"""Bad input on the partner API (issue 13): refused with a problem at the edge, nothing applied,
and the exchange still logged and counted; a failed request leaves nothing of its change."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from manpower.core.models import AuditEvent
from manpower.integration import api as partner_api
from manpower.integration.models import FileExchange, MessageLog, RateWindow
from manpower.registry.models import Establishment
from manpower.registry.tests.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db

BASE = "/api/partners/v1"
RENEWAL = b"cr_number,chamber_number,chamber_expiry_date\n1234567,900100,2031-03-31\n"


def auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def chamber_key(issue_key):
    EstablishmentFactory(cr_number="1234567", chamber_number="1", chamber_expiry_date=None)
    return issue_key("chamber", ["chamber"])


def upload(client, key, content=RENEWAL, **data):
    return client.post(
        f"{BASE}/files",
        {"file": SimpleUploadedFile("r.csv", content, content_type="text/csv"), **data},
        **auth(key),
    )


def assert_nothing_applied():
    assert Establishment.objects.get(cr_number="1234567").chamber_number == "1"
    assert not FileExchange.objects.exists()
    assert not AuditEvent.objects.filter(action="partner_file.imported").exists()


def assert_refused(response, code="invalid_characters", status=400):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == code
    assert problem["detail_ar"] and problem["detail_en"]
    assert problem["detail_ar"] != problem["detail_en"]
    return problem


def test_a_nul_in_an_extra_form_field_applies_nothing_but_is_logged_and_counted(
    client, chamber_key
):
    response = upload(client, chamber_key, note="a\x00b")

    assert_refused(response)
    assert_nothing_applied()
    [row] = MessageLog.objects.all()
    assert (row.status_code, row.error, row.agency.code) == (400, "invalid_characters", "chamber")
    assert "\x00" not in row.request_body
    assert RateWindow.objects.get(credential__agency__code="chamber").count == 1


@pytest.mark.parametrize(
    "content, code, status",
    [
        (RENEWAL.replace(b"900100", b"900\x00100"), "invalid_characters", 400),
        (RENEWAL.replace(b"900100", b"900\x1b100"), "invalid_characters", 400),
        (
            RENEWAL.replace(b"900100", "9\ud800".encode("utf-8", "surrogatepass")),
            "file_invalid",
            422,
        ),
    ],
)
def test_a_csv_with_a_character_the_database_cannot_hold_is_refused(
    client, chamber_key, content, code, status
):
    assert_refused(upload(client, chamber_key, content), code, status)
    assert_nothing_applied()


def test_a_csv_value_over_the_field_size_limit_is_a_line_error(client, chamber_key):
    content = RENEWAL + b"2345678," + b"9" * 131_073 + b",2031-03-31\n"

    response = upload(client, chamber_key, content)

    assert response.status_code == 201, response.content
    report = response.json()
    assert report["accepted"] == 1
    assert [(p["line"], p["code"]) for p in report["rejected"]] == [(3, "value_too_long")]


def test_a_request_that_fails_after_its_change_leaves_nothing_applied(
    client, chamber_key, monkeypatch
):
    def broken(_imported):
        raise RuntimeError("the answer could not be written")

    monkeypatch.setattr(partner_api, "_report", broken)

    response = upload(client, chamber_key)

    assert response.status_code == 500
    assert_nothing_applied()
    [row] = MessageLog.objects.all()
    assert (row.status_code, row.error) == (500, "server_error")


@pytest.mark.parametrize(
    "path",
    ["/establishments/12%0034567", "/establishments/1234567?x=%00", "/files?kind=%1B"],
)
def test_a_nul_in_the_address_is_refused_and_logged(client, chamber_key, path):
    assert_refused(client.get(BASE + path, **auth(chamber_key)))
    assert MessageLog.objects.get().status_code == 400


POLICE = f"{BASE}/police/visa-reservations"
RESERVATION = {
    "licence_number": "L-1",
    "occupation_code": "7112",
    "nationality": "IND",
    "gender": "M",
    "visa_number": "V-1",
}


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({**RESERVATION, "visa_number": "V\\u0000"}).replace("\\\\", "\\"),
        json.dumps({**RESERVATION, "visa_number": "V\\ud800"}).replace("\\\\", "\\"),
        json.dumps(RESERVATION).encode() + b"\x00",
    ],
)
def test_a_json_body_with_nul_or_a_lone_surrogate_is_refused(client, issue_key, body):
    response = client.post(
        POLICE, body, content_type="application/json", **auth(issue_key("rop", ["police"]))
    )
    assert_refused(response)


def test_a_visa_number_longer_than_its_column_is_a_validation_problem(client, issue_key):
    response = client.post(
        POLICE,
        {**RESERVATION, "visa_number": "V" * 21},
        content_type="application/json",
        **auth(issue_key("rop", ["police"])),
    )
    problem = assert_refused(response, "validation_failed", 422)
    assert [e["field"] for e in problem["errors"]] == ["visa_number"]


def test_a_json_body_over_the_upload_limit_is_a_413_problem(client, issue_key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({**RESERVATION, "full_name_en": "x" * 2000})
    response = client.post(
        POLICE, body, content_type="application/json", **auth(issue_key("rop", ["police"]))
    )
    assert_refused(response, "body_too_large", 413)
    assert MessageLog.objects.get().status_code == 413


def test_a_key_without_the_scope_gets_the_403_before_any_422_about_the_body(client, issue_key):
    key = issue_key("rop", ["registry"])
    response = client.post(
        POLICE, {"visa_number": ""}, content_type="application/json", **auth(key)
    )
    assert_refused(response, "scope_missing", 403)
    response = client.get(f"{BASE}/establishments/{'1' * 11}", **auth(issue_key("rop", ["police"])))
    assert_refused(response, "scope_missing", 403)


def test_the_partner_document_declares_problem_answers_on_every_operation(client):
    document = client.get(f"{BASE}/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404", "409", "422", "429"):
                answer = operation["responses"][status]
                assert list(answer["content"]) == ["application/problem+json"], (path, method)
    assert "Problem" in document["components"]["schemas"]


@pytest.mark.parametrize(
    "path, body, field",
    [
        (
            "/police/arrivals",
            {"visa_number": "V-1", "passport_number": "P" * 13},
            "passport_number",
        ),
        ("/police/departures", {"passport_number": "P" * 13}, "passport_number"),
        ("/police/departures", {"border_post": "B" * 101}, "border_post"),
    ],
)
def test_police_strings_are_bounded_by_their_columns(client, issue_key, path, body, field):
    response = client.post(
        BASE + path, body, content_type="application/json", **auth(issue_key("rop", ["police"]))
    )
    problem = assert_refused(response, "validation_failed", 422)
    assert field in [e["field"] for e in problem["errors"]]
