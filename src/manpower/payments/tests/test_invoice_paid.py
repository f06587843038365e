"""`signals.invoice_paid`: sent once an applied payment has committed, whatever the channel,
never for money that was not applied; a receiver that fails never fails the payer."""

import pytest

from manpower.core.actor import Actor, Channel
from manpower.payments.models import Invoice
from manpower.payments.services import invoice_cancel, sanad_payment_record
from manpower.payments.signals import invoice_paid

from .conftest import FEE_BAISA, callback_body
from .sandbox import DECLINED_CARD, pay_online

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """What a receiver connected like the apps' receivers hears."""
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    invoice_paid.connect(receiver, dispatch_uid="test-heard")
    yield calls
    invoice_paid.disconnect(dispatch_uid="test-heard")


def at_sanad(invoice, now, reference="R-1", amount=FEE_BAISA):
    return sanad_payment_record(
        actor=Actor(channel=Channel.SANAD, label="sanad-operator"),
        now=now,
        invoice_number=invoice.number,
        centre_code="SND-042",
        reference=reference,
        amount_baisa=amount,
    )


def test_an_online_payment_is_announced_once_it_has_committed(
    client, representative, live_invoice, heard, django_capture_on_commit_callbacks
):
    client.force_login(representative)
    with django_capture_on_commit_callbacks() as callbacks:
        response = pay_online(client, live_invoice.number)
    assert response.status_code == 302
    assert heard == []  # not while the payment's transaction is open

    for callback in callbacks:
        callback()

    invoice = Invoice.objects.get()
    assert heard == [
        {
            "signal": invoice_paid,
            "number": invoice.number,
            "service_code": "LC-RENEW",
            "payer_cr_number": invoice.payer_cr_number,
            "amount_baisa": FEE_BAISA,
            "paid_at": invoice.paid_at,
        }
    ]


def test_a_sanad_counter_payment_is_announced(
    invoice, now, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        at_sanad(invoice, now)
    assert [call["number"] for call in heard] == [invoice.number]


def test_money_that_is_not_applied_is_not_announced(
    invoice,
    live_invoice,
    representative,
    client,
    system_actor,
    now,
    heard,
    post_callback,
    django_capture_on_commit_callbacks,
):
    client.force_login(representative)
    with django_capture_on_commit_callbacks(execute=True):
        pay_online(client, live_invoice.number, DECLINED_CARD)  # declined by the bank
        at_sanad(invoice, now, reference="SHORT", amount=FEE_BAISA - 1)  # wrong amount
        post_callback(callback_body(None, transaction_id="SBX-X"))  # no such invoice
        at_sanad(invoice, now, reference="FIRST")  # applied: the one announcement
        at_sanad(invoice, now, reference="FIRST")  # the same payment again
        at_sanad(invoice, now, reference="SECOND")  # the invoice is already paid
    cancelled = invoice_cancel(
        actor=system_actor, now=now, invoice=live_invoice, reason="Asked twice"
    )
    with django_capture_on_commit_callbacks(execute=True):
        at_sanad(cancelled, now, reference="LATE")  # after the invoice was cancelled

    assert [call["number"] for call in heard] == [invoice.number]


def test_a_receiver_that_fails_never_fails_the_payer(
    client, representative, live_invoice, heard, caplog, django_capture_on_commit_callbacks
):
    def broken(sender, **kwargs):
        raise RuntimeError("receiver bug")

    invoice_paid.connect(broken, dispatch_uid="test-broken")
    client.force_login(representative)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = pay_online(client, live_invoice.number)
    finally:
        invoice_paid.disconnect(dispatch_uid="test-broken")

    assert response.status_code == 302 and response.url.startswith("/payments/return/")
    assert Invoice.objects.get().status == Invoice.Status.PAID
    assert len(heard) == 1  # the other receivers still hear it
    assert "receiver bug" in caplog.text
