"""Labour cards through the public API: an employer's cards, the paid requests on them and the
transfers of its workers, each scoped to the employer in the address, with the portal's rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from manpower.accounts.models import Role
from manpower.core.actor import Channel
from manpower.core.models import AuditEvent
from manpower.labourcards import services
from manpower.labourcards.models import CardRequest, LabourCard, Transfer
from manpower.licensing.tests.test_api import bearer
from manpower.licensing.tests.test_police_api import assert_problem as problem
from manpower.registry.models import Employment
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
    oman,
)

pytestmark = pytest.mark.django_db

HOUSEHOLD_CIVIL_NUMBER = "81234567"
RESIDENT = "71234567"  # the worker of conftest's `card`


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def due_soon(card):
    """Make the card expire in ten days: due for renewal."""
    LabourCard.objects.filter(pk=card.pk).update(
        expiry_date=timezone.localdate() + dt.timedelta(days=10)
    )
    card.refresh_from_db()
    return card


@pytest.fixture
def as_rep(client, representative, system_actor):
    return bearer(client, representative, system_actor)


@pytest.fixture
def base(establishment):
    return f"/api/v1/establishments/{establishment.cr_number}"


# --- Cards ---------------------------------------------------------------------------------------


def test_an_employer_lists_its_cards_and_those_due_for_renewal(as_rep, base, card, issue):
    due = due_soon(issue(EmploymentFactory(establishment=card.employment.establishment)))

    body = as_rep.get(base + "/labour-cards").json()

    assert body["count"] == 2
    assert [item["number"] for item in body["items"]] == [due.number, card.number]
    assert [item["due_for_renewal"] for item in body["items"]] == [True, False]
    item = body["items"][1]
    assert (item["kind"], item["status"], item["worker_status"]) == (
        "COMMERCIAL",
        "ACTIVE",
        "WORKING",
    )
    assert item["worker"] == {
        "employment_id": card.employment_id,
        "name_ar": card.employment.person.name_ar,
        "name_en": card.employment.person.name_en,
        "resident_card_number": RESIDENT,
        "passport_number": "K1234567",
        "nationality": "IND",
    }
    assert item["occupation"]["code"] == "7112"
    assert item["document_url"] == f"{base}/labour-cards/{card.number}/document"
    only_due = as_rep.get(base + "/labour-cards", {"due_for_renewal": "true"}).json()
    assert [item["number"] for item in only_due["items"]] == [due.number]


def test_a_card_and_its_pdf(as_rep, base, card):
    body = as_rep.get(f"{base}/labour-cards/{card.number}").json()

    assert body["number"] == card.number
    assert body["expiry_date"] == card.expiry_date.isoformat()
    pdf = as_rep.get(body["document_url"])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_another_employers_cards_are_not_found(as_rep, base, issue, fees):
    other = EstablishmentFactory()
    theirs = issue(EmploymentFactory(establishment=other))

    problem(
        as_rep.get(f"/api/v1/establishments/{other.cr_number}/labour-cards"),
        404,
        "establishment_not_found",
    )
    for path in ("", "/document"):
        problem(
            as_rep.get(f"{base}/labour-cards/{theirs.number}{path}"), 404, "labour_card_not_found"
        )
    for action in ("renewal", "departure-form"):
        problem(
            post(as_rep, f"{base}/labour-cards/{theirs.number}/{action}"),
            404,
            "labour_card_not_found",
        )
    problem(
        post(as_rep, f"{base}/workers/{theirs.employment_id}/labour-card", {"kind": "COMMERCIAL"}),
        404,
        "labour_card_not_found",
    )
    assert CardRequest.objects.count() == 1  # the one that issued their card


def test_an_individual_cannot_use_an_establishments_endpoints(client, base, card, system_actor):
    as_individual = bearer(client, UserFactory(role=Role.INDIVIDUAL), system_actor)

    problem(as_individual.get(base + "/labour-cards"), 404, "establishment_not_found")
    problem(as_individual.get(base + "/transfers"), 404, "establishment_not_found")
    # `household` is not a CR number: the household's cards have their own addresses.
    response = as_individual.get("/api/v1/establishments/household/labour-cards")
    assert problem(response, 422, "validation_failed")["errors"][0]["field"] == "cr_number"


# --- Paid requests -------------------------------------------------------------------------------


def test_a_card_is_requested_after_arrival_paid_and_issued(as_rep, base, arrived, fees, pay):
    waiting = as_rep.get(base + "/workers-without-card").json()
    assert [w["employment_id"] for w in waiting["items"]] == [arrived.pk]
    assert waiting["items"][0]["resident_card_number"] is None

    response = post(
        as_rep,
        f"{base}/workers/{arrived.pk}/labour-card",
        {"kind": "COMMERCIAL", "resident_card_number": RESIDENT},
    )

    assert response.status_code == 201
    body = response.json()
    request = CardRequest.objects.get(pk=body["id"])
    assert (request.kind, request.employment, request.channel) == ("ISSUE", arrived, "MOBILE")
    assert (body["kind"], body["status"], body["card_number"]) == (
        "ISSUE",
        "AWAITING_PAYMENT",
        None,
    )
    (invoice,) = body["invoices"]
    assert invoice["number"] == request.invoice.number
    assert (invoice["amount_baisa"], invoice["amount"], invoice["status"]) == (
        201_000,
        "OMR 201.000",
        "UNPAID",
    )
    assert invoice["payment_url"] == f"http://testserver/payments/invoices/{invoice['number']}/"
    assert body["amount_due_baisa"] == 201_000
    event = AuditEvent.objects.get(action="card_request.created")
    assert (event.channel, event.on_behalf_of_kind, event.on_behalf_of_key) == (
        Channel.MOBILE,
        "establishment",
        arrived.establishment.cr_number,
    )
    completion = f"{base}/card-requests/{request.pk}/completion"
    problem(post(as_rep, completion), 409, "card_request_not_paid")

    pay(request.invoice)
    done = post(as_rep, completion).json()

    card = LabourCard.objects.get(employment=arrived)
    assert (done["status"], done["card_number"], done["amount_due_baisa"]) == (
        "COMPLETED",
        card.number,
        0,
    )
    assert as_rep.get(base + "/workers-without-card").json()["count"] == 0
    assert (
        as_rep.get(f"{base}/labour-cards/{card.number}").json()["worker"]["resident_card_number"]
        == RESIDENT
    )


def test_a_second_request_for_the_same_card_is_a_conflict(as_rep, base, arrived, fees):
    url = f"{base}/workers/{arrived.pk}/labour-card"
    assert post(as_rep, url, {"kind": "COMMERCIAL"}).status_code == 201

    problem(post(as_rep, url, {"kind": "COMMERCIAL"}), 409, "card_request_pending")
    assert CardRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"kind": "COMMERCIAL", "resident_card_number": "12ab"}, "invalid_identifier"),
        ({"kind": "COMMERCIAL", "resident_card_number": "123"}, "invalid_identifier"),
        ({"kind": "TEMPORARY"}, "validation_failed"),
        ({}, "validation_failed"),
    ],
)
def test_bad_issue_requests_are_refused_and_save_nothing(as_rep, base, arrived, fees, body, code):
    problem(post(as_rep, f"{base}/workers/{arrived.pk}/labour-card", body), 422, code)
    assert not CardRequest.objects.exists()


def test_a_due_card_is_renewed_once(as_rep, base, card, pay):
    due_soon(card)
    url = f"{base}/labour-cards/{card.number}/renewal"

    response = post(as_rep, url)

    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["card_number"]) == ("RENEWAL", card.number)
    assert body["invoices"][0]["amount_baisa"] == 301_000
    problem(post(as_rep, url), 409, "card_request_pending")
    pay(CardRequest.objects.get(pk=body["id"]).invoice)
    post(as_rep, f"{base}/card-requests/{body['id']}/completion")
    card.refresh_from_db()
    assert card.expiry_date > timezone.localdate() + dt.timedelta(days=365)


def test_a_card_not_yet_due_is_not_renewed(as_rep, base, card):
    problem(post(as_rep, f"{base}/labour-cards/{card.number}/renewal"), 409, "not_due_for_renewal")
    assert not CardRequest.objects.filter(kind="RENEWAL").exists()


def test_the_departure_form_is_printed_once_paid(as_rep, base, card, pay):
    body = post(as_rep, f"{base}/labour-cards/{card.number}/departure-form").json()
    url = f"{base}/card-requests/{body['id']}"
    assert body["invoices"][0]["amount_baisa"] == 5_000 and body["document_url"] is None
    problem(as_rep.get(url + "/document"), 404, "document_not_ready")

    pay(CardRequest.objects.get(pk=body["id"]).invoice)
    post(as_rep, url + "/completion")

    detail = as_rep.get(url).json()
    assert detail["status"] == "COMPLETED"
    assert detail["document_url"] == url + "/document"
    pdf = as_rep.get(detail["document_url"])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_another_employers_request_is_not_found(client, base, card, system_actor):
    request = card.requests.get()
    as_other = bearer(client, RepresentationFactory().user, system_actor)
    other_base = f"/api/v1/establishments/{as_other_cr(as_other)}"

    problem(as_other.get(f"{other_base}/card-requests/{request.pk}"), 404, "card_request_not_found")
    problem(
        post(as_other, f"{other_base}/card-requests/{request.pk}/completion"),
        404,
        "card_request_not_found",
    )


def as_other_cr(client) -> str:
    """The CR number of the one establishment the client's user represents."""
    return client.get("/api/v1/me").json()["establishments"][0]["cr_number"]


