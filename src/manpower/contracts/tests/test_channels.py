"""The portal pages, the mobile API and the Sanad channel: another employer's contract and a
worker who is not the party are 404s; bad input is a 4xx that changes nothing."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from manpower.accounts.models import Role
from manpower.accounts.services import api_token_create
from manpower.contracts.models import Contract
from manpower.core.actor import Actor
from manpower.core.models import AuditEvent
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
    oman,
)

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def form(terms, **changes):
    data = {
        "civil_number": terms["civil_number"],
        "occupation": terms["occupation_code"],
        "kind": "UNLIMITED",
        "start_date": TODAY.isoformat(),
        "end_date": "",
        "probation_months": "3",
        "weekly_hours": "45",
        "basic_wage": "400.000",
        "allowances": "50",
        "governorate": "MA",
        "wilayat": "MA-SEEB",
    }
    return {**data, **changes}


def test_employer_registers_on_the_portal(client, representative, establishment, terms):
    client.force_login(representative)
    url = reverse("contracts:new", args=[establishment.cr_number])
    assert client.get(url).status_code == 200
    response = client.post(url, form(terms), follow=True)
    contract = Contract.objects.get()
    assert contract.basic_wage_baisa == 400_000 and contract.channel == "WEB"
    assert contract.number in response.content.decode()
    again = client.post(url, form(terms), follow=True)
    assert again.status_code == 200 and Contract.objects.count() == 1


def test_a_refusal_is_shown_by_the_form(client, representative, establishment, terms):
    client.force_login(representative)
    url = reverse("contracts:new", args=[establishment.cr_number])
    response = client.post(url, form(terms, basic_wage="100"))
    assert response.status_code == 400
    assert "national minimum wage" in response.content.decode()
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    "changes", [{"civil_number": "12\x003"}, {"basic_wage": "9" * 40}, {"weekly_hours": "1e99"}]
)
def test_bad_input_is_a_4xx(client, representative, establishment, terms, changes):
    client.force_login(representative)
    url = reverse("contracts:new", args=[establishment.cr_number])
    assert 400 <= client.post(url, form(terms, **changes)).status_code < 500
    assert not Contract.objects.exists()


def test_sanad_operator_registers_for_the_establishment(client, establishment, terms):
    operator = UserFactory(role=Role.SANAD_OPERATOR)
    RepresentationFactory(user=operator, establishment=establishment)
    client.force_login(operator)
    client.post(reverse("contracts:new", args=[establishment.cr_number]), form(terms))
    assert Contract.objects.get().channel == "SANAD"
    assert AuditEvent.objects.filter(action="contract.registered", channel="SANAD").exists()


def test_another_employers_contract_is_not_found(client, register):
    contract = register()
    stranger = UserFactory(role=Role.ESTABLISHMENT_REP)
    other = EstablishmentFactory()
    RepresentationFactory(user=stranger, establishment=other)
    client.force_login(stranger)
    own = contract.establishment.cr_number
    assert client.get(reverse("contracts:detail", args=[own, contract.number])).status_code == 404
    assert (
        client.get(reverse("contracts:detail", args=[other.cr_number, contract.number])).status_code
        == 404
    )


def test_a_worker_not_party_to_the_contract_gets_404(client, register):
    contract = register()
    someone = PersonFactory(is_national=True, passport_number="")
    client.force_login(UserFactory(civil_number=someone.civil_number))
    assert client.get(reverse("contracts:mine-detail", args=[contract.number])).status_code == 404
    assert client.post(reverse("contracts:accept", args=[contract.number])).status_code == 404
    assert Contract.objects.get().status == "SUBMITTED"


def test_worker_refuses_on_the_portal(client, register, worker):
    contract = register()
    client.force_login(worker)
    page = client.get(reverse("contracts:mine-detail", args=[contract.number])).content.decode()
    assert "Accept the contract" in page
    client.post(reverse("contracts:refuse", args=[contract.number]), {"reason": "Too far"})
    assert Contract.objects.get().status == "REFUSED_BY_WORKER"


def bearer(user):
    _token, key = api_token_create(
        actor=Actor.for_user(user), user=user, name="phone", now=timezone.now()
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_mobile_api_registration_and_worker_acceptance(
    client, representative, establishment, terms, worker, settings
):
    settings.INTEGRATION_SIMULATOR_URL = "http://127.0.0.1:9"
    settings.INTEGRATION_ADAPTER_RETRIES = 0
    body = {**terms, "start_date": TODAY.isoformat()}
    url = f"/api/v1/establishments/{establishment.cr_number}/contracts"
    created = client.post(
        url, json.dumps(body), content_type="application/json", **bearer(representative)
    )
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    assert Contract.objects.get().channel == "MOBILE"
    low = client.post(
        url,
        json.dumps({**body, "basic_wage_baisa": 1000}),
        content_type="application/json",
        **bearer(representative),
    )
    assert low.status_code == 400 and low.json()["code"] == "wage_below_minimum"
    huge = client.post(
        url,
        json.dumps({**body, "basic_wage_baisa": 10**30}),
        content_type="application/json",
        **bearer(representative),
    )
    assert huge.status_code == 422
    mine = client.get("/api/v1/contracts", **bearer(worker)).json()
    assert [row["number"] for row in mine["items"]] == [number]
    accepted = client.post(f"/api/v1/contracts/{number}/acceptance", **bearer(worker))
    assert accepted.status_code == 200 and accepted.json()["status"] == "AWAITING_INSURANCE"
    assert client.get(f"/api/v1/contracts/{number}", **bearer(representative)).status_code == 404


def test_the_list_pages_queries_do_not_grow_with_contracts(
    client, representative, establishment, register, worker
):
    """The establishment's list and the worker's page: the same queries for one contract as
    for many (bench/contracts_lists.py measures them at national scale)."""
    register()
    EmploymentFactory(establishment=establishment)

    def queries(user, url) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    pages = [
        (representative, reverse("contracts:list", args=[establishment.cr_number])),
        (worker, reverse("contracts:mine")),
    ]
    few = [queries(user, url) for user, url in pages]
    for _ in range(3):
        national = PersonFactory(is_national=True, nationality=oman(), passport_number="")
        register(civil_number=national.civil_number)
        EmploymentFactory(establishment=establishment)
    for wage in (410_000, 420_000):  # the worker's earlier offers, refused
        Contract.objects.filter(person__civil_number=worker.civil_number).update(
            status="REFUSED_BY_WORKER"
        )
        register(basic_wage_baisa=wage)
    assert Contract.objects.filter(person__civil_number=worker.civil_number).count() == 3
    assert [queries(user, url) for user, url in pages] == few
