import shutil
import subprocess

import pytest
from django.urls import reverse

from manpower.payments.models import Invoice, Payment, PaymentSession
from manpower.registry.tests.factories import RepresentationFactory, UserFactory

from .sandbox import DECLINED_CARD, GOOD_CARD, pay_online

pytestmark = pytest.mark.django_db


def in_english(client, user):
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)


def test_representative_pays_online_and_downloads_the_receipt(
    client, representative, live_invoice, tmp_path
):
    in_english(client, representative)
    detail = client.get(reverse("payments:invoice", kwargs={"number": live_invoice.number}))
    assert detail.status_code == 200
    assert "OMR 201.000" in detail.content.decode() and "Pay online" in detail.content.decode()

    response = pay_online(client, live_invoice.number, GOOD_CARD)
    assert response.status_code == 302 and response.url.startswith("/payments/return/")
    result = client.get(response.url).content.decode()
    assert "is paid" in result
    assert Invoice.objects.get().status == Invoice.Status.PAID

    receipt = client.get(reverse("payments:receipt", kwargs={"number": live_invoice.number}))
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")

    if shutil.which("pdftoppm") and shutil.which("zbarimg"):
        (tmp_path / "r.pdf").write_bytes(receipt.content)
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", "r.pdf", "r"], cwd=tmp_path)
        scanned = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "r.png"], cwd=tmp_path, capture_output=True, text=True
        ).stdout.strip()
        path = scanned.split("://", 1)[1].split("/", 1)[1]
        verification = client.get("/" + path)
        assert "Genuine" in verification.content.decode()
        assert live_invoice.number in verification.content.decode()


def test_pages_are_in_arabic_by_default(client, representative, live_invoice):
    client.force_login(representative)
    body = client.get(
        reverse("payments:invoice", kwargs={"number": live_invoice.number})
    ).content.decode()
    assert 'dir="rtl"' in body and "ادفع إلكترونيًا" in body and "تجديد بطاقة العمل" in body


def test_a_declined_card_leaves_the_invoice_unpaid(client, representative, live_invoice):
    in_english(client, representative)
    response = pay_online(client, live_invoice.number, DECLINED_CARD)
    result = client.get(response.url).content.decode()
    assert "declined" in result
    assert Invoice.objects.get().status == Invoice.Status.UNPAID
    assert PaymentSession.objects.get().status == "FAILED"
    assert not Payment.objects.exists()


def test_an_unknown_card_is_refused_on_the_payment_page(client, representative, live_invoice):
    client.force_login(representative)
    response = pay_online(client, live_invoice.number, "1234 5678 9012 3456")
    assert response.status_code == 400
    assert PaymentSession.objects.get().status == "OPEN"


def test_a_completed_payment_page_cannot_charge_twice(client, representative, live_invoice):
    client.force_login(representative)
    response = pay_online(client, live_invoice.number, GOOD_CARD)
    token = response.url.rstrip("/").rsplit("/", 1)[1]
    again = client.post(
        reverse("payments:sandbox-pay", kwargs={"token": token}), {"card_number": GOOD_CARD}
    )
    assert again.status_code == 400
    assert Payment.objects.count() == 1


def test_someone_else_cannot_see_the_invoice_or_its_receipt(client, representative, live_invoice):
    client.force_login(representative)
    pay_online(client, live_invoice.number, GOOD_CARD)
    stranger = UserFactory()
    RepresentationFactory(user=stranger)  # represents another establishment
    client.force_login(stranger)
    number = live_invoice.number
    assert client.get(reverse("payments:invoice", kwargs={"number": number})).status_code == 404
    assert client.get(reverse("payments:receipt", kwargs={"number": number})).status_code == 404
    assert client.post(reverse("payments:pay", kwargs={"number": number})).status_code == 404


def test_no_receipt_before_payment(client, representative, live_invoice):
    client.force_login(representative)
    url = reverse("payments:receipt", kwargs={"number": live_invoice.number})
    assert client.get(url).status_code == 404


def test_invoice_list_shows_only_the_payers_invoices(client, representative, live_invoice):
    client.force_login(UserFactory())
    assert live_invoice.number not in client.get(reverse("payments:invoices")).content.decode()
    client.force_login(representative)
    assert live_invoice.number in client.get(reverse("payments:invoices")).content.decode()


def test_pages_need_sign_in(client, live_invoice):
    response = client.get(reverse("payments:invoice", kwargs={"number": live_invoice.number}))
    assert response.status_code == 302 and "sign-in" in response.url
