"""Licences through the public API: each caller sees and changes only its own establishments' or
household's applications and licences, with the rules of the portal and problem details."""

from __future__ import annotations

import pytest
from django.utils import timezone

from manpower.accounts.models import Role
from manpower.accounts.services import api_token_create
from manpower.core.actor import Channel
from manpower.core.models import AuditEvent, Nationality
from manpower.licensing.models import Licence, LicenceApplication, LicenceVacancy
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
    bricklayer,
    india,
    oman,
    reference,
)

from .conftest import domestic_cleaner, pay
from .factories import make_licence
from .test_police_api import assert_problem as problem

pytestmark = pytest.mark.django_db

A = LicenceApplication.Status
HOUSEHOLD_CIVIL_NUMBER = "71234567"
CLEANERS = {"occupation": "9111", "nationality": "ind", "gender": "F", "count": 2}


def bearer(client, user, system_actor, language="ar"):
    """`client` calling as `user` with a bearer token, as the mobile app does."""
    user.language = language
    user.save(update_fields=["language"])
    _, key = api_token_create(actor=system_actor, user=user, name="app", now=timezone.now())
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


@pytest.fixture
def establishment():
    return EstablishmentFactory()


@pytest.fixture
def as_rep(client, establishment, system_actor):
    return bearer(client, RepresentationFactory(establishment=establishment).user, system_actor)


@pytest.fixture
def householder(db):
    PersonFactory(is_national=True, nationality=oman(), civil_number=HOUSEHOLD_CIVIL_NUMBER)
    domestic_cleaner()
    india()
    return UserFactory(civil_number=HOUSEHOLD_CIVIL_NUMBER, full_name_en="Salim")


@pytest.fixture
def as_household(client, householder, system_actor):
    return bearer(client, householder, system_actor)


def apply_household(client, **line):
    return client.post(
        "/api/v1/household/licence-applications",
        {"lines": [{**CLEANERS, **line}]},
        content_type="application/json",
    )


# --- Licences ------------------------------------------------------------------------------------


def test_an_employer_lists_its_licences_with_their_vacancy_counts(as_rep, establishment):
    licence = make_licence(establishment=establishment, issued=5)
    LicenceVacancy.objects.filter(licence=licence).update(reserved=2, used=1)
    make_licence(number="WP-OTHER00001")  # another establishment's

    body = as_rep.get(f"/api/v1/establishments/{establishment.cr_number}/licences").json()

    assert body["count"] == 1
    item = body["items"][0]
    assert (item["number"], item["status"], item["cr_number"]) == (
        licence.number,
        "ACTIVE",
        establishment.cr_number,
    )
    vacancy = item["vacancies"][0]
    assert vacancy["occupation"]["code"] == "7112" and vacancy["occupation"]["name_ar"]
    assert vacancy["nationality"]["code"] == "IND" and vacancy["gender"] == "M"
    assert [vacancy[k] for k in ("issued", "reserved", "used", "free")] == [5, 2, 1, 2]


def test_another_establishments_licence_is_not_found(as_rep, establishment):
    other = make_licence(number="WP-OTHER00001")
    cr = other.establishment.cr_number

    problem(as_rep.get(f"/api/v1/establishments/{cr}/licences"), 404, "establishment_not_found")
    for path in ("", "/document"):
        body = problem(
            as_rep.get(f"/api/v1/licences/{other.number}{path}"), 404, "licence_not_found"
        )
        assert other.number in body["detail_en"] and other.number in body["detail_ar"]
    cancel = as_rep.post(
        f"/api/v1/licences/{other.number}/cancel", {"reason": "x"}, content_type="application/json"
    )
    problem(cancel, 404, "licence_not_found")
    other.refresh_from_db()
    assert other.status == Licence.Status.ACTIVE
    assert other.vacancies.get().issued == 3


def test_an_individual_cannot_use_an_establishments_endpoints(as_household, establishment):
    make_licence(establishment=establishment)
    cr = establishment.cr_number

    problem(
        as_household.get(f"/api/v1/establishments/{cr}/licences"), 404, "establishment_not_found"
    )
    response = as_household.post(
        f"/api/v1/establishments/{cr}/licence-applications",
        {"lines": [{**CLEANERS, "occupation": "7112", "gender": "M"}]},
        content_type="application/json",
    )
    problem(response, 404, "establishment_not_found")
    assert LicenceApplication.objects.count() == 1  # make_licence's only


