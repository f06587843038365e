"""Complaints through the public interfaces only: the portal's pages for the worker, the employer,
the officer and the supervisor, the mobile API, and the court on the partner API. The journey:
a wage complaint → a meeting → a referral to court → the court's judgment seen by the worker."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from manpower.accounts.services import api_token_create
from manpower.core.actor import Actor
from manpower.integration import services as integration
from manpower.labourcare.models import Complaint

from .conftest import EXE, PDF

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, key = api_token_create(
        actor=Actor.for_user(user), user=user, name="phone", now=timezone.now()
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def days_ago(days: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


def test_wage_complaint_meeting_referral_and_judgment_through_the_public_interfaces(
    worker, representative, establishment, officer, system_actor
):
    # The worker files on the portal, with a payslip.
    portal = signed_in(worker)
    assert portal.get("/labour-care/complaints/").status_code == 200
    assert portal.get("/labour-care/complaints/new").status_code == 200
    response = portal.post(
        "/labour-care/complaints/new",
        {
            "employer": establishment.cr_number,
            "category": "WAGES_UNPAID",
            "description": "Two months of wages unpaid.",
            "claimed_amount": "300.000",
            "arose_date": days_ago(40),
            "evidence": [SimpleUploadedFile("payslip.pdf", PDF, "application/pdf")],
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/labour-care/complaints/{complaint.number}/"
    page = portal.get(response["Location"])
    assert b"payslip.pdf" in page.content and b"Submitted, waiting for an officer" in page.content

    # The officer takes it up, sets a meeting, and refers it to court.
    desk = signed_in(officer)
    assert complaint.number.encode() in desk.get("/labour-care/complaints/officer/").content
    base = f"/labour-care/complaints/{complaint.number}"
    desk.post(base + "/assign", {"officer": officer.pk})
    meeting_at = timezone.localtime() + dt.timedelta(days=4)
    desk.post(
        base + "/meeting",
        {"meeting_at": meeting_at.strftime("%Y-%m-%dT%H:%M"), "place": "Labour care, Muscat"},
    )
    complaint.refresh_from_db()
    assert complaint.status == "MEETING_SCHEDULED"
    employer_page = signed_in(representative).get(base + "/")
    assert b"Labour care, Muscat" in employer_page.content
    desk.post(base + "/refer", {"reason": "The employer refused to pay at the meeting."})
    complaint.refresh_from_db()
    assert complaint.status == "REFERRED_TO_COURT"
    case_number = complaint.case.number

    # The court posts its judgment on the partner API.
    _credential, key = integration.partner_key_create(
        actor=system_actor,
        agency=django_apps.get_model("integration", "Agency").objects.get(code="courts"),
        scopes=["judicial"],
        now=timezone.now(),
    )
    judged = Client().post(
        f"/api/partners/v1/judicial/cases/{case_number}/judgment",
        json.dumps(
            {
                "judgment_date": timezone.localdate().isoformat(),
                "judgment_for": "WORKER",
                "dues_baisa": 300_000,
                "summary": "The employer pays 300 rials of wages.",
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert judged.status_code == 201

    # The worker sees the judgment on the portal and in the app.
    assert b"The employer pays 300 rials of wages." in portal.get(base + "/").content
    app = Client().get(f"/api/v1/complaints/{complaint.number}", **bearer(worker)).json()
    assert app["case"]["status"] == "JUDGED" and app["case"]["dues_baisa"] == 300_000


def test_a_refusal_on_the_filing_page_is_shown_and_changes_nothing(worker, establishment):
    portal = signed_in(worker)
    response = portal.post(
        "/labour-care/complaints/new",
        {
            "employer": establishment.cr_number,
            "category": "WAGES_UNPAID",
            "description": "Old claim.",
            "arose_date": days_ago(400),
        },
    )
    assert response.status_code == 400
    assert b"lapses one year after it arises" in response.content
    response = portal.post(
        "/labour-care/complaints/new",
        {
            "employer": establishment.cr_number,
            "category": "WAGES_UNPAID",
            "description": "A program renamed.",
            "arose_date": days_ago(10),
            "evidence": [SimpleUploadedFile("payslip.pdf", EXE, "application/pdf")],
        },
    )
    assert response.status_code == 400
    assert b"Only PDF, JPEG and PNG" in response.content
    assert not Complaint.objects.exists()


def test_the_employer_files_against_a_worker_on_the_portal(
    representative, establishment, person, employment
):
    portal = signed_in(representative)
    base = f"/labour-care/complaints/establishments/{establishment.cr_number}/"
    assert portal.get(base).status_code == 200
    response = portal.post(
        base + "new",
        {
            "civil_number": person.civil_number,
            "category": "WORKER_ABSENCE",
            "description": "Absent since Monday.",
            "arose_date": days_ago(5),
        },
    )
    assert response.status_code == 302
    assert Complaint.objects.get().filed_by == "EMPLOYER"


def test_another_employer_sees_no_complaint_page(file_complaint, establishment):
    from manpower.registry.tests.factories import RepresentationFactory

    complaint = file_complaint()
    stranger = RepresentationFactory().user
    portal = signed_in(stranger)
    assert portal.get(f"/labour-care/complaints/{complaint.number}/").status_code == 404
    cr = establishment.cr_number
    assert portal.get(f"/labour-care/complaints/establishments/{cr}/").status_code == 404


def test_the_supervisors_overdue_page(file_complaint, supervisor, now):
    complaint = file_complaint()  # filed on 29 Nov 2026: its first stage was due on 2 Dec
    page = signed_in(supervisor).get("/labour-care/complaints/overdue/")
    assert page.status_code == 200
    overdue = timezone.now() > complaint.stage_due_at
    assert (complaint.number.encode() in page.content) == overdue


def test_the_mobile_app_files_and_lists_and_refuses_bad_input(worker, establishment):
    headers = bearer(worker)
    client = Client()
    body = {
        "cr_number": establishment.cr_number,
        "category_code": "WAGES_LATE",
        "description": "Paid late every month.",
        "claimed_amount_baisa": 0,
        "arose_date": days_ago(20),
    }
    created = client.post("/api/v1/complaints", json.dumps(body), "application/json", **headers)
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    assert client.get("/api/v1/complaints", **headers).json()["count"] == 1
    categories = client.get("/api/v1/complaints/categories", **headers).json()
    assert len(categories) >= 80
    old = {**body, "arose_date": days_ago(500)}
    refused = client.post("/api/v1/complaints", json.dumps(old), "application/json", **headers)
    assert refused.status_code == 422 and refused.json()["code"] == "claim_time_barred"
    assert refused.json()["detail_ar"] and refused.json()["detail_en"]
    unknown = client.post(
        "/api/v1/complaints",
        json.dumps({**body, "cr_number": "999"}),
        "application/json",
        **headers,
    )
    assert unknown.status_code == 404
    upload = client.post(
        f"/api/v1/complaints/{number}/evidence",
        {"file": SimpleUploadedFile("a.png", EXE)},
        **headers,
    )
    assert upload.status_code == 415
    assert client.get("/api/v1/complaints/CMP-0000-999999", **headers).status_code == 404
    withdrawn = client.post(f"/api/v1/complaints/{number}/withdraw", **headers)
    assert withdrawn.json()["status"] == "WITHDRAWN"
