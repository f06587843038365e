"""A complaint referred to court: the case file with its evidence list goes to the courts
through the outbox (to the simulator over real HTTP, retried while the courts are down), and the
court posts hearings and its judgment back on the partner API (scope judicial), idempotently."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request

import pytest
from django.apps import apps as django_apps
from django.test import Client

from manpower.integration import services as integration
from manpower.integration.delivery import deliver_due
from manpower.labourcare import services
from manpower.labourcare.models import LabourCase
from manpower.labourcare.selectors import complaints as selectors

from .conftest import PDF

pytestmark = pytest.mark.django_db
Notification = django_apps.get_model("notifications", "Notification")

Agency = django_apps.get_model("integration", "Agency")
Delivery = django_apps.get_model("integration", "Delivery")
Subscription = django_apps.get_model("integration", "Subscription")
BASE = "/api/partners/v1/judicial/cases"


def control(server, **switches):
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.server_port}/_control",
        data=json.dumps(switches).encode(),
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


@pytest.fixture
def courts_subscription(simulator):
    """Migration 0006's subscription of the courts, pointed at this test's simulator."""
    importlib_seed = __import__(
        "manpower.integration.migrations.0006_judicial_case_subscription", fromlist=["subscribe"]
    )
    importlib_seed.subscribe(django_apps, None)
    subscription = Subscription.objects.get(agency__code="courts")
    subscription.url = f"http://127.0.0.1:{simulator.server_port}/judicial/cases"
    subscription.save()
    return subscription


@pytest.fixture
def court_key(system_actor, now):
    def issue(agency="courts", scopes=("judicial",)):
        return integration.partner_key_create(
            actor=system_actor, agency=Agency.objects.get(code=agency), scopes=scopes, now=now
        )[1]

    return issue


def court(key, path, body=None):
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if body is None:
        return client.get(BASE + path, **headers)
    return client.post(BASE + path, data=body, content_type="application/json", **headers)


@pytest.fixture
def referred(file_complaint, officer_actor, now):
    complaint = file_complaint(evidence=[("payslip.pdf", [PDF])])
    services.complaint_assign(actor=officer_actor, now=now, complaint=complaint)
    return services.complaint_refer(
        actor=officer_actor, now=now, complaint=complaint, reason="The employer did not come."
    )


def test_referral_closes_the_complaint_and_publishes_the_case_file(referred):
    complaint = referred.complaint
    assert complaint.status == "REFERRED_TO_COURT"
    assert referred.status == LabourCase.Status.SENT and referred.agency_code == "courts"
    event = django_apps.get_model("integration", "OutboxEvent").objects.get(
        event_type="labour_case.referred"
    )
    assert event.payload["case_number"] == referred.number
    (evidence,) = event.payload["evidence"]
    assert evidence["name"] == "payslip.pdf" and len(evidence["sha256"]) == 64
    assert evidence["download_path"].startswith(BASE + f"/{referred.number}/evidence/")


def test_a_case_is_referred_only_by_its_officer_from_an_open_complaint(
    file_complaint, officer_actor, worker_actor, now
):
    complaint = file_complaint()
    from manpower.accounts.permissions import StaffActionNotPermitted

    with pytest.raises(StaffActionNotPermitted):
        services.complaint_refer(actor=worker_actor, now=now, complaint=complaint, reason="x")
    with pytest.raises(services.ComplaintStatusConflict):  # not reviewed yet
        services.complaint_refer(actor=officer_actor, now=now, complaint=complaint, reason="x")
    assert not LabourCase.objects.exists()


def test_the_courts_round_trip_through_the_simulator_with_the_courts_down_then_back(
    file_complaint, officer_actor, courts_subscription, simulator, court_key, worker, now
):
    control(simulator, agency="courts", down=True)
    complaint = file_complaint(evidence=[("payslip.pdf", [PDF])])
    services.complaint_assign(actor=officer_actor, now=now, complaint=complaint)
    case = services.complaint_refer(
        actor=officer_actor, now=now, complaint=complaint, reason="No settlement."
    )

    assert deliver_due(worker="t", now=now) == 1
    delivery = Delivery.objects.get(subscription=courts_subscription)
    assert (delivery.status, delivery.last_status_code) == ("PENDING", 503)
    assert case.number not in simulator.cases

    control(simulator, agency="courts", down=False)
    assert deliver_due(worker="t", now=now + dt.timedelta(hours=1)) == 1
    delivery.refresh_from_db()
    assert delivery.status == "DELIVERED"
    received = simulator.cases[case.number]
    assert received["complaint_number"] == complaint.number
    assert [e["sha256"] for e in received["evidence"]] == [complaint.evidence.get().sha256]

    key = court_key()
    # The court reads the case and downloads its evidence.
    assert court(key, f"/{case.number}").json()["status"] == "SENT"
    download = court(key, received["evidence"][0]["download_path"].removeprefix(BASE))
    assert b"".join(download.streaming_content) == PDF

    hearing = {
        "reference": "H-1",
        "hearing_at": "2026-12-10T09:00:00+04:00",
        "court_name": "Primary Court of Muscat, labour circuit",
    }
    assert court(key, f"/{case.number}/hearings", json.dumps(hearing)).status_code == 201
    assert court(key, f"/{case.number}/hearings", json.dumps(hearing)).status_code == 200
    changed = {**hearing, "hearing_at": "2026-12-11T09:00:00+04:00"}
    assert court(key, f"/{case.number}/hearings", json.dumps(changed)).status_code == 409

    judgment = json.dumps(
        {
            "judgment_date": "2026-12-20",
            "judgment_for": "WORKER",
            "orders_transfer": True,
            "dues_baisa": 300_000,
            "summary": "The employer pays the wages owed; the worker may move employer.",
        }
    )
    first = court(key, f"/{case.number}/judgment", judgment)
    assert first.status_code == 201 and first.json()["status"] == "JUDGED"
    again = court(key, f"/{case.number}/judgment", judgment)
    assert again.status_code == 200 and again.json() == first.json()
    other = json.dumps({"judgment_date": "2026-12-21", "judgment_for": "EMPLOYER"})
    refused = court(key, f"/{case.number}/judgment", other)
    assert refused.status_code == 409 and refused.json()["code"] == "judgment_already_recorded"

    case.refresh_from_db()
    assert case.frees_the_worker
    assert len(case.hearings.all()) == 1
    assert selectors.judgment_frees_worker(civil_number=complaint.person.civil_number)
    subjects = set(
        Notification.objects.filter(recipient=worker).values_list("subject_en", flat=True)
    )
    assert f"Hearing of case {case.number}" in subjects
    assert f"Judgment in case {case.number}" in subjects


def test_another_agency_or_scope_cannot_touch_the_case(referred, court_key):
    path = f"/{referred.number}"
    assert court(court_key(agency="prosecution"), path).status_code == 404
    assert court(court_key(scopes=("registry",)), path).status_code == 403
    assert court("mp_nonsense", path).status_code == 401
    assert court(court_key(), "/LC-0000-999999").status_code == 404


def test_bad_court_messages_are_refused_and_change_nothing(referred, court_key):
    key = court_key()
    path = f"/{referred.number}/judgment"
    assert court(key, path, json.dumps({"judgment_for": "NOBODY"})).status_code == 422
    assert court(key, path, "{not json").status_code in (400, 422)
    nul = json.dumps(
        {"reference": "a\u0000", "hearing_at": "2026-12-10T09:00:00Z", "court_name": "x"}
    )
    assert court(key, f"/{referred.number}/hearings", nul).status_code in (400, 422)
    referred.refresh_from_db()
    assert referred.status == "SENT" and not referred.hearings.exists()


def test_a_judgment_for_the_employer_frees_nobody(referred, system_actor, now):
    case, _new = services.case_judgment_record(
        actor=system_actor,
        now=now,
        case=referred,
        judgment_date=dt.date(2026, 12, 1),
        judgment_for="EMPLOYER",
        orders_transfer=False,
        dues_baisa=0,
        summary="Dismissed.",
    )
    assert not case.frees_the_worker
    assert not selectors.judgment_frees_worker(civil_number=case.complaint.person.civil_number)
