import datetime as dt
import itertools
import json

import pytest
from django.urls import reverse

from manpower.core.actor import Actor
from manpower.core.models import AuditEvent
from manpower.documents.selectors import document_by_code
from manpower.payments import gateways
from manpower.payments.models import GatewayCallback, Invoice, Payment, PaymentSession
from manpower.payments.services import (
    SESSION_TRANSITIONS,
    InvoiceNotPayable,
    SessionClosed,
    gateway_callback_receive,
    invoice_cancel,
    invoices_expire,
    payment_session_start,
    received,
)

from .conftest import FEE_BAISA, callback_body

pytestmark = pytest.mark.django_db
sandbox = Actor.system("sandbox")


def receive(body, now, signature=None):
    signature = gateways.gateway("sandbox").sign(body) if signature is None else signature
    return gateway_callback_receive(
        actor=sandbox, now=now, gateway="sandbox", body=body, signature=signature
    )


def test_a_signed_success_callback_pays_the_invoice_and_issues_the_receipt(session, post_callback):
    response = post_callback(callback_body(session))
    assert response.status_code == 200
    assert response.json() == {"result": "APPLIED", "duplicate": False}
    invoice = Invoice.objects.get(pk=session.invoice.pk)
    assert invoice.status == Invoice.Status.PAID and invoice.paid_at is not None
    payment = Payment.objects.get()
    assert (payment.outcome, payment.refund_due, payment.amount_baisa) == (
        "APPLIED",
        False,
        FEE_BAISA,
    )
    receipt = document_by_code(invoice.receipt_code)
    assert (receipt.kind, receipt.subject_ref, receipt.status) == (
        "RECEIPT",
        invoice.number,
        "VALID",
    )
    fields = {f["key"]: f["value"] for f in json.loads(receipt.payload)["fields"]}
    assert fields["amount"] == {"en": "OMR 201.000", "ar": "OMR 201.000"}
    assert fields["payer"] == {"en": "Al Noor Trading", "ar": "النور للتجارة"}
    assert fields["reference"]["en"] == "SBX-1"
    assert PaymentSession.objects.get().status == "SUCCEEDED"


def test_duplicate_callbacks_credit_once_and_repeat_the_first_answer(session, post_callback):
    body = callback_body(session)
    first = post_callback(body)
    second = post_callback(body)
    assert second.status_code == 200
    assert second.json() == {"result": first.json()["result"], "duplicate": True}
    assert Payment.objects.count() == 1
    assert Invoice.objects.get().receipt_code
    assert GatewayCallback.objects.filter(result="DUPLICATE:APPLIED").count() == 1


def test_forged_signature_changes_nothing_but_is_logged(session, post_callback):
    response = post_callback(callback_body(session), signature="0" * 64)
    assert response.status_code == 403
    assert response.json()["result"] == "FORGED"
    assert not Payment.objects.exists()
    assert Invoice.objects.get().status == Invoice.Status.UNPAID
    log = GatewayCallback.objects.get()
    assert (log.signature_valid, log.result) == (False, "FORGED")


def test_a_callback_signed_with_another_secret_is_forged(session, post_callback, monkeypatch):
    body = callback_body(session)
    monkeypatch.setenv(gateways.SANDBOX_SECRET_ENV, "someone-else")
    signature = gateways.gateway("sandbox").sign(body)
    monkeypatch.setenv(gateways.SANDBOX_SECRET_ENV, "test-sandbox-secret")
    assert post_callback(body, signature=signature).status_code == 403
    assert not Payment.objects.exists()


def test_malformed_but_signed_body_is_refused(session, post_callback):
    assert post_callback(b'{"status": "SUCCEEDED"}').status_code == 400
    assert not Payment.objects.exists()


def test_late_callback_after_expiry_is_recorded_and_flagged_for_refund(session, system_actor):
    invoices_expire(actor=system_actor, now=session.invoice.expires_at)
    answer = receive(callback_body(session), session.invoice.expires_at + dt.timedelta(hours=1))
    assert (answer.result, answer.http_status) == ("LATE", 200)
    payment = Payment.objects.get()
    assert payment.refund_due and payment.invoice == session.invoice
    assert Invoice.objects.get().status == Invoice.Status.EXPIRED
    assert not Invoice.objects.get().receipt_code


