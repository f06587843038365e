"""The worker's answer and social insurance's: at once when it answers, waiting while it is
down and completing by itself after it recovers, its own call on the partner API, and the
officer's decision on a stuck contract."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from manpower.accounts.models import Department, Role
from manpower.contracts import services, tasks
from manpower.contracts.models import Contract
from manpower.core.actor import Actor
from manpower.core.errors import ReasonRequired
from manpower.integration import adapters
from manpower.integration import services as integration
from manpower.registry.models import Employment
from manpower.registry.tests.factories import UserFactory

from .conftest import agency

pytestmark = pytest.mark.django_db

Document = apps.get_model("documents", "Document")
Agency = apps.get_model("integration", "Agency")
OutboxEvent = apps.get_model("integration", "OutboxEvent")

BASE = "/api/partners/v1/social-insurance"
# serialized_rollback: a plain transactional test would re-create the content types under new
# ids when it flushes, and demo's serialized day tests after it could not restore theirs.
live = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # simulator reads commits


def accepted_in_the_ledger(contract):
    contract.refresh_from_db()
    assert contract.status == "ACCEPTED"
    employment = contract.employment
    assert employment.status == "ACTIVE" and employment.person_is_national
    assert employment.basic_wage_baisa == contract.basic_wage_baisa
    assert Document.objects.get(code=contract.document_code).kind == "CONTRACT_CERTIFICATE"
    assert OutboxEvent.objects.filter(
        event_type="contract.accepted", subject=f"contract:{contract.number}"
    ).exists()


@live
def test_worker_accepts_and_social_insurance_confirms_at_once(
    register, worker_actor, simulator, now
):
    contract = services.contract_accept(actor=worker_actor, now=now, contract=register())
    accepted_in_the_ledger(contract)
    call_command("verify_audit")


@live
def test_agency_down_the_contract_waits_then_completes_by_itself(
    register, worker_actor, simulator, now
):
    agency(simulator, "social-insurance", down=True)
    contract = services.contract_accept(actor=worker_actor, now=now, contract=register())
    assert contract.status == "AWAITING_INSURANCE"
    assert not Employment.objects.filter(person=contract.person).exists()

    agency(simulator, "social-insurance", down=False)
    later = now + timezone.timedelta(minutes=5)
    assert adapters.run_queued_checks(now=later) == 1  # the integration worker's loop
    accepted_in_the_ledger(contract)


@live
def test_the_daily_run_is_the_safety_net(register, worker_actor, simulator, now):
    agency(simulator, "social-insurance", down=True)
    contract = services.contract_accept(actor=worker_actor, now=now, contract=register())
    agency(simulator, "social-insurance", down=False)
    assert tasks.run_daily(now=now)["insurance_decided"] == 1
    accepted_in_the_ledger(contract)


def test_no_simulator_means_waiting(register, worker_actor, now, settings):
    settings.INTEGRATION_SIMULATOR_URL = "http://127.0.0.1:9"  # nothing listens
    settings.INTEGRATION_ADAPTER_RETRIES = 0
    contract = services.contract_accept(actor=worker_actor, now=now, contract=register())
    assert contract.status == "AWAITING_INSURANCE"


def test_worker_refuses_with_a_reason(register, worker_actor, now, representative):
    contract = register()
    with pytest.raises(ReasonRequired):
        services.contract_refuse(actor=worker_actor, now=now, contract=contract, reason=" ")
    refused = services.contract_refuse(
        actor=worker_actor, now=now, contract=contract, reason="The wage is too low"
    )
    assert refused.status == "REFUSED_BY_WORKER" and refused.decision_reason
    assert representative.notifications.filter(subject_en__contains=contract.number).exists()
    with pytest.raises(services.ContractStatusConflict):
        services.contract_accept(actor=worker_actor, now=now, contract=contract)


@pytest.fixture
def waiting(register, worker_actor, now, settings):
    settings.INTEGRATION_SIMULATOR_URL = "http://127.0.0.1:9"
    settings.INTEGRATION_ADAPTER_RETRIES = 0
    return services.contract_accept(actor=worker_actor, now=now, contract=register())


def officer(department=Department.EMPLOYMENT):
    user = UserFactory(role=Role.OFFICER, department=department)
    return Actor.for_user(user)


def test_officer_of_employment_decides_a_stuck_contract(waiting, now):
    with pytest.raises(ReasonRequired):
        services.contract_decide(actor=officer(), now=now, contract=waiting, accept=True, reason="")
    services.contract_decide(
        actor=officer(), now=now, contract=waiting, accept=True, reason="Registered by phone"
    )
    accepted_in_the_ledger(waiting)


def test_officer_rejects(waiting, now):
    rejected = services.contract_decide(
        actor=officer(), now=now, contract=waiting, accept=False, reason="Not insured"
    )
    assert rejected.status == "REJECTED" and rejected.employment is None


def test_a_licensing_officer_may_not_decide(waiting, now):
    from manpower.accounts.permissions import StaffActionNotPermitted

    with pytest.raises(StaffActionNotPermitted):
        services.contract_decide(
            actor=officer(Department.LICENSING), now=now, contract=waiting, accept=True, reason="x"
        )


@pytest.fixture
def insurance_key(system_actor, now, seeded_agencies):
    def issue(scopes=("social-insurance",)):
        return integration.partner_key_create(
            actor=system_actor,
            agency=Agency.objects.get(code="social-insurance"),
            scopes=list(scopes),
            now=now,
        )[1]

    return issue


def post_answer(client, key, number, body):
    return client.post(
        f"{BASE}/contracts/{number}/insurance-registration",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def test_social_insurance_confirms_through_the_partner_api_idempotently(
    client, waiting, insurance_key
):
    key = insurance_key()
    first = post_answer(client, key, waiting.number, {"registered": True})
    assert first.status_code == 200 and first.json()["status"] == "ACCEPTED"
    again = post_answer(client, key, waiting.number, {"registered": True})
    assert again.status_code == 200 and again.json() == first.json()
    accepted_in_the_ledger(waiting)
    assert Employment.objects.filter(person=waiting.person).count() == 1
    conflict = post_answer(client, key, waiting.number, {"registered": False})
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "contract_already_decided"


def test_social_insurance_refuses(client, waiting, insurance_key):
    response = post_answer(
        client, insurance_key(), waiting.number, {"registered": False, "reason": "No record"}
    )
    assert response.status_code == 200 and response.json()["status"] == "REJECTED"
    assert Contract.objects.get(pk=waiting.pk).decision_reason == "No record"


def test_partner_api_needs_the_scope_and_a_known_contract(client, waiting, insurance_key):
    assert post_answer(client, insurance_key(["registry"]), waiting.number, {}).status_code == 403
    missing = post_answer(client, insurance_key(), "CT0000000000", {"registered": True})
    assert missing.status_code == 404 and missing.json()["code"] == "contract_not_found"
    bad = post_answer(client, insurance_key(), waiting.number, {"registered": "maybe\x00"})
    assert bad.status_code in (400, 422)


def test_social_insurance_reads_a_persons_contracts(client, waiting, insurance_key):
    response = client.get(
        f"{BASE}/persons/{waiting.person.civil_number}/contracts",
        HTTP_AUTHORIZATION=f"Bearer {insurance_key()}",
    )
    assert response.status_code == 200
    assert [row["contract_number"] for row in response.json()] == [waiting.number]
    assert response.json()[0]["status"] == "AWAITING_INSURANCE"
