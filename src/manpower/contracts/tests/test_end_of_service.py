"""Resignation, termination and objection, for nationals and non-nationals; the employment ends
on the last day; a non-national's termination lets a transfer go ahead without consent."""

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from manpower.contracts import services, tasks
from manpower.contracts.models import EndOfService
from manpower.core.actor import Actor
from manpower.registry.models import Employment

from .conftest import TODAY

pytestmark = pytest.mark.django_db

OutboxEvent = apps.get_model("integration", "OutboxEvent")


@pytest.fixture
def in_force(register, worker_actor, now, settings):
    """An accepted contract (an officer decided it: no simulator needed)."""
    from manpower.accounts.models import Department, Role
    from manpower.registry.tests.factories import UserFactory

    settings.INTEGRATION_SIMULATOR_URL = "http://127.0.0.1:9"
    settings.INTEGRATION_ADAPTER_RETRIES = 0
    contract = services.contract_accept(actor=worker_actor, now=now, contract=register())
    staff = Actor.for_user(UserFactory(role=Role.OFFICER, department=Department.EMPLOYMENT))
    return services.contract_decide(
        actor=staff, now=now, contract=contract, accept=True, reason="Confirmed by phone"
    )


def test_resignation_runs_the_notice_then_ends_the_employment(
    in_force, worker_actor, now, representative
):
    end = services.resignation_submit(
        actor=worker_actor, now=now, employment=in_force.employment, reason="Moving"
    )
    assert end.last_day == TODAY + dt.timedelta(days=30) and end.status == "NOTICE"
    assert representative.notifications.filter(subject_en="A worker resigned").exists()
    assert tasks.run_daily(now=now)["employments_ended"] == 0
    later = now + dt.timedelta(days=30)
    assert tasks.run_daily(now=later)["employments_ended"] == 1
    employment = Employment.objects.get(pk=in_force.employment_id)
    assert employment.status == "ENDED" and employment.end_date == end.last_day
    in_force.refresh_from_db()
    assert in_force.status == "ENDED"
    assert OutboxEvent.objects.filter(event_type="employment.ended").count() == 1
    with pytest.raises(services.EmploymentNotActive):
        services.resignation_submit(actor=worker_actor, now=later, employment=employment)


def test_termination_today_ends_at_once_and_may_be_objected(
    in_force, employer_actor, worker_actor, worker, now, settings
):
    settings.CONTRACTS_OBJECTION_DAYS = 10
    end = services.termination_submit(
        actor=employer_actor,
        now=now,
        employment=in_force.employment,
        ground="ECONOMIC_REASONS",
        last_day=TODAY,
    )
    assert end.status == "ENDED" and end.objection_deadline == TODAY + dt.timedelta(days=10)
    assert Employment.objects.get(pk=in_force.employment_id).status == "ENDED"
    assert worker.notifications.filter(subject_en="Your employer ended your service").exists()
    assert OutboxEvent.objects.filter(event_type="employment.end_notified").exists()

    too_late = now + dt.timedelta(days=11)
    with pytest.raises(services.ObjectionClosed):
        services.termination_object(actor=worker_actor, now=too_late, end=end, objection="No")
    services.termination_object(
        actor=worker_actor, now=now, end=end, objection="My performance was never questioned."
    )
    end.refresh_from_db()
    assert end.objected_at == now
    with pytest.raises(services.ObjectionClosed):
        services.termination_object(actor=worker_actor, now=now, end=end, objection="Again")


@pytest.mark.parametrize(
    ("ground", "last_day", "error"),
    [
        ("BECAUSE", TODAY, services.UnknownGround),
        ("PROBATION", TODAY - dt.timedelta(days=1), services.InvalidLastDay),
        ("PROBATION", TODAY + dt.timedelta(days=400), services.InvalidLastDay),
    ],
)
def test_termination_refusals(in_force, employer_actor, now, ground, last_day, error):
    with pytest.raises(error) as caught:
        services.termination_submit(
            actor=employer_actor,
            now=now,
            employment=in_force.employment,
            ground=ground,
            last_day=last_day,
        )
    assert caught.value.bilingual()["ar"] != caught.value.bilingual()["en"]
    assert not EndOfService.objects.exists()