def test_a_cr_number_that_is_not_digits_is_a_validation_problem(as_rep):
    response = as_rep.get("/api/v1/establishments/12ab/licences")
    body = problem(response, 422, "validation_failed")
    assert [(e["field"], e["in"]) for e in body["errors"]] == [("cr_number", "path")]


def test_the_holder_gives_up_unused_vacancies_once(as_rep, establishment):
    licence = make_licence(establishment=establishment, issued=3)
    url = f"/api/v1/licences/{licence.number}/cancel"

    response = as_rep.post(url, {"reason": "Project done."}, content_type="application/json")

    assert response.status_code == 200
    assert response.json()["status"] == "CANCELLED"
    assert response.json()["cancel_reason"] == "Project done."
    licence.refresh_from_db()
    assert licence.status == Licence.Status.CANCELLED
    event = AuditEvent.objects.get(action="licence.cancelled", object_id=str(licence.pk))
    assert event.channel == Channel.MOBILE
    again = as_rep.post(url, {"reason": "Project done."}, content_type="application/json")
    problem(again, 409, "status_conflict")


def test_a_holder_with_visas_in_use_keeps_only_those(as_rep, establishment):
    licence = make_licence(establishment=establishment, issued=3)
    LicenceVacancy.objects.filter(licence=licence).update(reserved=1)

    body = as_rep.post(
        f"/api/v1/licences/{licence.number}/cancel",
        {"reason": "Fewer needed."},
        content_type="application/json",
    ).json()

    assert body["status"] == "ACTIVE"
    assert [body["vacancies"][0][k] for k in ("issued", "reserved", "free")] == [1, 1, 0]


def test_a_cancellation_needs_a_reason(as_rep, establishment):
    licence = make_licence(establishment=establishment)

    response = as_rep.post(
        f"/api/v1/licences/{licence.number}/cancel", {"reason": ""}, content_type="application/json"
    )

    assert problem(response, 422, "validation_failed")["errors"][0]["field"] == "reason"
    licence.refresh_from_db()
    assert licence.status == Licence.Status.ACTIVE


def test_ministry_staff_cancel_a_licence_outright(client, system_actor):
    licence = make_licence(issued=3)
    LicenceVacancy.objects.filter(licence=licence).update(reserved=1)
    officer = UserFactory(role=Role.OFFICER, department="LICENSING")
    client.force_login(officer)

    assert client.get(f"/api/v1/licences/{licence.number}").status_code == 200
    response = client.post(
        f"/api/v1/licences/{licence.number}/cancel",
        {"reason": "Fines unpaid."},
        content_type="application/json",
    )

    assert response.json()["status"] == "CANCELLED"
    assert LicenceVacancy.objects.get(licence=licence).issued == 3  # the visa may still arrive


def test_the_licence_lists_cost_the_same_queries_for_3_or_30_licences(
    as_rep, establishment, django_assert_max_num_queries
):
    url = f"/api/v1/establishments/{establishment.cr_number}/licences"
    as_rep.get(url)  # the token's last use is recorded once; later calls do not write
    for count, start in ((3, 0), (27, 3)):
        for n in range(start, start + count):
            make_licence(establishment=establishment, number=f"WP-T{n:08d}")
        with django_assert_max_num_queries(5):
            assert len(as_rep.get(url, {"limit": 100}).json()["items"]) == start + count
    applications = f"/api/v1/establishments/{establishment.cr_number}/licence-applications"
    with django_assert_max_num_queries(5):
        assert as_rep.get(applications, {"limit": 100}).json()["count"] == 30


def test_licence_pages_are_stable_and_complete(as_rep, establishment):
    numbers = [
        make_licence(establishment=establishment, number=f"WP-T{n:08d}").number for n in range(7)
    ]
    url = f"/api/v1/establishments/{establishment.cr_number}/licences"
    seen = []
    for offset in (0, 3, 6):
        page = as_rep.get(url, {"limit": 3, "offset": offset}).json()
        assert page["count"] == 7
        seen += [item["number"] for item in page["items"]]
    assert sorted(seen) == sorted(numbers) and len(set(seen)) == 7


# --- Household applications ----------------------------------------------------------------------


