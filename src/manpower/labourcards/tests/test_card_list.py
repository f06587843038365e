"""The labour-cards page: search, filters (due for renewal, expired, no card), paging, and the
card request on its own page with messages that name the worker and the field."""

import datetime as dt

import pytest
from django.utils import timezone

from manpower.labourcards.models import CardRequest, LabourCard
from manpower.labourcards.tests.test_pages import sign_in, url
from manpower.labourcards.views import CARDS_PER_PAGE
from manpower.registry.tests.factories import EmploymentFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cards(issue, establishment):
    """Three cards: one valid for two years, one due in ten days, one expired last week."""
    made = []
    for days in (700, 10, -7):
        employment = EmploymentFactory(establishment=establishment)
        card = issue(employment)
        LabourCard.objects.filter(pk=card.pk).update(
            expiry_date=timezone.localdate() + dt.timedelta(days=days),
            status=LabourCard.Status.EXPIRED if days < 0 else LabourCard.Status.ACTIVE,
        )
        made.append(LabourCard.objects.get(pk=card.pk))
    return made


def listed(client, establishment, **query) -> str:
    response = client.get(url("cards", establishment), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_filters_show_cards_due_expired_and_workers_without_a_card(
    client, representative, establishment, cards, arrived
):
    valid, due, expired = cards
    sign_in(client, representative)
    page = listed(client, establishment)
    assert all(card.number in page for card in cards) and arrived.person.name_en in page

    page = listed(client, establishment, show="due")
    assert due.number in page and expired.number in page and valid.number not in page

    page = listed(client, establishment, show="expired")
    assert expired.number in page and due.number not in page and valid.number not in page

    page = listed(client, establishment, show="no-card")
    assert not any(card.number in page for card in cards)
    assert arrived.person.name_en in page
    assert url("issue", establishment, arrived.pk) in page


def test_the_search_finds_a_card_by_number_or_worker(client, representative, establishment, cards):
    valid, due, expired = cards
    sign_in(client, representative)
    page = listed(client, establishment, q=due.number.lower())
    assert due.number in page and valid.number not in page and expired.number not in page

    page = listed(client, establishment, q=valid.employment.person.name_en)
    assert valid.number in page and due.number not in page

    page = listed(client, establishment, q="nobody-by-this-name")
    assert "No card matches the search." in page


@pytest.mark.parametrize(
    "query", [{"show": "bogus"}, {"page": "999999999999"}, {"page": "-1"}, {"q": "x" * 500}]
)
def test_bad_filters_and_huge_pages_show_the_page_not_an_error(
    client, representative, establishment, cards, query
):
    sign_in(client, representative)
    assert client.get(url("cards", establishment), query).status_code == 200


def test_the_cards_come_in_pages(client, representative, establishment, issue):
    for _ in range(CARDS_PER_PAGE + 1):
        issue(EmploymentFactory(establishment=establishment))
    sign_in(client, representative)
    first = listed(client, establishment)
    assert first.count("/card.pdf") == CARDS_PER_PAGE and 'rel="next"' in first
    second = listed(client, establishment, page="2")
    assert second.count("/card.pdf") == 1 and 'rel="prev"' in second


def test_the_card_request_has_its_own_page_and_a_bad_resident_card_number_is_named(
    client, representative, establishment, arrived, fees
):
    sign_in(client, representative)
    page = client.get(url("issue", establishment, arrived.pk)).content.decode()
    assert arrived.person.name_en in page and 'name="resident_card_number"' in page

    refused = client.post(
        url("issue", establishment, arrived.pk),
        {"kind": "COMMERCIAL", "resident_card_number": "12ab"},
    )
    text = refused.content.decode()
    assert refused.status_code == 400
    assert arrived.person.name_en in text  # which worker's request is wrong
    assert 'href="#id_resident_card_number"' in text  # the summary links to the field
    assert "digits (0-9) only" in text
    assert not CardRequest.objects.exists()

    sign_in(client, representative, language="ar")
    refused = client.post(url("issue", establishment, arrived.pk), {"kind": "NOPE"})
    assert refused.status_code == 400 and "نوع البطاقة" in refused.content.decode()
    assert not CardRequest.objects.exists()


def test_another_employers_worker_has_no_card_request_page(client, representative, establishment):
    other = EmploymentFactory(person=PersonFactory())
    sign_in(client, representative)
    assert client.get(url("issue", establishment, other.pk)).status_code == 404
