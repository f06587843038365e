"""The employer's labour card pages: the list with cards due, and the actions."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from manpower.accounts.models import Role
from manpower.core.models import AuditEvent
from manpower.labourcards.models import CardRequest, LabourCard
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    RepresentationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def sign_in(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)


def url(name, establishment, *args):
    return reverse(f"labourcards:{name}", args=[establishment.cr_number, *args])


@pytest.fixture
def live_card(issue, arrived):
    """A card issued today, expiring in ten days: due for renewal."""
    card = issue(arrived, resident_card_number="71234567", at=timezone.now())
    LabourCard.objects.filter(pk=card.pk).update(
        expiry_date=timezone.localdate() + dt.timedelta(days=10)
    )
    card.refresh_from_db()
    return card


def test_list_shows_cards_due_for_renewal(client, representative, live_card, establishment):
    sign_in(client, representative)
    page = client.get(url("cards", establishment)).content.decode()
    assert live_card.number in page
    assert "Due for renewal" in page
    assert "1 card is expired or expires within 30 days" in page


def test_list_in_arabic(client, representative, live_card, establishment):
    sign_in(client, representative, "ar")
    page = client.get(url("cards", establishment)).content.decode()
    assert 'dir="rtl"' in page and "بطاقات العمل" in page


def test_another_employers_cards_are_not_found(client, live_card):
    stranger = UserFactory(role=Role.ESTABLISHMENT_REP)
    RepresentationFactory(user=stranger, establishment=EstablishmentFactory())
    sign_in(client, stranger)
    establishment = live_card.employment.establishment
    assert client.get(url("cards", establishment)).status_code == 404
    response = client.post(url("renew", establishment, live_card.number))
    assert response.status_code == 404
    assert not CardRequest.objects.filter(kind="RENEWAL").exists()


def test_renew_from_the_list_issues_the_invoice(client, representative, live_card, establishment):
    sign_in(client, representative)
    response = client.post(url("renew", establishment, live_card.number), follow=True)
    request = CardRequest.objects.get(kind="RENEWAL")
    assert request.invoice.number in response.content.decode()
    assert request.channel == "WEB"

    again = client.post(url("renew", establishment, live_card.number), follow=True)
    assert "already waiting for payment" in again.content.decode()
    assert CardRequest.objects.filter(kind="RENEWAL").count() == 1


def test_sanad_operator_renews_through_the_sanad_channel(client, live_card, establishment):
    operator = UserFactory(role=Role.SANAD_OPERATOR)
    RepresentationFactory(user=operator, establishment=establishment)
    sign_in(client, operator)
    client.post(url("renew", establishment, live_card.number))
    assert CardRequest.objects.get(kind="RENEWAL").channel == "SANAD"


def test_complete_after_paying(client, representative, live_card, establishment, pay):
    sign_in(client, representative)
    client.post(url("departure-form", establishment, live_card.number))
    request = CardRequest.objects.get(kind="DEPARTURE_FORM")

    early = client.post(url("complete", establishment, request.pk), follow=True)
    assert "is not paid yet" in early.content.decode()
    assert client.get(url("request-pdf", establishment, request.pk)).status_code == 404

    pay(request.invoice, at=timezone.now())
    client.post(url("complete", establishment, request.pk))
    pdf = client.get(url("request-pdf", establishment, request.pk))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_issue_from_the_list(client, representative, establishment, fees):
    employment = EmploymentFactory(establishment=establishment, person__civil_number=None)
    sign_in(client, representative)
    page = client.get(url("cards", establishment)).content.decode()
    assert "Workers without a labour card" in page
    response = client.post(
        url("issue", establishment, employment.pk),
        {"kind": "PRIVATE", "resident_card_number": "12"},
        follow=True,
    )
    assert "6 to 9 digits" in response.content.decode()
    client.post(url("issue", establishment, employment.pk), {"kind": "PRIVATE"})
    assert CardRequest.objects.get().card_kind == "PRIVATE"


def test_modify_page_changes_only_what_differs(client, representative, live_card, establishment):
    sign_in(client, representative)
    person = live_card.employment.person
    form = client.get(url("modify", establishment, live_card.number))
    assert form.status_code == 200 and person.name_en in form.content.decode()
    data = {
        "name_ar": person.name_ar,
        "name_en": "Ravi Kumar",
        "civil_number": person.civil_number,
        "passport_number": person.passport_number,
        "nationality": person.nationality_id,
        "worker_status": "WORKING",
    }
    response = client.post(url("modify", establishment, live_card.number), data)
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="person.modified").last()
    assert list(event.changes) == ["name_en"]

    same = client.post(url("modify", establishment, live_card.number), data)
    assert same.status_code == 400 and "Nothing was changed" in same.content.decode()


def test_card_pdf_download(client, representative, live_card, establishment):
    sign_in(client, representative)
    response = client.get(url("card-pdf", establishment, live_card.number))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_pages_need_sign_in(client, live_card, establishment):
    response = client.get(url("cards", establishment))
    assert response.status_code == 302 and "sign-in" in response.url


def test_modify_page_names_a_bad_resident_card_number_by_its_field(
    client, representative, live_card, establishment
):
    sign_in(client, representative)
    person = live_card.employment.person
    data = {
        "name_ar": person.name_ar,
        "name_en": person.name_en,
        "civil_number": "12AB",
        "passport_number": "P 12",
        "nationality": person.nationality_id,
        "worker_status": "WORKING",
    }
    response = client.post(url("modify", establishment, live_card.number), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["civil_number"] == ["A civil or resident card number has digits (0-9) only."]
    assert "passport_number" not in form.errors  # "P 12" is written "P12", a valid number
    person.refresh_from_db()
    assert person.civil_number != "12AB"
