"""Domestic workers of a household (private licence): their labour cards are issued, renewed,
printed and closed like an establishment's workers', billed at the private fees to the
household's own account, on the household's pages that only its holder sees."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from manpower.accounts.models import Role
from manpower.core.actor import Actor, Channel
from manpower.core.models import AuditEvent
from manpower.documents.selectors import document_by_code
from manpower.integration import services as integration
from manpower.labourcards import selectors, services, tasks
from manpower.labourcards.models import CardRequest, LabourCard, Transfer
from manpower.licensing import services as licensing
from manpower.licensing.tests.conftest import pay as pay_licence
from manpower.licensing.tests.test_applications import household_user, line, submit_private
from manpower.notifications.selectors import notifications_of
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


@pytest.fixture
def household(db):
    return PersonFactory(
        is_national=True,
        nationality=oman(),
        civil_number=HOUSEHOLD_CIVIL_NUMBER,
        name_en="Salim Al Harthy",
        name_ar="سالم الحارثي",
    )


@pytest.fixture
def householder(household):
    return UserFactory(role=Role.INDIVIDUAL, civil_number=HOUSEHOLD_CIVIL_NUMBER)


@pytest.fixture
def household_actor(householder):
    return Actor.for_user(householder).acting_for("household", HOUSEHOLD_CIVIL_NUMBER)


@pytest.fixture
def maid(household):
    """A domestic worker who has just arrived: passport only, no resident card number yet."""
    person = PersonFactory(civil_number=None, passport_number="M7654321", gender="F")
    return EmploymentFactory(person=person, establishment=None, household=household)


@pytest.fixture
def maid_card(fees, maid, household_actor, householder, pay, now):
    request = services.card_issue_request(
        actor=household_actor,
        now=now,
        employment=maid,
        kind="PRIVATE",
        resident_card_number="91234567",
    )
    pay(request.invoice)
    return services.card_request_complete(actor=household_actor, now=now, request=request).card


def url(name, *args):
    return reverse(f"labourcards:{name}", args=[selectors.HOUSEHOLD, *args])


def signed_in(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


# --- Services ----------------------------------------------------------------------------------


def test_a_household_worker_gets_a_private_card_billed_to_the_household(
    fees, maid, household, householder, household_actor, pay, now
):
    request = services.card_issue_request(
        actor=household_actor, now=now, employment=maid, kind="PRIVATE"
    )

    assert request.invoice.service_code == "CARD_ISSUE_PRIVATE"
    assert request.invoice.amount_baisa == 101_000
    assert request.invoice.payer_user == householder and request.invoice.payer_cr_number == ""
    pay(request.invoice)
    request = services.card_request_complete(actor=household_actor, now=now, request=request)
    card = request.card
    assert (card.kind, card.status) == (LabourCard.Kind.PRIVATE, LabourCard.Status.ACTIVE)
    assert card.employment == maid
    document = document_by_code(card.document_code)
    assert "Salim Al Harthy" in document.payload and HOUSEHOLD_CIVIL_NUMBER in document.payload


def test_a_household_worker_cannot_get_a_commercial_card(fees, maid, household_actor, now):
    with pytest.raises(services.HouseholdCardIsPrivate) as error:
        services.card_issue_request(
            actor=household_actor, now=now, employment=maid, kind="COMMERCIAL"
        )
    assert error.value.text("ar") != error.value.text("en")
    assert not CardRequest.objects.exists()


def test_a_household_without_an_account_cannot_be_billed(fees, maid, now):
    with pytest.raises(services.HouseholdWithoutAccount) as error:
        services.card_issue_request(actor=Actor.system(), now=now, employment=maid, kind="PRIVATE")
    assert error.value.code == "household_without_account"
    assert not CardRequest.objects.exists()


def test_renewal_opens_within_the_window_at_the_private_fee(
    maid_card, household_actor, householder, pay, now
):
    with pytest.raises(services.NotDueForRenewal):
        services.card_renewal_request(actor=household_actor, now=now, card=maid_card)

    later = now + dt.timedelta(days=2 * 365 - 20)
    request = services.card_renewal_request(actor=household_actor, now=later, card=maid_card)

    assert request.invoice.service_code == "CARD_RENEWAL_PRIVATE"
    assert request.invoice.amount_baisa == 141_000 and request.invoice.payer_user == householder
    before = maid_card.expiry_date
    pay(request.invoice, at=later)
    services.card_request_complete(actor=household_actor, now=later, request=request)
    maid_card.refresh_from_db()
    assert maid_card.expiry_date > before and maid_card.status == LabourCard.Status.ACTIVE


def test_the_daily_run_expires_a_household_card_and_reminds_the_household(
    fees, household, householder, household_actor, pay, now
):
    due, past = (
        EmploymentFactory(establishment=None, household=household),
        EmploymentFactory(establishment=None, household=household),
    )
    for employment, expiry in ((due, dt.date(2026, 12, 20)), (past, dt.date(2026, 11, 1))):
        request = services.card_issue_request(
            actor=household_actor, now=now, employment=employment, kind="PRIVATE"
        )
        pay(request.invoice)
        card = services.card_request_complete(actor=household_actor, now=now, request=request).card
        LabourCard.objects.filter(pk=card.pk).update(expiry_date=expiry)

    report = tasks.run_daily(now=now)

    assert (report["expired"], report["reminded_households"]) == (1, 1)
    assert report["reminded_establishments"] == 0
    assert LabourCard.objects.get(employment=past).status == LabourCard.Status.EXPIRED
    (notice,) = notifications_of(user=householder)
    assert notice.subject_en == "Labour cards of your household workers due for renewal"
    assert LabourCard.objects.get(employment=due).number in notice.body_en
    assert notice.link == "/labour-cards/household/"


def test_a_household_worker_is_not_transferred_to_an_establishment(maid_card, system_actor, now):
    employment = selectors.employment_to_transfer(resident_card_number="91234567")
    with pytest.raises(services.HouseholdWorkerNotTransferable) as error:
        services.transfer_request(
            actor=system_actor,
            now=now,
            employment=employment,
            to_establishment=EstablishmentFactory(),
            licence_number="WP-ANY",
            occupation_code=employment.occupation_id,
            basic_wage_baisa=200_000,
        )
    assert error.value.code == "household_worker_not_transferable"
    assert error.value.text("ar") != error.value.text("en")
    assert not Transfer.objects.exists()


# --- The police --------------------------------------------------------------------------------


@pytest.fixture
def police(system_actor, now):
    """A key of the Royal Oman Police with the `police` scope."""
    importlib.import_module("manpower.integration.migrations.0002_seed_agencies").seed(
        django_apps, None
    )
    agency = integration.agency_by_code("rop")
    return integration.partner_key_create(
        actor=system_actor, agency=agency, scopes=["police"], now=now
    )[1]


def test_arrival_card_and_police_departure_of_a_household_worker(client, police, fees, pay, now):
    user = household_user(HOUSEHOLD_CIVIL_NUMBER)
    application = submit_private(user, now, line("9111", 1, gender="F"))
    pay_licence(application, now)
    licence = licensing.application_payment_confirm(
        actor=Actor.system(), application=application, now=now
    )
    police_actor = Actor(channel=Channel.PARTNER, label="partner:rop")
    licensing.visa_reserve(
        actor=police_actor,
        visa_number="V9000001",
        licence_number=licence.number,
        occupation_code="9111",
        nationality="IND",
        gender="F",
        now=now,
    )
    licensing.worker_arrive(
        actor=police_actor,
        visa_number="V9000001",
        arrival=licensing.Arrival(
            passport_number="M7654321",
            nationality="IND",
            full_name_en="Maria Santos",
            date_of_birth=dt.date(1992, 3, 4),
            gender="F",
            arrival_date=dt.date(2026, 11, 28),
            border_post="Muscat International Airport",
        ),
        now=now,
    )
    employment = Employment.objects.get(household=licence.household)
    request = services.card_issue_request(
        actor=Actor.for_user(user),
        now=now,
        employment=employment,
        kind="PRIVATE",
        resident_card_number="91234567",
    )
    pay(request.invoice)
    card = services.card_request_complete(actor=Actor.for_user(user), now=now, request=request).card
    auth = {"HTTP_AUTHORIZATION": f"Bearer {police}"}

    status = client.get("/api/partners/v1/police/workers/91234567", **auth).json()
    departed = client.post(
        "/api/partners/v1/police/departures",
        data={
            "resident_card_number": "91234567",
            "departure_date": "2026-12-05",
            "border_post": "X",
        },
        content_type="application/json",
        **auth,
    )

    assert status["employer"] == {
        "kind": "household",
        "cr_number": None,
        "civil_number": HOUSEHOLD_CIVIL_NUMBER,
        "name_en": licence.household.name_en,
        "name_ar": licence.household.name_ar,
    }
    assert status["labour_card"]["kind"] == "PRIVATE"
    assert departed.status_code == 201, departed.content
    answer = departed.json()
    assert answer["employment_ended"] is True and answer["employer_cr_number"] is None
    assert answer["labour_card"] == {"number": card.number, "status": "CANCELLED"}
    employment.refresh_from_db()
    assert employment.status == Employment.Status.ENDED
    assert str(employment.end_date) == "2026-12-05"
    card.refresh_from_db()
    assert card.status == LabourCard.Status.CANCELLED and card.close_reason == "DEPARTED"


# --- Pages -------------------------------------------------------------------------------------


def test_the_householder_requests_pays_and_completes_a_card_on_the_household_page(
    client, fees, maid, householder, pay
):
    signed_in(client, householder)

    page = client.get(url("cards")).content.decode()
    assert "My household workers" in page and "Workers without a labour card" in page
    assert "Transfers of services" not in page and url("issue", maid.pk) in page
    request_page = client.get(url("issue", maid.pk)).content.decode()
    assert 'name="kind" value="PRIVATE"' in request_page
    response = client.post(url("issue", maid.pk), {"kind": "PRIVATE"}, follow=True)
    request = CardRequest.objects.get()
    assert request.invoice.number in response.content.decode()
    assert request.card_kind == "PRIVATE" and request.channel == "WEB"
    event = AuditEvent.objects.get(action="card_request.created")
    assert (event.on_behalf_of_kind, event.on_behalf_of_key) == (
        "household",
        HOUSEHOLD_CIVIL_NUMBER,
    )
    assert client.get(reverse("payments:invoice", args=[request.invoice.number])).status_code == 200

    pay(request.invoice, at=timezone.now())
    client.post(url("complete", request.pk))

    card = LabourCard.objects.get(employment=maid)
    page = client.get(url("cards")).content.decode()
    assert card.number in page
    pdf = client.get(url("card-pdf", card.number))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_householder_renews_modifies_and_prints_the_departure_form(
    client, maid_card, householder, pay
):
    LabourCard.objects.filter(pk=maid_card.pk).update(
        expiry_date=timezone.localdate() + dt.timedelta(days=10)
    )
    signed_in(client, householder)

    assert "Due for renewal" in client.get(url("cards")).content.decode()
    client.post(url("renew", maid_card.number))
    assert CardRequest.objects.get(kind="RENEWAL").invoice.payer_user == householder
    form = client.get(url("modify", maid_card.number))
    assert form.status_code == 200 and "My household workers" in form.content.decode()
    client.post(url("departure-form", maid_card.number))
    request = CardRequest.objects.get(kind="DEPARTURE_FORM")
    pay(request.invoice, at=timezone.now())
    client.post(url("complete", request.pk))
    pdf = client.get(url("request-pdf", request.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    document = document_by_code(CardRequest.objects.get(pk=request.pk).document_code)
    assert "Salim Al Harthy" in document.payload


def test_the_household_page_in_arabic(client, maid_card, householder):
    page = signed_in(client, householder, "ar").get(url("cards")).content.decode()
    assert 'dir="rtl"' in page and maid_card.number in page


def test_another_household_or_an_establishment_cannot_see_a_household_worker(
    client, maid_card, maid
):
    neighbour = PersonFactory(is_national=True, nationality=oman(), civil_number="81234568")
    for user in (
        UserFactory(role=Role.INDIVIDUAL, civil_number=neighbour.civil_number),
        RepresentationFactory(establishment=EstablishmentFactory()).user,
    ):
        signed_in(client, user)
        page = client.get(url("cards"))
        assert page.status_code in (200, 404)
        assert maid_card.number not in page.content.decode()
        assert client.get(url("card-pdf", maid_card.number)).status_code == 404
        assert client.post(url("renew", maid_card.number)).status_code == 404
        assert client.get(url("modify", maid_card.number)).status_code == 404
        assert client.post(url("issue", maid.pk), {"kind": "PRIVATE"}).status_code == 404
        request = CardRequest.objects.get(kind="ISSUE")
        assert client.post(url("complete", request.pk)).status_code == 404
    assert CardRequest.objects.count() == 1


def test_an_individual_without_a_civil_number_has_no_household_page(client):
    signed_in(client, UserFactory(role=Role.INDIVIDUAL, civil_number=""))
    assert client.get(url("cards")).status_code == 404


def test_the_dashboard_leads_a_private_licence_holder_to_the_household_workers(
    client, maid, householder
):
    page = signed_in(client, householder).get(reverse("portal:dashboard")).content.decode()
    assert "My household workers" in page and url("cards") in page
    assert "1 domestic worker works for your household" in page

    stranger = UserFactory(role=Role.INDIVIDUAL, civil_number="81234569")
    PersonFactory(is_national=True, nationality=oman(), civil_number="81234569")
    page = signed_in(client, stranger).get(reverse("portal:dashboard")).content.decode()
    assert "My household workers" not in page
