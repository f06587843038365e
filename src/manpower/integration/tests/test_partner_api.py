"""The inbound partner API: keys, scopes, rate limit, field sets per scope, problem details."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from manpower.core.models import AuditEvent
from manpower.integration.models import MessageLog, PartnerCredential
from manpower.registry.models import Employment
from manpower.registry.tests.factories import EmploymentFactory, EstablishmentFactory, oman

pytestmark = pytest.mark.django_db

BASE = "/api/partners/v1"


def get(client, path, key=None, **headers):
    if key:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client.get(BASE + path, **headers)


def assert_problem(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert {"type", "title", "detail", "detail_ar", "detail_en"} <= set(body)
    assert body["detail_ar"] != body["detail_en"]
    return body


def test_establishment_by_cr_number_with_registry_scope(client, issue_key):
    establishment = EstablishmentFactory(cr_number="1234567")
    EmploymentFactory(establishment=establishment)

    response = get(client, "/establishments/1234567", issue_key("rop", ["registry"]))

    assert response.status_code == 200
    body = response.json()
    assert body["cr_number"] == "1234567"
    assert body["name_en"] == establishment.name_en
    assert body["workforce"] == {"active": 1, "nationals": 0, "non_nationals": 1}


def test_unknown_establishment_is_a_404_problem(client, issue_key):
    body = assert_problem(
        get(client, "/establishments/9999999", issue_key()), 404, "establishment_not_found"
    )
    assert "9999999" in body["detail_en"]


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer mpp_00000000_not-a-real-key", "Basic dXNlcjpwYXNz"],
    ids=["no key", "unknown key", "not bearer"],
)
def test_request_without_a_valid_key_is_401(client, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    body = assert_problem(
        client.get(BASE + "/establishments/1", **headers), 401, "invalid_credential"
    )
    assert body["detail_en"]


def test_expired_key_is_401(client, issue_key):
    key = issue_key(days=1)
    PartnerCredential.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert_problem(get(client, "/establishments/1", key), 401, "invalid_credential")


def test_revoked_key_is_401_and_revocation_is_audited(client, issue_key):
    key = issue_key()
    prefix = PartnerCredential.objects.get().prefix
    call_command("partner_key", "revoke", prefix)

    assert_problem(get(client, "/establishments/1", key), 401, "invalid_credential")
    assert AuditEvent.objects.filter(action="partner_key.revoked").count() == 1


def test_key_without_the_endpoint_scope_is_403(client, issue_key):
    EstablishmentFactory(cr_number="1234567")
    key = issue_key("social-insurance", ["social-insurance"])
    body = assert_problem(get(client, "/establishments/1234567", key), 403, "scope_missing")
    assert "registry" in body["detail_en"]


def test_employment_fields_follow_the_scope(client, issue_key):
    employment = EmploymentFactory(basic_wage_baisa=450_000)
    civil = employment.person.civil_number

    registry = get(client, f"/persons/{civil}/employment", issue_key("rop", ["registry"])).json()
    insurance = get(
        client,
        f"/persons/{civil}/employment",
        issue_key("social-insurance", ["social-insurance"]),
    ).json()

    assert registry["name_en"] == employment.person.name_en
    assert registry["employed"] is True
    assert "basic_wage_baisa" not in registry["employments"][0]
    assert "name_en" not in insurance
    assert insurance["employments"] == [
        {
            "establishment_cr": employment.establishment.cr_number,
            "start_date": "2024-01-01",
            "basic_wage_baisa": 450_000,
        }
    ]


def test_a_person_without_active_employment_is_not_employed(client, issue_key):
    employment = EmploymentFactory(person__is_national=True, person__nationality=oman())
    Employment.objects.filter(pk=employment.pk).update(
        status=Employment.Status.ENDED, end_date=dt.date(2025, 1, 1)
    )
    body = get(client, f"/persons/{employment.person.civil_number}/employment", issue_key()).json()
    assert body["employed"] is False
    assert body["employments"] == []


def test_rate_limit_per_key_answers_429(client, issue_key):
    key = issue_key(rate_limit_per_minute=2)
    EstablishmentFactory(cr_number="1234567")
    statuses = [get(client, "/establishments/1234567", key).status_code for _ in range(3)]
    assert statuses[:2] == [200, 200]
    response = get(client, "/establishments/1234567", key)
    assert_problem(response, 429, "rate_limited")
    assert int(response["Retry-After"]) > 0


def test_every_exchange_is_logged_even_failures(client, issue_key):
    EstablishmentFactory(cr_number="1234567")
    key = issue_key("rop", ["police"])
    get(client, "/establishments/1234567", key, HTTP_X_REQUEST_ID="req-403")
    get(client, "/establishments/1234567", "bad", HTTP_X_REQUEST_ID="req-401")
    get(client, "/establishments/1234567", issue_key(), HTTP_X_REQUEST_ID="req-200")

    rows = {row.request_id: row for row in MessageLog.objects.all()}
    assert {r: rows[r].status_code for r in rows} == {
        "req-403": 403,
        "req-401": 401,
        "req-200": 200,
    }
    assert rows["req-403"].agency.code == "rop"
    assert rows["req-401"].agency is None
    ok = rows["req-200"]
    assert ok.direction == MessageLog.Direction.INBOUND
    assert ok.endpoint == "/api/partners/v1/establishments/1234567"
    assert ok.payload_hash == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert '"cr_number": "1234567"' in ok.response_body


def test_partner_api_has_its_own_openapi_document(client):
    response = client.get(BASE + "/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/partners/v1/establishments/{cr_number}",
        "/api/partners/v1/persons/{civil_number}/employment",
    } <= set(paths)  # other apps add their own partner operations
    assert not MessageLog.objects.exists()


def test_partner_key_command_prints_the_key_once_and_stores_its_hash(capsys):
    call_command("partner_key", "create", "social-insurance", "--scopes", "social-insurance,wps")
    key = capsys.readouterr().out.strip()
    credential = PartnerCredential.objects.get()
    assert key.startswith(credential.prefix + "_")
    assert credential.key_hash != key and len(credential.key_hash) == 64
    assert credential.scopes == ["social-insurance", "wps"]
    assert AuditEvent.objects.filter(action="partner_key.created").count() == 1


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["create", "nobody", "--scopes", "registry"], "no agency"),
        (["create", "rop", "--scopes", "everything"], "unknown: everything"),
        (["revoke", "mpp_ffffffff"], "no partner key"),
    ],
)
def test_partner_key_command_rejects_bad_input(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("partner_key", *arguments)
    assert not PartnerCredential.objects.exists()


def test_seeded_agencies_have_both_names():
    from manpower.integration.models import Agency

    codes = set(Agency.objects.values_list("code", flat=True))
    assert {"rop", "commerce", "chamber", "social-insurance", "manpower-register"} <= codes
    assert not Agency.objects.filter(name_ar="").exists()