def test_a_household_applies_and_gets_the_invoice_to_pay(as_household, householder):
    response = apply_household(as_household)

    assert response.status_code == 201
    body = response.json()
    application = LicenceApplication.objects.get(number=body["number"])
    assert application.household.civil_number == HOUSEHOLD_CIVIL_NUMBER
    assert application.applicant == householder
    assert (body["kind"], body["status"], body["cr_number"]) == (
        "PRIVATE",
        "AWAITING_PAYMENT",
        None,
    )
    assert (body["requested_total"], body["granted_total"]) == (2, 2)
    invoice = body["invoice"]
    assert invoice["number"] == body["invoice_number"] == application.invoice_number
    assert (invoice["amount_baisa"], invoice["amount"], invoice["status"]) == (
        282_000,
        "OMR 282.000",
        "UNPAID",
    )
    assert invoice["payment_url"] == f"http://testserver/payments/invoices/{invoice['number']}/"
    event = AuditEvent.objects.get(action="licence_application.submitted")
    assert (event.channel, event.on_behalf_of_kind, event.on_behalf_of_key) == (
        Channel.MOBILE,
        "household",
        HOUSEHOLD_CIVIL_NUMBER,
    )


def test_a_household_gets_its_licence_once_the_invoice_is_paid(as_household, now):
    number = apply_household(as_household).json()["number"]
    confirm = f"/api/v1/licence-applications/{number}/payment"

    problem(as_household.post(confirm), 409, "invoice_not_paid")
    assert not Licence.objects.exists()

    pay(LicenceApplication.objects.get(number=number), now)
    body = as_household.post(confirm).json()

    licence = Licence.objects.get()
    assert (body["status"], body["licence_number"]) == ("ISSUED", licence.number)
    assert body["invoice"]["status"] == "PAID"
    detail = as_household.get(f"/api/v1/licences/{licence.number}").json()
    assert detail["cr_number"] is None and detail["kind"] == "PRIVATE"
    assert detail["document_url"] == f"/api/v1/licences/{licence.number}/document"
    assert (
        detail["verification_url"].startswith("http") and "/verify/" in detail["verification_url"]
    )
    pdf = as_household.get(detail["document_url"])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    listed = as_household.get("/api/v1/household/licences").json()
    assert [item["number"] for item in listed["items"]] == [licence.number]
    applications = as_household.get("/api/v1/household/licence-applications").json()
    assert [item["licence_number"] for item in applications["items"]] == [licence.number]


def test_a_licence_without_its_pdf_yet_has_no_document(as_rep, establishment):
    licence = make_licence(establishment=establishment)

    detail = as_rep.get(f"/api/v1/licences/{licence.number}").json()

    assert detail["document_url"] is None and detail["verification_url"] is None
    problem(as_rep.get(f"/api/v1/licences/{licence.number}/document"), 404, "not_found")


@pytest.mark.parametrize(
    ("line", "code", "field"),
    [
        ({"occupation": "0000"}, "unknown_occupation", None),
        ({"occupation": "7112", "gender": "M"}, "occupation_not_domestic", None),
        ({"nationality": "XXX"}, "unknown_nationality", None),
        ({"count": 0}, "validation_failed", "lines.0.count"),
        ({"count": -1}, "validation_failed", "lines.0.count"),
        ({"gender": "X"}, "validation_failed", "lines.0.gender"),
    ],
)
def test_bad_lines_are_refused_with_the_reason_and_save_nothing(as_household, line, code, field):
    body = problem(apply_household(as_household, **line), 422, code)

    if field:
        assert [e["field"] for e in body["errors"]] == [field]
    assert not LicenceApplication.objects.exists()


def test_an_application_needs_a_line(as_household):
    response = as_household.post(
        "/api/v1/household/licence-applications", {"lines": []}, content_type="application/json"
    )
    assert problem(response, 422, "validation_failed")["errors"][0]["field"] == "lines"


def test_the_problem_detail_is_in_the_callers_language(client, householder, system_actor):
    english = bearer(client, householder, system_actor, language="en")
    body = apply_household(english, occupation="0000").json()
    assert body["detail"] == body["detail_en"] == "0000 is not an ISCO-08 occupation unit code."


def test_without_a_civil_number_there_is_no_household(client, system_actor):
    as_nobody = bearer(client, UserFactory(civil_number=""), system_actor)

    problem(apply_household(as_nobody), 422, "household_not_found")
    assert as_nobody.get("/api/v1/household/licences").json() == {"items": [], "count": 0}
    assert as_nobody.get("/api/v1/household/licence-applications").json()["count"] == 0