# --- Lists: pages and query counts ---------------------------------------------------------------


def add_cards(establishment, count):
    """Open cards made directly (the paid flow is tested above), one per new worker."""
    for _ in range(count):
        employment = EmploymentFactory(establishment=establishment)
        LabourCard.objects.create(
            number=f"LC{employment.pk:08d}",
            employment=employment,
            kind=LabourCard.Kind.COMMERCIAL,
            issued_at=timezone.now(),
            expiry_date=timezone.localdate() + dt.timedelta(days=400 + employment.pk),
        )


def test_the_lists_cost_the_same_queries_for_3_or_30_rows(
    as_rep, base, establishment, employer_actor, fees, django_assert_max_num_queries
):
    as_rep.get(base + "/labour-cards")  # the token's last use is recorded once
    for added in (3, 27):
        add_cards(establishment, added)
        for employment in EmploymentFactory.create_batch(added, establishment=establishment):
            services.card_issue_request(
                actor=employer_actor, now=timezone.now(), employment=employment, kind="COMMERCIAL"
            )
        rows = LabourCard.objects.count()
        for path in ("/labour-cards", "/card-requests", "/workers-without-card"):
            with django_assert_max_num_queries(4):
                body = as_rep.get(base + path, {"limit": 100}).json()
            assert len(body["items"]) == rows, path


