"""The Sanad counter page: the operator finds an invoice by the number the payer gives and takes
its payment; unknown, paid and expired invoices are refused in the page's language."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from manpower.accounts.models import Role, User
from manpower.core.models import AuditEvent
from manpower.payments.models import Invoice, Payment
from manpower.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COUNTER = reverse("payments:counter")
ENGLISH, ARABIC = "en", "ar"


@pytest.fixture
def operator(client):
    user = UserFactory(username="counter1", role=Role.SANAD_OPERATOR)
    client.force_login(user)
    return user


def speaking(client, language):
    """The signed-in user's own language chooses the page's."""
    User.objects.filter(pk=client.session["_auth_user_id"]).update(language=language)


def find(client, number, language=ENGLISH):
    speaking(client, language)
    return client.get(COUNTER, {"number": number})


def take(client, number, language=ENGLISH):
    speaking(client, language)
    return client.post(COUNTER, {"number": number, "received": "on"})


def test_the_operator_finds_the_invoice_takes_the_payment_and_prints_the_receipt(
    client, operator, live_invoice
):
    found = find(client, live_invoice.number.lower()).content.decode()
    assert "Al Noor Trading" in found and "OMR 201.000" in found
    assert 'name="csrfmiddlewaretoken"' in found
    assert "I have received OMR 201.000 from the payer" in found

    paid = take(client, live_invoice.number)
    assert paid.status_code == 302
    page = client.get(paid.url).content.decode()
    assert f"Payment taken: invoice {live_invoice.number} is paid." in page
    receipt_url = reverse("payments:counter-receipt", kwargs={"number": live_invoice.number})
    assert receipt_url in page
    receipt = client.get(receipt_url)
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"

    live_invoice.refresh_from_db()
    assert live_invoice.status == Invoice.Status.PAID
    payment = Payment.objects.get(invoice=live_invoice)
    assert (payment.method, payment.sanad_centre_code) == ("SANAD", "COUNTER1")
    event = AuditEvent.objects.get(action="payment.received")
    assert (event.channel.lower(), event.actor_user_id) == ("sanad", operator.pk)


def test_a_second_click_takes_nothing_more(client, operator, live_invoice):
    take(client, live_invoice.number)
    again = take(client, live_invoice.number)
    assert "cannot be paid: it is Paid" in again.content.decode()
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    "number, english, arabic",
    [
        ("INV-0000000000", "No invoice has the number INV-0000000000", "لا توجد فاتورة بالرقم"),
        ("nonsense", "No invoice has the number NONSENSE", "لا توجد فاتورة بالرقم"),
    ],
)
def test_an_unknown_number_is_refused_in_both_languages(client, operator, number, english, arabic):
    assert english in find(client, number).content.decode()
    assert arabic in find(client, number, ARABIC).content.decode()
    assert take(client, number).status_code == 200
    assert not Payment.objects.exists()


def test_a_nul_byte_in_the_number_is_refused_and_takes_nothing(client, operator, live_invoice):
    answer = take(client, live_invoice.number + "\x00")
    assert answer.status_code == 400
    assert "cannot be stored (such as NUL)" in answer.content.decode()
    assert not Payment.objects.exists()


def test_an_expired_invoice_is_refused_in_both_languages(client, operator, live_invoice):
    Invoice.objects.filter(pk=live_invoice.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    english = take(client, live_invoice.number).content.decode()
    assert f"Invoice {live_invoice.number} cannot be paid: it is expired." in english
    arabic = take(client, live_invoice.number, ARABIC).content.decode()
    assert "لا يمكن دفع الفاتورة" in arabic
    assert not Payment.objects.exists()


def test_an_already_paid_invoice_is_shown_paid_without_a_payment_button(
    client, operator, live_invoice
):
    take(client, live_invoice.number)
    page = find(client, live_invoice.number, ARABIC).content.decode()
    assert "مدفوعة" in page
    assert 'name="received"' not in page


def test_only_a_sanad_operator_uses_the_counter(client, representative, live_invoice):
    client.force_login(representative)
    assert find(client, live_invoice.number).status_code == 403
    assert take(client, live_invoice.number).status_code == 403
    receipt = reverse("payments:counter-receipt", kwargs={"number": live_invoice.number})
    assert client.get(receipt).status_code == 404
    assert not Payment.objects.exists()


def test_the_sanad_dashboard_links_the_counter(client, operator):
    speaking(client, ENGLISH)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert f'href="{COUNTER}"' in page


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (ENGLISH, "Tick the box once you have received the amount from the payer."),
        (ARABIC, "ضع علامة في المربع بعد أن تتسلم المبلغ من الدافع."),
    ],
)
def test_the_payment_is_not_taken_until_the_money_is_confirmed(
    client, operator, live_invoice, language, message
):
    speaking(client, language)
    page = client.post(COUNTER, {"number": live_invoice.number}).content.decode()
    assert message in page
    assert 'href="#id_received"' in page  # the error summary links to the box
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (ENGLISH, "Enter the invoice number that the payer gives you."),
        (ARABIC, "أدخل رقم الفاتورة الذي يعطيك إياه الدافع."),
    ],
)
def test_an_empty_number_says_what_to_enter(client, operator, language, message):
    page = find(client, "  ", language).content.decode()
    assert message in page and 'href="#id_number"' in page


def test_the_counter_forms_leave_checking_to_the_server(client, operator, live_invoice):
    """The browser checks nothing in its own language (`required` only tells screen readers):
    the server's messages say what is wrong, in the page's."""
    main = find(client, live_invoice.number).content.decode().split("<main", 1)[1]
    assert main.count("<form") == main.count(" novalidate") == 2
