"""The police endpoints of the partner API: departures and worker status."""

import importlib

import pytest
from django.apps import apps as django_apps

from manpower.core.models import AuditEvent
from manpower.integration import services as integration
from manpower.labourcards.models import LabourCard, PoliceDeparture
from manpower.registry.models import Employment
from manpower.registry.tests.factories import EmploymentFactory, PersonFactory

pytestmark = pytest.mark.django_db

Agency = django_apps.get_model("integration", "Agency")
MessageLog = django_apps.get_model("integration", "MessageLog")
OutboxEvent = django_apps.get_model("integration", "OutboxEvent")

BASE = "/api/partners/v1/police"


@pytest.fixture
def key(system_actor, now):
    importlib.import_module("manpower.integration.migrations.0002_seed_agencies").seed(
        django_apps, None
    )

    def issue(scopes=("police",)):
        return integration.partner_key_create(
            actor=system_actor, agency=Agency.objects.get(code="rop"), scopes=scopes, now=now
        )[1]

    return issue


def post(client, key, body):
    return client.post(
        BASE + "/departures",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code
    assert body["detail_ar"] and body["detail_en"]
    return body


def test_departure_ends_the_employment_and_cancels_the_card(client, key, card):
    body = {
        "resident_card_number": "71234567",
        "departure_date": "2026-12-05",
        "border_post": "Muscat International Airport",
    }
    response = post(client, key(), body)

    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["employment_ended"] is True
    assert answer["labour_card"] == {"number": card.number, "status": "CANCELLED"}
    assert answer["employer_cr_number"] == card.employment.establishment.cr_number
    card.refresh_from_db()
    card.employment.refresh_from_db()
    assert card.status == LabourCard.Status.CANCELLED and card.close_reason == "DEPARTED"
    assert card.employment.status == Employment.Status.ENDED
    assert str(card.employment.end_date) == "2026-12-05"
    cancelled = OutboxEvent.objects.get(event_type="labourcard.cancelled")
    assert (cancelled.payload["card_number"], cancelled.payload["reason"]) == (
        card.number,
        "DEPARTED",
    )
    event = AuditEvent.objects.get(action="person.departed")
    assert event.channel == "PARTNER" and event.actor_label == "partner:rop"
    assert MessageLog.objects.filter(endpoint=BASE + "/departures", status_code=201).exists()


def test_a_repeated_departure_returns_the_first_answer(client, key, card):
    body = {
        "passport_number": "k1234567",
        "departure_date": "2026-12-05",
        "border_post": "Wajaja",
    }
    api_key = key()
    first = post(client, api_key, body)
    second = post(client, api_key, body)

    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert PoliceDeparture.objects.count() == 1
    assert AuditEvent.objects.filter(action="employment.ended").count() == 1


def test_departure_of_a_worker_without_employment_is_recorded(client, key):
    PersonFactory(civil_number="78787878")
    response = post(
        client,
        key(),
        {"resident_card_number": "78787878", "departure_date": "2026-12-05", "border_post": "X"},
    )
    assert response.status_code == 201
    assert response.json()["employment_ended"] is False
    assert response.json()["labour_card"] is None


def test_departure_before_the_employment_started_changes_nothing(client, key, card):
    response = post(
        client,
        key(),
        {"resident_card_number": "71234567", "departure_date": "2020-01-01", "border_post": "X"},
    )
    assert_problem(response, 400, "invalid_end_date")
    card.refresh_from_db()
    assert card.status == LabourCard.Status.ACTIVE
    assert not PoliceDeparture.objects.exists()


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"departure_date": "2026-12-05", "border_post": "X"}, 400, "identifier_required"),
        (
            {
                "resident_card_number": "5",
                "passport_number": "A1",
                "departure_date": "2026-12-05",
                "border_post": "X",
            },
            400,
            "identifier_required",
        ),
        (
            {
                "resident_card_number": "99999999",
                "departure_date": "2026-12-05",
                "border_post": "X",
            },
            404,
            "worker_not_found",
        ),
        (
            {"resident_card_number": "0123", "departure_date": "2026-12-05", "border_post": "X"},
            422,
            "invalid_identifier",
        ),
        ({"resident_card_number": "71234567", "border_post": "X"}, 422, "validation_failed"),
    ],
    ids=["no identifier", "both identifiers", "unknown worker", "bad number", "no date"],
)
def test_bad_departures_are_problems(client, key, card, body, status, code):
    assert_problem(post(client, key(), body), status, code)
    assert MessageLog.objects.filter(status_code=status).exists()


def test_same_passport_of_two_nationalities_is_ambiguous(client, key, card):
    from manpower.core.models import Nationality

    other = Nationality.objects.get_or_create(
        code="PAK", defaults={"alpha2": "PK", "name_en": "Pakistan", "name_ar": "باكستان"}
    )[0]
    PersonFactory(passport_number="K1234567", nationality=other)
    body = {"passport_number": "K1234567", "departure_date": "2026-12-05", "border_post": "X"}
    assert_problem(post(client, key(), body), 409, "ambiguous_passport")


def test_departure_needs_the_police_scope(client, key, card):
    body = {"resident_card_number": "71234567", "departure_date": "2026-12-05", "border_post": "X"}
    assert_problem(post(client, key(["registry"]), body), 403, "scope_missing")
    card.refresh_from_db()
    assert card.status == LabourCard.Status.ACTIVE


def test_worker_status_for_residence_renewal(client, key, card):
    response = client.get(BASE + "/workers/71234567", HTTP_AUTHORIZATION=f"Bearer {key()}")
    assert response.status_code == 200
    body = response.json()
    assert body["labour_card"] == {
        "number": card.number,
        "status": "ACTIVE",
        "kind": "COMMERCIAL",
        "expiry_date": "2028-11-29",
    }
    assert body["employer"]["cr_number"] == card.employment.establishment.cr_number


def test_worker_status_of_unknown_number_is_404(client, key):
    response = client.get(BASE + "/workers/55555555", HTTP_AUTHORIZATION=f"Bearer {key()}")
    assert_problem(response, 404, "worker_not_found")


def test_worker_without_card_or_employer(client, key):
    EmploymentFactory(person=PersonFactory(civil_number="66666666"))
    Employment.objects.update(status="ENDED", end_date="2025-01-01")
    body = client.get(BASE + "/workers/66666666", HTTP_AUTHORIZATION=f"Bearer {key()}").json()
    assert body["employer"] is None and body["labour_card"] is None


def test_openapi_lists_both_police_routers(client):
    paths = client.get("/api/partners/v1/openapi.json").json()["paths"]
    assert "/api/partners/v1/police/departures" in paths
    assert "/api/partners/v1/police/workers/{resident_card_number}" in paths


def test_a_malformed_resident_number_is_explained_in_both_languages(client, key, card):
    body = {"resident_card_number": "0123", "departure_date": "2026-12-05", "border_post": "X"}
    problem = assert_problem(post(client, key(), body), 422, "invalid_identifier")
    assert problem["detail_ar"] != problem["detail_en"]