def test_card_pages_are_stable_and_complete(as_rep, base, establishment):
    add_cards(establishment, 7)
    seen = []
    for offset in (0, 3, 6):
        page = as_rep.get(base + "/labour-cards", {"limit": 3, "offset": offset}).json()
        assert page["count"] == 7
        seen += [item["number"] for item in page["items"]]
    assert seen == list(
        LabourCard.objects.order_by("expiry_date", "id").values_list("number", flat=True)
    )


# --- Transfers -----------------------------------------------------------------------------------


@pytest.fixture
def as_new(new_employer, system_actor):
    user = RepresentationFactory(establishment=new_employer).user
    return bearer(Client(), user, system_actor)


@pytest.fixture
def new_base(new_employer):
    return f"/api/v1/establishments/{new_employer.cr_number}"


def ask(client, new_base, **fields):
    body = {
        "resident_card_number": RESIDENT,
        "licence_number": "WP-LIC000001",
        "occupation": "7112",
        "basic_wage_baisa": 200_000,
        **fields,
    }
    return post(client, new_base + "/transfers", body)


def test_a_transfer_is_asked_agreed_paid_and_completed(
    as_rep, base, as_new, new_base, new_employer, card, pay
):
    response = ask(as_new, new_base)

    assert response.status_code == 201
    asked = response.json()
    transfer = Transfer.objects.get(pk=asked["id"])
    assert (transfer.status, transfer.to_establishment) == ("AWAITING_CONSENT", new_employer)
    assert (asked["status"], asked["direction"]) == ("AWAITING_CONSENT", "in")
    assert asked["worker"]["resident_card_number"] == RESIDENT
    assert asked["to_establishment"]["cr_number"] == new_employer.cr_number
    assert asked["invoice"]["amount_baisa"] == 151_000
    problem(ask(as_new, new_base), 409, "transfer_pending")

    (out,) = as_rep.get(base + "/transfers").json()["items"]
    assert (out["id"], out["direction"], out["invoice"]) == (transfer.pk, "out", None)
    # Only the current employer consents; the new one cannot consent for it.
    problem(post(as_new, f"{new_base}/transfers/{transfer.pk}/consent"), 404, "transfer_not_found")
    agreed = post(as_rep, f"{base}/transfers/{transfer.pk}/consent").json()
    assert agreed["status"] == "AWAITING_PAYMENT"
    problem(post(as_rep, f"{base}/transfers/{transfer.pk}/consent"), 409, "transfer_closed")
    completion = f"{new_base}/transfers/{transfer.pk}/completion"
    problem(post(as_new, completion), 409, "transfer_not_paid")

    pay(transfer.invoice)
    done = post(as_new, completion).json()

    assert done["status"] == "COMPLETED"
    moved = Employment.objects.get(person=card.employment.person, status="ACTIVE")
    assert moved.establishment == new_employer and moved.basic_wage_baisa == 200_000
    card.refresh_from_db()
    assert card.status == LabourCard.Status.CANCELLED
    waiting = as_new.get(new_base + "/workers-without-card").json()["items"]
    assert [w["employment_id"] for w in waiting] == [moved.pk]


