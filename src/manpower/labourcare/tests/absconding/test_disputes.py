"""The officer records a criminal case or debt claim between an employer and a worker, on the
service and on the officer's page: found by the CR number and the worker's civil number, every
bad input a clear message (in Arabic too) that records nothing, a double submission recorded
once, and a recorded case then bars the employer's work-abandonment report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from manpower.accounts.models import Department, Role
from manpower.core.models import AuditEvent
from manpower.labourcare import services
from manpower.labourcare.models import AbscondingReport, DisputeRecord
from manpower.registry.tests.factories import EmploymentFactory, EstablishmentFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/labour-care/absconding/disputes/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def record(officer_actor, employment, now, **changes):
    arguments = {
        "actor": officer_actor,
        "now": now,
        "employment": employment,
        "kind": "DEBT",
        "started_date": dt.date(2026, 11, 1),
        "reference": "ROP/2026/4411",
        "description": "Loan of RO 300 not repaid",
    }
    return services.dispute_record(**{**arguments, **changes})


def form(employment, **changes):
    data = {
        "cr_number": employment.establishment.cr_number,
        "civil_number": employment.person.civil_number,
        "kind": "CRIMINAL",
        "started_date": (timezone.localdate() - dt.timedelta(days=30)).isoformat(),
        "reference": "ROP/2026/4411",
        "description": "Theft of the shop's takings, reported to the police.",
    }
    return {**data, **changes}


# --- The service ---------------------------------------------------------------------------------


def test_the_record_is_kept_with_its_reference_and_audited(officer_actor, officer, employment, now):
    dispute = record(officer_actor, employment, now)
    assert (dispute.reference, dispute.recorded_by, dispute.recorded_at) == (
        "ROP/2026/4411",
        officer,
        now,
    )
    event = AuditEvent.objects.get(action="dispute.recorded")
    assert event.changes["reference"] == [None, "ROP/2026/4411"]


def test_the_same_case_sent_twice_is_recorded_once(officer_actor, employment, now):
    first = record(officer_actor, employment, now)
    assert record(officer_actor, employment, now) == first
    assert DisputeRecord.objects.count() == 1
    with pytest.raises(services.DisputeExists) as error:
        record(officer_actor, employment, now, started_date=dt.date(2026, 10, 1))
    assert "01/11/2026" in error.value.text("en") and error.value.text("ar") != error.value.text(
        "en"
    )
    assert DisputeRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"started_date": dt.date(2026, 11, 30)}, "cannot be in the future"),
        ({"reference": "  "}, "Write the police or court reference"),
        ({"description": ""}, "Write the note"),
        ({"reference": "ROP\x00"}, "NUL character"),
        ({"description": "x" * 501}, "at most 500 characters"),
        ({"reference": "R" * 41}, "at most 40 characters"),
        ({"kind": "THEFT"}, "Choose the kind of dispute"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_recorded(
    officer_actor, employment, now, changes, says
):
    with pytest.raises(services.InvalidDispute) as error:
        record(officer_actor, employment, now, **changes)
    assert says in error.value.text("en")
    assert error.value.text("ar") != error.value.text("en")
    assert not DisputeRecord.objects.exists()


# --- The officer's page --------------------------------------------------------------------------


def test_the_officer_records_a_case_and_the_employers_report_is_then_refused(
    officer, employment, representative, establishment, proof_dir
):
    desk = signed_in(officer)
    assert desk.get(URL).status_code == 200
    response = desk.post(URL, form(employment), follow=True)
    assert response.redirect_chain == [(URL, 302)]
    page = response.content.decode()
    assert "ROP/2026/4411" in page and "is recorded" in page
    dispute = DisputeRecord.objects.get()
    assert (dispute.employment, dispute.kind) == (employment, "CRIMINAL")

    again = desk.post(URL, form(employment))  # the double click
    assert again.status_code == 302 and DisputeRecord.objects.count() == 1

    employer = signed_in(representative)
    filed = employer.post(
        f"/labour-care/absconding/{establishment.cr_number}/new/",
        {
            "employment": employment.pk,
            "last_working_date": (timezone.localdate() - dt.timedelta(days=10)).isoformat(),
            "return_ticket": "on",
        },
    )
    assert filed.status_code == 400
    assert "criminal case or debt claim" in filed.content.decode()
    assert not AbscondingReport.objects.exists()


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"cr_number": "9999999"}, "No establishment with commercial registration 9999999"),
        ({"civil_number": "99999999"}, "No person with civil number 99999999"),
        ({"started_date": "2999-01-01"}, "cannot be in the future"),
        ({"reference": ""}, "This field is required"),
        ({"description": "   "}, "This field is required"),
        ({"kind": ""}, "Choose the kind of dispute"),
        ({"reference": "ROP\x00"}, "cannot be stored (such as NUL)"),
        ({"description": "x" * 501}, "at most 500 characters"),
        ({"started_date": "yesterday"}, "Enter a valid date"),
    ],
)
def test_the_page_says_what_is_wrong_and_records_nothing(officer, employment, changes, says):
    response = signed_in(officer).post(URL, form(employment, **changes))
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not DisputeRecord.objects.exists()


def test_a_worker_of_another_establishment_is_refused(officer, employment):
    elsewhere = EmploymentFactory(establishment=EstablishmentFactory())
    response = signed_in(officer).post(
        URL, form(employment, civil_number=elsewhere.person.civil_number)
    )
    assert response.status_code == 400
    assert "is not employed by Al Noor Trading" in response.content.decode()
    assert not DisputeRecord.objects.exists()


def test_the_refusal_is_in_arabic_on_the_arabic_page(employment):
    officer = UserFactory(role=Role.OFFICER, department=Department.LABOUR_CARE, language="ar")
    response = signed_in(officer).post(URL, form(employment, cr_number="9999999"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "لا توجد منشأة بالسجل التجاري" in page and "No establishment" not in page


def test_the_list_is_paginated_newest_first(officer_actor, officer, establishment, now):
    for day in range(27):
        record(
            officer_actor,
            EmploymentFactory(establishment=establishment),
            now + dt.timedelta(minutes=day),
            reference=f"CASE-{day:02d}",
        )
    desk = signed_in(officer)
    first = desk.get(URL).content.decode()
    assert "CASE-26" in first and "CASE-02" in first and "CASE-01" not in first
    assert first.index("CASE-26") < first.index("CASE-25")
    second = desk.get(URL + "?page=2").content.decode()
    assert "CASE-01" in second and "CASE-00" in second and "CASE-26" not in second


@pytest.mark.parametrize("role", [Role.ESTABLISHMENT_REP, Role.INDIVIDUAL, Role.INSPECTOR])
def test_the_page_is_only_for_labour_care_officers(role, employment):
    stranger = signed_in(UserFactory(role=role))
    assert stranger.get(URL).status_code == 404
    assert stranger.post(URL, form(employment)).status_code == 404
    assert not DisputeRecord.objects.exists()


def test_the_officers_pages_link_to_it(officer):
    desk = signed_in(officer)
    for page in ("/labour-care/absconding/", "/labour-care/absconding/officer/"):
        assert URL in desk.get(page).content.decode()
