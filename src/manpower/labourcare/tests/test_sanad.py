"""A Sanad centre operator files a worker's complaint at the counter: the complaint and its audit
event record the Sanad channel, the worker follows it on their own portal, the labour-care
officer of the governorate receives it; bad input is a clear message that files nothing, and
the page is for Sanad operators only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from manpower.accounts.models import Role
from manpower.core.models import AuditEvent
from manpower.labourcare.models import Complaint
from manpower.registry.tests.factories import EstablishmentFactory, UserFactory

from .conftest import PDF

pytestmark = pytest.mark.django_db
URL = "/labour-care/complaints/sanad/new"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def operator(db):
    return UserFactory(username="sanad-s001", role=Role.SANAD_OPERATOR, language="en")


def complaint_form(person, establishment, **changes):
    data = {
        "civil_number": person.civil_number,
        "employer": establishment.cr_number,
        "identity_checked": "on",
        "category": "WAGES_UNPAID",
        "description": "Wages of October and November not paid.",
        "claimed_amount": "250.000",
        "arose_date": (timezone.localdate() - dt.timedelta(days=20)).isoformat(),
    }
    return {**data, **changes}


def test_the_operator_files_for_the_worker_who_then_follows_it(
    operator, worker, person, establishment, officer
):
    counter = signed_in(operator)
    assert URL in counter.get("/labour-care/complaints/").content.decode()
    assert counter.get(URL).status_code == 200
    data = complaint_form(person, establishment)
    data["evidence"] = [SimpleUploadedFile("payslip.pdf", PDF, "application/pdf")]
    response = counter.post(URL, data, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    complaint = Complaint.objects.get()
    assert f"Complaint {complaint.number} is filed for the worker" in response.content.decode()

    assert (complaint.channel, complaint.filed_by, complaint.filed_by_user_id) == (
        "SANAD",
        "WORKER",
        operator.pk,
    )
    event = AuditEvent.objects.get(action="complaint.filed")
    assert (event.channel, event.actor_user_id) == ("SANAD", operator.pk)
    assert event.on_behalf_of_kind == "person" and event.on_behalf_of_key == person.civil_number
    assert AuditEvent.objects.get(action="complaint.evidence_added").channel == "SANAD"

    portal = signed_in(worker)
    assert complaint.number in portal.get("/labour-care/complaints/").content.decode()
    page = portal.get(f"/labour-care/complaints/{complaint.number}/").content.decode()
    assert "payslip.pdf" in page
    assert (
        complaint.number
        in signed_in(officer).get("/labour-care/complaints/officer/").content.decode()
    )
    # The operator does not read the worker's file afterwards.
    assert counter.get(f"/labour-care/complaints/{complaint.number}/").status_code == 404


def test_the_same_complaint_sent_twice_is_filed_once(operator, person, establishment, employment):
    counter = signed_in(operator)
    counter.post(URL, complaint_form(person, establishment))
    counter.post(URL, complaint_form(person, establishment))
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"civil_number": "99999999"}, "No person with civil number 99999999"),
        ({"employer": "8888888"}, "No establishment with commercial registration 8888888"),
        ({"identity_checked": ""}, "Check the worker&#x27;s identity card first."),
        ({"description": ""}, "This field is required"),
        ({"description": "Unpaid\x00"}, "cannot be stored (such as NUL)"),
        ({"description": "x" * 4001}, "at most 4000 characters"),
        ({"arose_date": "2099-01-01"}, "cannot be in the future"),
        ({"category": "NO_SUCH"}, "Choose the complaint"),
    ],
)
def test_bad_input_is_a_message_and_files_nothing(
    operator, person, establishment, employment, changes, says
):
    response = signed_in(operator).post(URL, complaint_form(person, establishment, **changes))
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_worker_who_never_worked_for_the_employer_is_refused(operator, person):
    other = EstablishmentFactory()
    response = signed_in(operator).post(URL, complaint_form(person, other))
    assert response.status_code == 400
    assert "has never worked for" in response.content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("role", [Role.INDIVIDUAL, Role.ESTABLISHMENT_REP, Role.INSPECTOR])
def test_the_counter_page_is_for_sanad_operators_only(role, person, establishment):
    client = signed_in(UserFactory(role=role))
    assert client.get(URL).status_code == 404
    assert client.post(URL, complaint_form(person, establishment)).status_code == 404
    assert not Complaint.objects.exists()


def test_the_sanad_dashboard_offers_the_complaint_service(operator):
    html = signed_in(operator).get("/dashboard/").content.decode()
    assert "Labour complaints" in html