def test_the_current_employer_refuses_and_the_fee_is_cancelled(
    as_rep, base, as_new, new_base, card
):
    transfer_id = ask(as_new, new_base).json()["id"]

    body = post(as_rep, f"{base}/transfers/{transfer_id}/refuse").json()

    assert body["status"] == "REFUSED"
    transfer = Transfer.objects.get(pk=transfer_id)
    assert transfer.status == "REFUSED" and transfer.invoice.status == "CANCELLED"


def test_the_new_employer_withdraws_its_request(as_rep, base, as_new, new_base, card):
    transfer_id = ask(as_new, new_base).json()["id"]
    problem(post(as_rep, f"{base}/transfers/{transfer_id}/cancel"), 404, "transfer_not_found")

    body = post(as_new, f"{new_base}/transfers/{transfer_id}/cancel").json()

    assert body["status"] == "CANCELLED"
    assert Transfer.objects.get(pk=transfer_id).status == "CANCELLED"


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"occupation": "0000"}, 422, "unknown_occupation"),
        ({"resident_card_number": "71-23ab"}, 422, "invalid_identifier"),
        ({"basic_wage_baisa": -1}, 422, "validation_failed"),
        ({"resident_card_number": "79999999"}, 404, "worker_not_found"),
        ({"licence_number": "WP-NONE"}, 409, "licence_not_found"),
    ],
)
def test_bad_transfer_requests_are_refused_and_save_nothing(
    as_new, new_base, card, fields, status, code
):
    problem(ask(as_new, new_base, **fields), status, code)
    assert not Transfer.objects.exists()


def test_a_transfer_asked_by_an_individual_is_not_found(client, card, system_actor, new_employer):
    as_individual = bearer(client, UserFactory(role=Role.INDIVIDUAL), system_actor)
    problem(
        ask(as_individual, f"/api/v1/establishments/{new_employer.cr_number}"),
        404,
        "establishment_not_found",
    )


# --- A household's domestic workers --------------------------------------------------------------


@pytest.fixture
def household(db):
    return PersonFactory(
        is_national=True, nationality=oman(), civil_number=HOUSEHOLD_CIVIL_NUMBER, gender="M"
    )


