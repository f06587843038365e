import pytest

from manpower.core.actor import Actor, Channel
from manpower.core.errors import ReasonRequired
from manpower.core.models import AuditEvent
from manpower.documents.selectors import document_by_code
from manpower.payments import gateways
from manpower.payments.models import Invoice, Payment, Refund
from manpower.payments.services import (
    InvoiceStatusConflict,
    RefundNotAllowed,
    RefundTooLarge,
    SanadOnly,
    gateway_callback_receive,
    invoice_refund,
    sanad_payment_record,
)
from manpower.registry.tests.factories import UserFactory

from .conftest import FEE_BAISA, callback_body

pytestmark = pytest.mark.django_db

centre = Actor(channel=Channel.SANAD, label="sanad-operator")


def at_sanad(invoice, now, reference="R-1", amount=FEE_BAISA):
    return sanad_payment_record(
        actor=centre,
        now=now,
        invoice_number=invoice.number,
        centre_code="SND-042",
        reference=reference,
        amount_baisa=amount,
    )


def test_sanad_counter_payment_pays_the_same_invoice_and_issues_a_receipt(invoice, now):
    result = at_sanad(invoice, now)
    assert not result.duplicate
    assert (result.payment.method, result.payment.sanad_centre_code) == ("SANAD", "SND-042")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    receipt = document_by_code(invoice.receipt_code)
    assert "SND-042:R-1" in receipt.payload


def test_sanad_repeat_of_the_same_counter_reference_is_not_counted_twice(invoice, now):
    first = at_sanad(invoice, now)
    again = at_sanad(invoice, now)
    assert again.duplicate and again.payment == first.payment
    assert Payment.objects.count() == 1


def test_only_a_sanad_channel_records_counter_payments(invoice, system_actor, now):
    with pytest.raises(SanadOnly):
        sanad_payment_record(
            actor=system_actor,
            now=now,
            invoice_number=invoice.number,
            centre_code="SND-042",
            reference="R-1",
            amount_baisa=FEE_BAISA,
        )
    assert not Payment.objects.exists()


def test_online_payment_after_a_sanad_payment_is_flagged_for_refund(session, now):
    at_sanad(session.invoice, now)
    body = callback_body(session)
    answer = gateway_callback_receive(
        actor=centre,
        now=now,
        gateway="sandbox",
        body=body,
        signature=gateways.gateway("sandbox").sign(body),
    )
    assert answer.result == "ALREADY_PAID"
    assert Payment.objects.filter(outcome="APPLIED").count() == 1
    assert Payment.objects.get(channel="sandbox").refund_due


@pytest.fixture
def paid(invoice, now):
    at_sanad(invoice, now)
    invoice.refresh_from_db()
    return invoice


def staff(user):
    return Actor.for_user(user, channel=Channel.STAFF)


def test_officer_refunds_in_part_then_in_full(paid, officer, now):
    invoice_refund(
        actor=staff(officer), now=now, invoice=paid, amount_baisa=1_000, reason="overcharged"
    )
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_baisa) == (Invoice.Status.PARTIALLY_REFUNDED, 1_000)
    invoice_refund(
        actor=staff(officer),
        now=now,
        invoice=paid,
        amount_baisa=FEE_BAISA - 1_000,
        reason="service withdrawn",
    )
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_baisa) == (Invoice.Status.REFUNDED, FEE_BAISA)
    assert Refund.objects.count() == 2
    assert AuditEvent.objects.filter(action="invoice.refunded").count() == 2


def test_refund_is_bounded_by_what_was_paid(paid, officer, now):
    for amount in (0, FEE_BAISA + 1):
        with pytest.raises(RefundTooLarge):
            invoice_refund(
                actor=staff(officer), now=now, invoice=paid, amount_baisa=amount, reason="x"
            )
    assert not Refund.objects.exists()


def test_refund_needs_staff_and_a_reason(paid, representative, now):
    with pytest.raises(RefundNotAllowed):
        invoice_refund(
            actor=Actor.for_user(representative), now=now, invoice=paid, amount_baisa=1, reason="x"
        )
    inspector = UserFactory(role="INSPECTOR")
    with pytest.raises(RefundNotAllowed):
        invoice_refund(actor=staff(inspector), now=now, invoice=paid, amount_baisa=1, reason="x")
    with pytest.raises(ReasonRequired):
        invoice_refund(
            actor=staff(UserFactory(role="ADMINISTRATOR")),
            now=now,
            invoice=paid,
            amount_baisa=1,
            reason=" ",
        )
    assert Invoice.objects.get().status == Invoice.Status.PAID


def test_an_unpaid_invoice_cannot_be_refunded(invoice, officer, now):
    with pytest.raises(InvoiceStatusConflict):
        invoice_refund(actor=staff(officer), now=now, invoice=invoice, amount_baisa=1, reason="x")
