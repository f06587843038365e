"""The fee schedule the payments app seeds: every paid service of the public catalogue can be
billed on a fresh installation, at the amount the catalogue shows."""

import pytest
from django.utils import timezone

from manpower.payments.services import fee_effective

pytestmark = pytest.mark.django_db

SCHEDULE_ONLY = {
    "LICENCE_PRIVATE",
    "CARD_RENEWAL_PRIVATE",
    "DEPARTURE_FORM",
    "TRANSFER_OF_SERVICES",
}


@pytest.fixture
def catalogue(client):
    page = client.get("/api/v1/services", {"limit": 100}).json()
    return {service["code"]: service for service in page["items"]}


def test_services_with_a_catalogue_fee_are_billed_that_fee(catalogue):
    today = timezone.localdate()
    priced = {code: s["fee_baisa"] for code, s in catalogue.items() if s["fee_baisa"] is not None}
    assert priced
    for code, amount in priced.items():
        assert fee_effective(service_code=code, on_date=today).amount_baisa == amount


def test_services_whose_fee_is_in_the_schedule_have_one(catalogue):
    today = timezone.localdate()
    for code in SCHEDULE_ONLY:
        assert code in catalogue
        fee = fee_effective(service_code=code, on_date=today)
        assert fee.amount_baisa > 0 and fee.name_ar and fee.name_en