@pytest.fixture
def as_householder(client, household, system_actor):
    user = UserFactory(role=Role.INDIVIDUAL, civil_number=HOUSEHOLD_CIVIL_NUMBER)
    return bearer(client, user, system_actor)


@pytest.fixture
def maid(household):
    person = PersonFactory(civil_number=None, passport_number="M7654321", gender="F")
    return EmploymentFactory(person=person, establishment=None, household=household)


def test_a_household_gets_and_renews_its_maids_card(as_householder, maid, fees, pay):
    waiting = as_householder.get("/api/v1/household/workers-without-card").json()
    assert [w["employment_id"] for w in waiting["items"]] == [maid.pk]
    url = f"/api/v1/household/workers/{maid.pk}/labour-card"
    problem(post(as_householder, url, {"kind": "COMMERCIAL"}), 400, "household_card_is_private")

    body = post(as_householder, url, {"kind": "PRIVATE"}).json()

    request = CardRequest.objects.get(pk=body["id"])
    assert body["invoices"][0]["amount_baisa"] == 101_000
    assert request.invoice.payer_user.civil_number == HOUSEHOLD_CIVIL_NUMBER
    event = AuditEvent.objects.get(action="card_request.created")
    assert (event.on_behalf_of_kind, event.on_behalf_of_key) == (
        "household",
        HOUSEHOLD_CIVIL_NUMBER,
    )
    pay(request.invoice)
    done = post(as_householder, f"/api/v1/household/card-requests/{request.pk}/completion").json()
    card = LabourCard.objects.get(employment=maid)
    assert (done["status"], card.kind) == ("COMPLETED", "PRIVATE")
    (listed,) = as_householder.get("/api/v1/household/labour-cards").json()["items"]
    assert listed["document_url"] == f"/api/v1/household/labour-cards/{card.number}/document"
    assert as_householder.get(listed["document_url"]).content.startswith(b"%PDF")
    due_soon(card)
    renewal = post(as_householder, f"/api/v1/household/labour-cards/{card.number}/renewal")
    assert renewal.status_code == 201 and renewal.json()["invoices"][0]["amount_baisa"] == 141_000


def test_a_representative_without_a_household_has_no_household_cards(as_rep, card):
    problem(as_rep.get("/api/v1/household/labour-cards"), 404, "household_not_found")


def test_another_households_card_is_not_found(as_rep, maid, fees, client, system_actor):
    PersonFactory(is_national=True, nationality=oman(), civil_number="81111111")
    card = LabourCard.objects.create(
        number="LC00MAID0001",
        employment=maid,
        kind=LabourCard.Kind.PRIVATE,
        issued_at=timezone.now(),
        expiry_date=timezone.localdate() + dt.timedelta(days=400),
    )
    other = bearer(client, UserFactory(civil_number="81111111"), system_actor)

    problem(
        other.get(f"/api/v1/household/labour-cards/{card.number}"), 404, "labour_card_not_found"
    )


def test_the_openapi_document_lists_the_labour_card_endpoints(client):
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    for employer in ("/api/v1/establishments/{cr_number}", "/api/v1/household"):
        assert {
            employer + "/labour-cards",
            employer + "/labour-cards/{number}",
            employer + "/labour-cards/{number}/document",
            employer + "/labour-cards/{number}/renewal",
            employer + "/labour-cards/{number}/departure-form",
            employer + "/workers-without-card",
            employer + "/workers/{employment_id}/labour-card",
            employer + "/card-requests",
            employer + "/card-requests/{request_id}",
            employer + "/card-requests/{request_id}/completion",
            employer + "/card-requests/{request_id}/document",
        } <= paths
    assert {
        "/api/v1/establishments/{cr_number}/transfers",
        "/api/v1/establishments/{cr_number}/transfers/{transfer_id}/consent",
        "/api/v1/establishments/{cr_number}/transfers/{transfer_id}/refuse",
        "/api/v1/establishments/{cr_number}/transfers/{transfer_id}/completion",
        "/api/v1/establishments/{cr_number}/transfers/{transfer_id}/cancel",
    } <= paths