def test_callback_past_the_deadline_before_the_expiry_job_ran_is_late(session):
    answer = receive(callback_body(session), session.invoice.expires_at)
    assert answer.result == "LATE"
    assert Invoice.objects.get().status == Invoice.Status.UNPAID


def test_callback_for_a_cancelled_invoice_is_late(session, system_actor, now):
    invoice_cancel(actor=system_actor, now=now, invoice=session.invoice, reason="duplicate")
    assert receive(callback_body(session), now).result == "LATE"
    assert Payment.objects.get().refund_due


def test_unknown_invoice_is_recorded_for_refund(db, now):
    answer = receive(callback_body(None, transaction_id="SBX-X"), now)
    assert (answer.result, answer.http_status) == ("UNKNOWN_INVOICE", 200)
    payment = Payment.objects.get()
    assert (payment.invoice, payment.invoice_number, payment.refund_due) == (None, "INV-NOPE", True)


def test_second_payment_of_a_paid_invoice_is_flagged_not_credited(session, system_actor, now):
    receive(callback_body(session, transaction_id="SBX-1"), now)
    answer = receive(callback_body(session, transaction_id="SBX-2"), now)
    assert answer.result == "ALREADY_PAID"
    assert Payment.objects.filter(outcome="APPLIED").count() == 1
    assert Payment.objects.get(transaction_id="SBX-2").refund_due


def test_amount_mismatch_leaves_the_invoice_unpaid(session, now):
    answer = receive(callback_body(session, amount=FEE_BAISA - 1), now)
    assert answer.result == "AMOUNT_MISMATCH"
    assert Invoice.objects.get().status == Invoice.Status.UNPAID
    assert Payment.objects.get().refund_due


def test_declined_callback_closes_the_session_and_records_no_payment(session, now):
    assert receive(callback_body(session, status="FAILED"), now).result == "DECLINED"
    assert PaymentSession.objects.get().status == "FAILED"
    assert not Payment.objects.exists()


def test_a_paid_session_is_not_declined_afterwards(session, now):
    receive(callback_body(session), now)
    assert receive(callback_body(session, status="FAILED"), now).result == "DECLINED"
    assert PaymentSession.objects.get().status == PaymentSession.Status.SUCCEEDED
    assert AuditEvent.objects.filter(action="payment_session.failed").count() == 0


@pytest.mark.parametrize(
    ("source", "target"), list(itertools.product(PaymentSession.Status, repeat=2))
)
def test_a_session_moves_only_along_its_table(session, system_actor, now, source, target):
    PaymentSession.objects.filter(pk=session.pk).update(status=source)
    session.refresh_from_db()
    if target in SESSION_TRANSITIONS[source]:
        received._session_close(actor=system_actor, now=now, session=session, to=target)
        assert PaymentSession.objects.get().status == target
        assert AuditEvent.objects.get(action=f"payment_session.{target.lower()}")
        return
    with pytest.raises(SessionClosed) as refused:
        received._session_close(actor=system_actor, now=now, session=session, to=target)
    text = refused.value.bilingual()
    assert refused.value.status == 409
    assert "Payment session" in text["en"] and "cannot change that way" in text["en"]
    assert "جلسة الدفع" in text["ar"] and "لا يمكن تغييرها" in text["ar"]
    assert PaymentSession.objects.get().status == source


def test_an_expired_or_paid_invoice_cannot_start_a_payment(session, system_actor, now):
    with pytest.raises(InvoiceNotPayable):
        payment_session_start(
            actor=system_actor, now=session.invoice.expires_at, invoice=session.invoice
        )
    receive(callback_body(session), now)
    with pytest.raises(InvoiceNotPayable):
        payment_session_start(actor=system_actor, now=now, invoice=Invoice.objects.get())


def test_callback_endpoint_accepts_only_post(client, db):
    assert client.get(reverse("payments:sandbox-callback")).status_code == 405
