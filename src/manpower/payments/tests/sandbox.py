"""Paying an invoice the way the portal does: Pay online, then the sandbox bank's card page."""

from django.urls import reverse

GOOD_CARD = "4111 1111 1111 1111"
DECLINED_CARD = "4000 0000 0000 0002"


def pay_online(client, number: str, card: str = GOOD_CARD):
    """As the signed-in payer: start the payment and submit the card; the card page's answer."""
    response = client.post(reverse("payments:pay", kwargs={"number": number}))
    assert response.status_code == 302, response
    page = response.url
    assert page.startswith("/payments/sandbox/pay/")
    assert client.get(page).status_code == 200
    return client.post(page, {"card_number": card})
