"""A non-national worker's whole journey through the public interfaces only: the portal (signed
in with a password, the sandbox bank's card page for every fee) and the police's partner API
(a real Bearer key). Factories make only what exists before the journey starts: the employers,
their workforce and their representatives.

The portal and the partner API read the clock (`timezone.now`); the `clock` fixture replaces it
so that the journey can move on to the renewal window two years later.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from manpower.labourcards.models import CardRequest, LabourCard, Transfer
from manpower.licensing.models import Licence, LicenceApplication, LicenceVacancy
from manpower.licensing.tasks import licensing_periodic
from manpower.licensing.tests.conftest import (  # noqa: F401  (fixtures used by name)
    seeded_agencies,
    seeded_fees,
    simulator,
)
from manpower.licensing.tests.factories import make_licence
from manpower.licensing.tests.test_applications import employer
from manpower.payments.models import Invoice
from manpower.payments.tests.sandbox import pay_online
from manpower.registry.models import Employment

PASSWORD = "correct-horse-battery-9"  # the password of every UserFactory user
POLICE = "/api/partners/v1/police"
RESIDENT_CARD = "71234567"
BRICKLAYERS = "Bricklayers and related workers"


class Clock:
    """What `timezone.now()` answers while a journey runs; the test moves it on."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
def clock(monkeypatch, now):
    clock = Clock(now)
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def text(response) -> str:
    return response.content.decode()