def test_grounds_are_a_setting(in_force, employer_actor, now, settings):
    settings.CONTRACTS_TERMINATION_GROUNDS = ["FIRM_CLOSED"]
    with pytest.raises(services.UnknownGround):
        services.termination_submit(
            actor=employer_actor,
            now=now,
            employment=in_force.employment,
            ground="PROBATION",
            last_day=TODAY,
        )


def test_end_of_service_already_recorded(in_force, employer_actor, worker_actor, now):
    services.resignation_submit(actor=worker_actor, now=now, employment=in_force.employment)
    with pytest.raises(services.EndAlreadySubmitted):
        services.termination_submit(
            actor=employer_actor,
            now=now,
            employment=in_force.employment,
            ground="PROBATION",
            last_day=TODAY + dt.timedelta(days=5),
        )


def test_amendment_confirmed_changes_contract_and_ledger(
    in_force, employer_actor, worker_actor, now
):
    amendment = services.amendment_propose(
        actor=employer_actor,
        now=now,
        contract=in_force,
        occupation_code="7112",
        weekly_hours=45,
        basic_wage_baisa=500_000,
        allowances_baisa=0,
    )
    with pytest.raises(services.AmendmentPending):
        services.amendment_propose(
            actor=employer_actor,
            now=now,
            contract=in_force,
            occupation_code="7112",
            weekly_hours=40,
            basic_wage_baisa=600_000,
            allowances_baisa=0,
        )
    old_code = in_force.document_code
    services.amendment_confirm(actor=worker_actor, now=now, amendment=amendment)
    in_force.refresh_from_db()
    assert in_force.basic_wage_baisa == 500_000 and in_force.document_code != old_code
    assert Employment.objects.get(pk=in_force.employment_id).basic_wage_baisa == 500_000
    amendment.refresh_from_db()
    assert amendment.status == "CONFIRMED" and amendment.before["basic_wage_baisa"] == 400_000
    with pytest.raises(services.NothingAmended):
        services.amendment_propose(
            actor=employer_actor,
            now=now,
            contract=in_force,
            occupation_code="7112",
            weekly_hours=45,
            basic_wage_baisa=500_000,
            allowances_baisa=0,
        )


def test_counts_per_month_establishment_and_governorate(in_force, register, now):
    from manpower.contracts import selectors

    rows = selectors.contract_counts(by="establishment")
    assert rows == [
        {
            "key": in_force.establishment.cr_number,
            "registered": 1,
            "accepted": 1,
            "rejected": 0,
            "pending": 0,
        }
    ]
    assert selectors.contract_counts(by="governorate")[0]["key"] == "MA"
    month = selectors.contract_counts(by="month")[0]
    assert month["registered"] == 1 and timezone.localdate(month["key"]).month == now.month


def test_an_amendment_is_answered_once_on_any_channel(
    in_force, employer_actor, worker_actor, worker, client, now
):
    """The rule (an answer needs a proposed amendment) is the service's: the portal and the app
    both get the same refusal, and the second answer changes nothing."""
    services.amendment_propose(
        actor=employer_actor,
        now=now,
        contract=in_force,
        occupation_code="7112",
        weekly_hours=45,
        basic_wage_baisa=500_000,
        allowances_baisa=0,
    )
    client.force_login(worker)
    api = f"/api/v1/contracts/{in_force.number}/amendment/decline"
    assert client.post(api).status_code == 200
    again = client.post(api)
    assert again.status_code == 409 and again.json()["code"] == "amendment_closed"
    confirm = reverse("contracts:amendment-answer", args=[in_force.number, "confirm"])
    page = client.post(confirm, follow=True).content.decode()
    assert "This amendment has already been answered." in page
    in_force.refresh_from_db()
    assert in_force.basic_wage_baisa != 500_000


def test_no_certificate_before_the_contract_is_accepted(register, worker, client):
    contract = register()
    client.force_login(worker)
    answer = client.get(f"/api/v1/contracts/{contract.number}/certificate")
    assert answer.status_code == 404 and answer.json()["code"] == "certificate_not_issued"
    page = client.get(reverse("contracts:mine-certificate", args=[contract.number]))
    assert page.status_code == 404
    unknown = reverse("contracts:amendment-answer", args=[contract.number, "maybe"])
    assert client.post(unknown).status_code == 404