def test_another_callers_application_is_not_found(client, as_household, system_actor):
    number = apply_household(as_household).json()["number"]
    as_other = bearer(client, RepresentationFactory().user, system_actor)

    body = problem(
        as_other.get(f"/api/v1/licence-applications/{number}"), 404, "application_not_found"
    )
    assert number in body["detail_en"]
    problem(
        as_other.post(f"/api/v1/licence-applications/{number}/payment"),
        404,
        "application_not_found",
    )


def test_a_second_household_request_is_cut_to_the_household_limit(as_household):
    """The household limit is 4 workers."""
    apply_household(as_household, count=3)

    body = apply_household(as_household, count=2).json()

    assert (body["requested_total"], body["granted_total"]) == (2, 1)
    assert [note["code"] for note in body["notes"]] == ["cut_by_household_limit"]
    problem(apply_household(as_household, count=1), 422, "household_limit_reached")


def test_a_repeated_identical_request_is_a_conflict(as_household):
    apply_household(as_household, count=1)

    problem(apply_household(as_household, count=1), 409, "application_pending")


# --- Commercial applications (the eligibility checks call the partner simulators) ----------------


def employer(*, nationals, non_nationals):
    """An establishment in construction (10% nationals required) and its representative."""
    establishment = EstablishmentFactory()
    for _ in range(nationals):
        EmploymentFactory(
            establishment=establishment, person__is_national=True, person__nationality=oman()
        )
    EmploymentFactory.create_batch(non_nationals, establishment=establishment)
    bricklayer()
    reference(Nationality, "PAK", alpha2="PK", name_en="Pakistan", name_ar="باكستان")
    return establishment, RepresentationFactory(establishment=establishment).user


@pytest.mark.django_db(transaction=True)
def test_an_establishment_applies_and_is_cut_to_keep_the_national_share(
    client, simulator, system_actor
):
    # 2 nationals of 10; 10% required: at most 2 / 0.10 - 10 = 10 more workers.
    establishment, user = employer(nationals=2, non_nationals=8)
    as_user = bearer(client, user, system_actor)
    lines = [
        {"occupation": "7112", "nationality": "IND", "gender": "M", "count": 8},
        {"occupation": "7112", "nationality": "PAK", "gender": "M", "count": 4},
    ]

    response = as_user.post(
        f"/api/v1/establishments/{establishment.cr_number}/licence-applications",
        {"lines": lines},
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["status"], body["cr_number"]) == (
        "COMMERCIAL",
        "AWAITING_PAYMENT",
        establishment.cr_number,
    )
    assert [(ln["requested"], ln["granted"]) for ln in body["lines"]] == [(8, 8), (4, 2)]
    (note,) = body["notes"]
    assert note["code"] == "cut_by_omanisation" and note["ar"] != note["en"]
    # 30% off the RO 201 per bricklayer (third category): the establishment meets its share.
    assert body["invoice"]["amount_baisa"] == 10 * 140_700
    application = LicenceApplication.objects.get(number=body["number"])
    assert application.establishment == establishment and application.granted_total == 10
    listed = as_user.get(
        f"/api/v1/establishments/{establishment.cr_number}/licence-applications"
    ).json()
    assert [item["number"] for item in listed["items"]] == [body["number"]]


@pytest.mark.django_db(transaction=True)
def test_an_establishment_without_nationals_is_refused(client, simulator, system_actor):
    establishment, user = employer(nationals=0, non_nationals=3)
    as_user = bearer(client, user, system_actor)

    response = as_user.post(
        f"/api/v1/establishments/{establishment.cr_number}/licence-applications",
        {"lines": [{"occupation": "7112", "nationality": "IND", "gender": "M", "count": 1}]},
        content_type="application/json",
    )

    problem(response, 422, "omanisation_share_not_met")
    assert not LicenceApplication.objects.exists()


def test_the_openapi_document_lists_the_licence_endpoints(client):
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    assert {
        "/api/v1/establishments/{cr_number}/licences",
        "/api/v1/establishments/{cr_number}/licence-applications",
        "/api/v1/household/licences",
        "/api/v1/household/licence-applications",
        "/api/v1/licence-applications/{number}",
        "/api/v1/licence-applications/{number}/payment",
        "/api/v1/licences/{number}",
        "/api/v1/licences/{number}/document",
        "/api/v1/licences/{number}/cancel",
    } <= paths