def sign_in(client, user) -> None:
    """Through the sign-in page, as an establishment representative does (no second factor)."""
    if user.language != "en":
        user.language = "en"
        user.save(update_fields=["language"])
    response = client.post(
        reverse("accounts:sign-in"), {"identifier": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("portal:dashboard")


def pay(client, number: str, amount: str) -> None:
    """The invoice page shows the amount; the payer pays online and sees the result."""
    invoice = client.get(reverse("payments:invoice", args=[number]))
    assert invoice.status_code == 200
    assert amount in text(invoice) and "Pay online" in text(invoice)
    back = pay_online(client, number)
    assert back.status_code == 302
    assert f"Invoice {number} is paid" in text(client.get(back.url))
    assert Invoice.objects.get(number=number).status == Invoice.Status.PAID


def vacancy_counts(page, occupation: str = BRICKLAYERS) -> list[int]:
    """Issued, reserved, used and free, as the licence page's vacancy table shows them."""
    row = re.search(rf"<tr><td>{occupation}.*?</tr>", text(page), re.S).group(0)
    return [int(n) for n in re.findall(r'<td class="ltr-data">(\d+)</td>', row)]


def new_police_key() -> str:
    """A key of the Royal Oman Police, issued the way the ministry's operators issue it."""
    key = io.StringIO()
    call_command(
        "partner_key", "create", "rop", "--scopes", "police", stdout=key, stderr=io.StringIO()
    )
    return key.getvalue().strip()


def police(client, method: str, path: str, key: str, body: dict | None = None):
    return getattr(client, method)(
        POLICE + path,
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def reserve_and_arrive(client, key: str, licence_number: str, visa: str, passport: str) -> int:
    """The police reserve a visa against the licence, then report the worker's arrival."""
    reservation = {
        "licence_number": licence_number,
        "occupation_code": "7112",
        "nationality": "IND",
        "gender": "M",
        "visa_number": visa,
    }
    first = police(client, "post", "/visa-reservations", key, reservation)
    again = police(client, "post", "/visa-reservations", key, reservation)
    reserved = {"visa_number": visa, "licence_number": licence_number, "status": "reserved"}
    assert (first.status_code, first.json()) == (201, reserved)
    assert (again.status_code, again.json()) == (200, reserved)
    arrival = {
        "visa_number": visa,
        "passport_number": passport,
        "nationality": "IND",
        "full_name_en": "Ravi Kumar",
        "date_of_birth": "1995-04-02",
        "gender": "M",
        "arrival_date": timezone.localdate().isoformat(),
        "border_post": "Muscat International Airport",
    }
    arrived = police(client, "post", "/arrivals", key, arrival)
    assert arrived.status_code == 201, arrived.content
    answer = arrived.json()
    assert (answer["visa_number"], answer["status"]) == (visa, "arrived")
    repeat = police(client, "post", "/arrivals", key, arrival)
    assert (repeat.status_code, repeat.json()) == (200, answer)
    return answer["worker_id"]


def cards_page(client, establishment):
    page = client.get(reverse("labourcards:cards", args=[establishment.cr_number]))
    assert page.status_code == 200
    return page


def complete_if_offered(client, establishment, url: str) -> str:
    """After paying, the employer says so if the page still offers it (it does not when the
    payment has completed what it paid for); the page it lands on, or "" when not offered."""
    if url not in text(cards_page(client, establishment)):
        return ""
    return text(client.post(url, follow=True))


def complete_when_paid(client, establishment, card_request: CardRequest) -> str:
    """The paid request completes; returns the cards page as it is then."""
    complete = reverse("labourcards:complete", args=[establishment.cr_number, card_request.pk])
    done = complete_if_offered(client, establishment, complete)
    assert "The request is complete." in done or not done
    card_request.refresh_from_db()
    assert card_request.status == CardRequest.Status.COMPLETED
    return text(cards_page(client, establishment))


def issue_card(client, establishment, worker_id: int) -> LabourCard:
    """The employer requests the labour card of a worker who arrived, pays, gets the card."""
    employment = Employment.objects.get(person_id=worker_id, status=Employment.Status.ACTIVE)
    page = text(cards_page(client, establishment))
    assert "Workers without a labour card" in page and "Ravi Kumar" in page
    requested = client.post(
        reverse("labourcards:issue", args=[establishment.cr_number, employment.pk]),
        {"kind": "COMMERCIAL", "resident_card_number": RESIDENT_CARD},
        follow=True,
    )
    card_request = CardRequest.objects.get(employment=employment, kind=CardRequest.Kind.ISSUE)
    assert f"Invoice {card_request.invoice.number} was issued" in text(requested)
    assert card_request.status == CardRequest.Status.AWAITING_PAYMENT

    pay(client, card_request.invoice.number, "OMR 301.000")
    page = complete_when_paid(client, establishment, card_request)

    card = LabourCard.objects.get(employment=employment)
    assert card.status == LabourCard.Status.ACTIVE and card.kind == LabourCard.Kind.COMMERCIAL
    assert card.employment.person.civil_number == RESIDENT_CARD
    assert card.number in page and RESIDENT_CARD in page
    pdf = client.get(reverse("labourcards:card-pdf", args=[establishment.cr_number, card.number]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    return card


def workers_page(client, establishment) -> str:
    page = client.get(reverse("portal:workers", args=[establishment.cr_number]))
    assert page.status_code == 200
    return text(page)


# The Commerce and Chamber simulators read committed data; what a payment sets off runs once it
# has committed.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("simulator")
def test_from_application_to_departure(client, clock):
    police_key = new_police_key()

    # 1. The representative signs in and applies for two bricklayers from India.
    establishment, representative = employer(nationals=2, non_nationals=8)
    sign_in(client, representative)
    form = client.get(reverse("licensing:apply"))
    assert form.status_code == 200 and establishment.cr_number in text(form)
    submitted = client.post(
        reverse("licensing:apply"),
        {
            "kind": "COMMERCIAL",
            "establishment": establishment.cr_number,
            "line-TOTAL_FORMS": "3",
            "line-INITIAL_FORMS": "0",
            "line-0-occupation_code": "7112",
            "line-0-nationality": "ind",
            "line-0-gender": "M",
            "line-0-count": "2",
        },
        follow=True,
    )
    application = LicenceApplication.objects.get(establishment=establishment)
    assert submitted.redirect_chain[-1][0] == reverse(
        "licensing:application", args=[application.number]
    )
    assert "Your application was submitted." in text(submitted)
    assert application.status == LicenceApplication.Status.AWAITING_PAYMENT
    assert application.omanisation_met and application.granted_total == 2
    assert application.invoice_number in text(submitted)

    # 2. It pays the fee (30% off RO 201 per bricklayer, third category: share met). The licence
    # is issued by the payment itself or, failing that, by the job that issues paid licences
    # every few minutes: whichever this build has, the applicant then sees the licence.
    pay(client, application.invoice_number, "OMR 281.400")
    page = client.get(reverse("licensing:application", args=[application.number]))
    if "See the licence" not in text(page):
        assert licensing_periodic.call()["issued"] == 1
        page = client.get(reverse("licensing:application", args=[application.number]))
    licence = Licence.objects.get(application=application)
    assert reverse("licensing:licence", args=[licence.number]) in text(page)
    assert (licence.status, licence.valid_from, licence.valid_until) == (
        Licence.Status.ACTIVE,
        dt.date(2026, 11, 29),
        dt.date(2028, 11, 28),
    )
    licence_page = client.get(reverse("licensing:licence", args=[licence.number]))
    assert licence.number in text(licence_page) and "29/11/2026" in text(licence_page)
    assert vacancy_counts(licence_page) == [2, 0, 0, 2]
    pdf = client.get(reverse("licensing:pdf", args=[licence.number]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    # 3. The police reserve a visa (a repeat gets the same answer) and the worker arrives.
    worker_id = reserve_and_arrive(Client(), police_key, licence.number, "V2026000001", "N1234567")
    vacancy = LicenceVacancy.objects.get(licence=licence)
    assert (vacancy.issued, vacancy.reserved, vacancy.used) == (2, 0, 1)
    licence_page = client.get(reverse("licensing:licence", args=[licence.number]))
    assert vacancy_counts(licence_page) == [2, 0, 1, 1]
    employment = Employment.objects.get(person_id=worker_id)
    assert (employment.establishment, employment.status, employment.start_date) == (
        establishment,
        Employment.Status.ACTIVE,
        dt.date(2026, 11, 29),
    )

    # 4. The employer requests the labour card with the resident card number, pays, gets it.
    card = issue_card(client, establishment, worker_id)
    assert card.expiry_date == dt.date(2028, 11, 29)
    workers = workers_page(client, establishment)
    assert "Ravi Kumar" in workers and RESIDENT_CARD in workers
    cards_url = reverse("labourcards:cards", args=[establishment.cr_number])
    renew_url = reverse("labourcards:renew", args=[establishment.cr_number, card.number])
    early = client.post(renew_url, follow=True)
    assert f"Labour card {card.number} can be renewed from 30/10/2028." in text(early)
    assert not CardRequest.objects.filter(kind=CardRequest.Kind.RENEWAL).exists()

    # 5. Two years on, two weeks before the card expires: the employer signs in again (the
    # session has long expired), sees the card due and renews it.
    clock.at = dt.datetime(2028, 11, 15, 6, 0, tzinfo=dt.UTC)
    assert client.get(cards_url).url.startswith(reverse("accounts:sign-in"))
    sign_in(client, representative)
    page = text(cards_page(client, establishment))
    assert "Due for renewal" in page and "1 card is expired or expires within 30 days" in page
    assert renew_url in page
    requested = client.post(renew_url, follow=True)
    renewal = CardRequest.objects.get(kind=CardRequest.Kind.RENEWAL)
    assert f"Invoice {renewal.invoice.number} was issued" in text(requested)
    assert renewal.late_invoice is None  # not expired: no late fee
    pay(client, renewal.invoice.number, "OMR 301.000")
    page = complete_when_paid(client, establishment, renewal)
    card.refresh_from_db()
    assert (card.status, card.expiry_date) == (LabourCard.Status.ACTIVE, dt.date(2030, 11, 29))
    assert "29/11/2030" in page and "Due for renewal" not in page

    # 6. The employer requests the departure form, pays and prints it; the worker leaves and
    # the police report the departure.
    clock.at = dt.datetime(2028, 11, 20, 6, 0, tzinfo=dt.UTC)
    sign_in(client, representative)
    requested = client.post(
        reverse("labourcards:departure-form", args=[establishment.cr_number, card.number]),
        follow=True,
    )
    form_request = CardRequest.objects.get(kind=CardRequest.Kind.DEPARTURE_FORM)
    assert f"Invoice {form_request.invoice.number} was issued" in text(requested)
    pay(client, form_request.invoice.number, "OMR 5.000")
    form_pdf_url = reverse(
        "labourcards:request-pdf", args=[establishment.cr_number, form_request.pk]
    )
    assert form_pdf_url in complete_when_paid(client, establishment, form_request)
    form_pdf = client.get(form_pdf_url)
    assert form_pdf.status_code == 200 and form_pdf["Content-Type"] == "application/pdf"
    assert form_pdf.content.startswith(b"%PDF")

    api = Client()
    departure = {
        "resident_card_number": RESIDENT_CARD,
        "departure_date": "2028-11-20",
        "border_post": "Muscat International Airport",
    }
    # The police's key of two years ago has expired (keys last a year): they get a new one.
    assert police(api, "post", "/departures", police_key, departure).status_code == 401
    police_key = new_police_key()
    departed = police(api, "post", "/departures", police_key, departure)
    assert departed.status_code == 201, departed.content
    assert departed.json() == {
        "resident_card_number": RESIDENT_CARD,
        "passport_number": "N1234567",
        "departure_date": "2028-11-20",
        "border_post": "Muscat International Airport",
        "employment_ended": True,
        "employer_cr_number": establishment.cr_number,
        "labour_card": {"number": card.number, "status": "CANCELLED"},
    }
    employment.refresh_from_db()
    card.refresh_from_db()
    assert (employment.status, employment.end_date) == (
        Employment.Status.ENDED,
        dt.date(2028, 11, 20),
    )
    assert (card.status, card.close_reason) == (LabourCard.Status.CANCELLED, "DEPARTED")
    status = police(api, "get", f"/workers/{RESIDENT_CARD}", police_key)
    assert status.status_code == 200
    assert status.json()["employer"] is None
    assert status.json()["labour_card"] == {
        "number": card.number,
        "status": "CANCELLED",
        "kind": "COMMERCIAL",
        "expiry_date": "2030-11-29",
    }
    assert "Ravi Kumar" not in workers_page(client, establishment)
    assert card.number not in text(cards_page(client, establishment))


@pytest.mark.django_db(transaction=True)  # what a payment sets off runs once it has committed
def test_a_worker_moves_to_an_employer_who_asks_and_pays_once_the_current_one_agrees(client, clock):
    police_key = new_police_key()
    # Employer A's worker arrived on A's licence and holds a labour card; B holds a licence
    # with a free vacancy of the same kind.
    establishment_a, representative_a = employer()
    establishment_b, representative_b = employer()
    licence_a = make_licence(establishment=establishment_a, issued=1, number="WP-JOURNEYA01")
    licence_b = make_licence(establishment=establishment_b, issued=1, number="WP-JOURNEYB01")
    worker_id = reserve_and_arrive(
        Client(), police_key, licence_a.number, "V2026000002", "N7654321"
    )
    sign_in(client, representative_a)
    card = issue_card(client, establishment_a, worker_id)

    # B asks for the worker on the portal and is billed the transfer fee.
    b = Client()
    sign_in(b, representative_b)
    new = reverse("labourcards:transfer-new", args=[establishment_b.cr_number])
    assert b.get(new).status_code == 200
    asked = b.post(
        new,
        {
            "resident_card_number": RESIDENT_CARD,
            "licence_number": licence_b.number,
            "occupation": "7112",
            "basic_wage": "180.000",
            "reason": "",
        },
        follow=True,
    )
    transfer = Transfer.objects.get()
    fee = transfer.invoice.number
    assert f"Invoice {fee} was issued for the transfer fee." in text(asked)
    assert (transfer.status, transfer.to_establishment) == (
        Transfer.Status.AWAITING_CONSENT,
        establishment_b,
    )

    # A sees the request and agrees; the worker waits for B's payment.
    page = text(cards_page(client, establishment_a))
    consent = reverse("labourcards:transfer-consent", args=[establishment_a.cr_number, transfer.pk])
    assert "Awaiting the current employer" in page and consent in page
    assert fee not in page  # the fee is B's to pay
    agreed = client.post(consent, follow=True)
    assert "You agreed. The worker moves once the new employer pays the transfer fee." in text(
        agreed
    )
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.AWAITING_PAYMENT
    assert "Ravi Kumar" in workers_page(client, establishment_a)

    # B pays the fee; the worker moves (at once, or when B says it has paid).
    page = text(cards_page(b, establishment_b))
    assert "Awaiting payment of the transfer fee" in page and fee in page
    pay(b, fee, "OMR 201.000")
    complete = reverse(
        "labourcards:transfer-complete", args=[establishment_b.cr_number, transfer.pk]
    )
    completed = complete_if_offered(b, establishment_b, complete)
    assert "The worker was transferred to the new employer." in completed or not completed

    transfer.refresh_from_db()
    card.refresh_from_db()
    old = Employment.objects.get(pk=transfer.from_employment_id)
    new_employment = Employment.objects.get(person_id=worker_id, status=Employment.Status.ACTIVE)
    assert transfer.status == Transfer.Status.COMPLETED
    assert transfer.to_employment == new_employment
    assert (old.status, old.end_date) == (Employment.Status.ENDED, dt.date(2026, 11, 29))
    assert (new_employment.establishment, new_employment.basic_wage_baisa) == (
        establishment_b,
        180_000,
    )
    assert (card.status, card.close_reason) == (LabourCard.Status.CANCELLED, "TRANSFERRED")
    counts = LicenceVacancy.objects.get(licence=licence_b)
    assert (counts.issued, counts.reserved, counts.used) == (1, 0, 1)
    assert "Ravi Kumar" not in workers_page(client, establishment_a)
    assert "Ravi Kumar" in workers_page(b, establishment_b)
    page = text(cards_page(b, establishment_b))
    assert "Workers without a labour card" in page and "Ravi Kumar" in page  # B's card to ask
    status = police(Client(), "get", f"/workers/{RESIDENT_CARD}", police_key)
    assert status.status_code == 200
    assert status.json()["employer"]["cr_number"] == establishment_b.cr_number
