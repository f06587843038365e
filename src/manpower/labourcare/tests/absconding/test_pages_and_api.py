"""The portal pages and the mobile API of work-abandonment reports and inspections: thin
over the services, scoped to the reader, bad input a clear message that changes nothing; and
the journey through public interfaces only: report → approval → objection upheld → transfer.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from manpower.accounts.services import api_token_create
from manpower.core.actor import Actor
from manpower.labourcards import selectors as labourcards
from manpower.labourcare import services
from manpower.labourcare.selectors import absconding as selectors
from manpower.registry.tests.factories import EstablishmentFactory, RepresentationFactory

from .conftest import PDF, pay, wps_paid

pytestmark = pytest.mark.django_db
API = "/api/v1/labour-care/absconding-reports"


def bearer(user):
    _token, key = api_token_create(
        actor=Actor.for_user(user), user=user, name="phone", now=timezone.now()
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def last_day():
    return timezone.localdate() - dt.timedelta(days=10)


def post_report(client, establishment, employment, *, proof=PDF, name="proof.pdf", ticket=True):
    data = {"employment": employment.pk, "last_working_date": last_day().isoformat()}
    if ticket:
        data["return_ticket"] = "on"
    if proof is not None:
        data["salary_proof"] = SimpleUploadedFile(name, proof, content_type="application/pdf")
    return client.post(reverse("labourcare:absconding-file", args=[establishment.cr_number]), data)


def test_the_employer_files_a_report_on_the_portal(
    client, representative, establishment, employment, proof_dir
):
    client.force_login(representative)
    page = client.get(reverse("labourcare:absconding")).content.decode()
    assert establishment.name in page
    response = post_report(client, establishment, employment)
    assert response.status_code == 302
    listed = client.get(reverse("labourcare:absconding-list", args=[establishment.cr_number]))
    report = selectors.reports_of_establishment(establishment=establishment).get()
    assert report.number in listed.content.decode()


def months_before(day, count=3):
    """The `count` complete months before `day` (not its last day), oldest first."""
    months, year, month = [], day.year, day.month
    for _step in range(count):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        months.insert(0, (year, month))
    return months


def test_with_the_wps_the_form_asks_no_upload_and_the_officer_sees_the_months(
    client, representative, establishment, employment, officer
):
    client.force_login(representative)
    url = reverse("labourcare:absconding-file", args=[establishment.cr_number])
    page = client.get(url).content.decode()
    assert 'name="salary_proof"' not in page
    assert "multipart" not in page
    assert "checked salary files in the Wage Protection System: nothing to attach" in page
    months = months_before(last_day())
    wps_paid(employment, *months[:2])
    response = post_report(client, establishment, employment, proof=None)
    assert response.status_code == 400
    missing = f"{months[2][1]:02d}/{months[2][0]}"
    assert f"no salary paid to the worker by this employer for {missing}" in (
        response.content.decode()
    )
    assert not selectors.reports_of_establishment(establishment=establishment).exists()
    wps_paid(employment, months[2])
    assert post_report(client, establishment, employment, proof=None).status_code == 302
    report = selectors.reports_of_establishment(establishment=establishment).get()
    client.force_login(officer)
    page = client.get(reverse("labourcare:absconding-decide", args=[report.number]))
    text = page.content.decode()
    assert "The Wage Protection System&#x27;s salary files" in text
    for year, month in months:
        assert f'<span class="ltr-data">{month:02d}/{year}</span>' in text
    assert "Open the salary proof" not in text


def test_a_renamed_executable_is_refused_by_the_form_with_nothing_changed(
    client, representative, establishment, employment, proof_dir
):
    client.force_login(representative)
    response = post_report(client, establishment, employment, proof=b"MZ\x90\x00", name="x.pdf")
    assert response.status_code == 400
    assert "must be a PDF" in response.content.decode()
    assert not selectors.reports_of_establishment(establishment=establishment).exists()


def test_the_form_refuses_a_missing_undertaking(
    client, representative, establishment, employment, proof_dir
):
    client.force_login(representative)
    response = post_report(client, establishment, employment, ticket=False)
    assert response.status_code == 400
    assert "return ticket" in response.content.decode()


def test_another_employers_pages_are_not_found(client, establishment, employment, proof_dir):
    stranger = RepresentationFactory(establishment=EstablishmentFactory()).user
    client.force_login(stranger)
    url = reverse("labourcare:absconding-list", args=[establishment.cr_number])
    assert client.get(url).status_code == 404
    assert post_report(client, establishment, employment).status_code == 404
    assert not selectors.reports_of_establishment(establishment=establishment).exists()


def test_officer_pages_are_for_officers_only(client, representative, inspector):
    for user in (representative, inspector):
        client.force_login(user)
        assert client.get(reverse("labourcare:absconding-queue")).status_code == 404
        assert client.get(reverse("labourcare:inspections")).status_code == 404


def test_the_salary_proof_is_read_by_officers_only(
    client, employer_actor, employment, officer, worker_user, proof_dir
):
    report = services.absconding_report_file(
        actor=employer_actor,
        now=timezone.now(),
        employment=employment,
        last_working_date=last_day(),
        return_ticket_undertaken=True,
        salary_proof=[PDF],
    )
    url = reverse("labourcare:absconding-proof", args=[report.number])
    client.force_login(worker_user)
    assert client.get(url).status_code == 404
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_the_api_answers_problems_for_a_foreign_report_and_bad_input(client, worker_user):
    headers = bearer(worker_user)
    response = client.get(API + "/AB-NOPE", **headers)
    assert response.status_code == 404
    problem = response.json()
    assert problem["code"] == "absconding_report_not_found"
    assert problem["detail_ar"] and problem["detail_en"]
    response = client.post(
        API + "/AB-NOPE/objection", {"grounds": ""}, content_type="application/json", **headers
    )
    assert response.status_code in (404, 422)
    assert client.get(API + "?offset=99999999", **headers).json()["items"] == []


def test_the_inspection_pages_open_assign_and_record(client, officer, inspector, establishment):
    client.force_login(officer)
    response = client.post(
        reverse("labourcare:inspections"),
        {"cr_number": establishment.cr_number, "note": "Workers' petition"},
    )
    assert response.status_code == 302
    url = response["Location"]
    response = client.post(
        url,
        {"inspector": inspector.pk, "visit_date": (timezone.localdate() + dt.timedelta(days=2))},
    )
    assert response.status_code == 302
    client.force_login(inspector)
    queue = client.get(reverse("labourcare:inspections-queue")).content.decode()
    assert establishment.name in queue
    response = client.post(url, {"result": "COMPLIANT", "findings": "All in order"})
    assert response.status_code == 302
    assert "Compliant" in client.get(url).content.decode()


def test_an_unknown_establishment_is_a_message_by_the_form(client, officer):
    client.force_login(officer)
    response = client.post(reverse("labourcare:inspections"), {"cr_number": "9999999", "note": "x"})
    assert response.status_code == 400
    assert "9999999" in response.content.decode()


def test_journey_report_approval_objection_upheld_transfer(
    client, representative, establishment, employment, officer, worker_user, proof_dir
):
    """Through the portal, the mobile API and the labour cards API only."""
    from manpower.licensing.tests.factories import make_licence

    # The employer files the report on the portal.
    client.force_login(representative)
    assert post_report(client, establishment, employment).status_code == 302
    report = selectors.reports_of_establishment(establishment=establishment).get()

    # A labour-care officer approves it.
    client.force_login(officer)
    assert report.number in client.get(reverse("labourcare:absconding-queue")).content.decode()
    decide = reverse("labourcare:absconding-decide", args=[report.number])
    assert client.post(decide, {"decision": "approve", "reason": ""}).status_code == 302

    # A new employer cannot take the worker now.
    new_employer = EstablishmentFactory(name_en="New Horizons LLC")
    new_rep = RepresentationFactory(establishment=new_employer).user
    make_licence(establishment=new_employer, issued=1, number="WP-LIC000001")
    resident = employment.person.civil_number
    ask = {
        "resident_card_number": resident,
        "licence_number": "WP-LIC000001",
        "occupation": employment.occupation_id,
        "basic_wage_baisa": 180_000,
        "reason": "ABSCONDING_REVOKED",
    }
    transfers = f"/api/v1/establishments/{new_employer.cr_number}/transfers"
    refused = client.post(
        transfers, {**ask, "reason": ""}, content_type="application/json", **bearer(new_rep)
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "worker_left_workplace"

    # The worker sees the report in the app and objects.
    mine = client.get(API, **bearer(worker_user)).json()["items"]
    assert [(r["number"], r["status"]) for r in mine] == [(report.number, "APPROVED")]
    response = client.post(
        f"{API}/{report.number}/objection",
        {"grounds": "I was in hospital; here is the record."},
        content_type="application/json",
        **bearer(worker_user),
    )
    assert response.status_code == 201
    assert response.json()["objection"]["status"] == "SUBMITTED"
    again = client.post(
        f"{API}/{report.number}/objection",
        {"grounds": "again"},
        content_type="application/json",
        **bearer(worker_user),
    )
    assert again.status_code == 409

    # The officer upholds the objection: the report is revoked.
    client.force_login(officer)
    response = client.post(
        decide,
        {"form": "objection", "objection-decision": "uphold", "objection-reason": "Hospital"},
    )
    assert response.status_code == 302
    status = client.get(f"{API}/{report.number}", **bearer(worker_user)).json()
    assert status["status"] == "REVOKED"
    assert status["objection"]["status"] == "UPHELD"

    # The worker moves to the new employer without the old one's consent.
    response = client.post(transfers, ask, content_type="application/json", **bearer(new_rep))
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "AWAITING_PAYMENT"
    transfer = labourcards.transfers_for_establishment(establishment=new_employer).get()
    pay(transfer.invoice, timezone.now())
    done = client.post(f"{transfers}/{transfer.pk}/completion", **bearer(new_rep))
    assert done.json()["status"] == "COMPLETED"
