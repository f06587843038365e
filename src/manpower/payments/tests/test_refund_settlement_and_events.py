"""Money that could not be applied goes back on an officer's word, once; paid and refunded
invoices are announced to subscribed agencies through the integration outbox."""

import pytest
from django.apps import apps

from manpower.core.actor import Actor
from manpower.core.errors import ReasonRequired
from manpower.core.models import AuditEvent
from manpower.payments.models import Payment
from manpower.payments.services import (
    NoRefundDue,
    RefundAlreadySettled,
    RefundNotAllowed,
    invoice_refund,
    payment_refund_settle,
    sanad_payment_record,
)

from .conftest import FEE_BAISA
from .test_sanad_and_refunds import at_sanad

pytestmark = pytest.mark.django_db

# Read by name: the payments app never imports the integration app's models.
OutboxEvent = apps.get_model("integration", "OutboxEvent")


@pytest.fixture
def wrong_amount(invoice, now):
    """A counter payment of the wrong amount: recorded, not applied, due back."""
    return at_sanad(invoice, now, reference="R-9", amount=FEE_BAISA - 1).payment


def settle(officer, payment, now, reason="Returned by bank transfer 7781"):
    return payment_refund_settle(
        actor=Actor.for_user(officer), now=now, payment=payment, reason=reason
    )


def test_an_officer_settles_a_payment_due_back_with_a_reason(wrong_amount, officer, now):
    settled = settle(officer, wrong_amount, now)

    assert settled.refund_settled_at == now
    assert (settled.refund_settled_by_user_id, settled.refund_reason) == (
        officer.pk,
        "Returned by bank transfer 7781",
    )
    assert settled.refund_due  # the history keeps why the money went back
    event = AuditEvent.objects.get(action="payment.refund_settled")
    assert event.changes["outcome"] == Payment.Outcome.AMOUNT_MISMATCH


def test_a_refund_is_settled_only_once(wrong_amount, officer, now):
    settle(officer, wrong_amount, now)
    stale = Payment.objects.get(pk=wrong_amount.pk)
    stale.refund_settled_at = None  # a second screen opened before the first settled it

    with pytest.raises(RefundAlreadySettled):
        settle(officer, stale, now)
    assert AuditEvent.objects.filter(action="payment.refund_settled").count() == 1


def test_an_applied_payment_has_nothing_to_give_back(invoice, officer, now):
    applied = at_sanad(invoice, now).payment
    with pytest.raises(NoRefundDue):
        settle(officer, applied, now)
    applied.refresh_from_db()
    assert applied.refund_settled_at is None


def test_only_ministry_officers_settle_refunds(wrong_amount, representative, now, system_actor):
    for actor in (Actor.for_user(representative), system_actor):
        with pytest.raises(RefundNotAllowed):
            payment_refund_settle(actor=actor, now=now, payment=wrong_amount, reason="x")
    wrong_amount.refresh_from_db()
    assert wrong_amount.refund_settled_at is None


def test_settling_needs_a_reason(wrong_amount, officer, now):
    with pytest.raises(ReasonRequired):
        settle(officer, wrong_amount, now, reason="  ")


def test_paid_and_refunded_invoices_are_published_to_the_outbox(invoice, officer, now):
    at_sanad(invoice, now)
    invoice.refresh_from_db()
    invoice_refund(
        actor=Actor.for_user(officer),
        now=now,
        invoice=invoice,
        amount_baisa=1_000,
        reason="Overcharged",
    )

    paid, refunded = OutboxEvent.objects.filter(subject=f"invoice:{invoice.number}").order_by("id")
    assert paid.event_type == "invoice.paid"
    assert paid.payload["status"] == "PAID"
    assert paid.payload["amount_baisa"] == FEE_BAISA
    assert paid.payload["receipt_number"] == invoice.receipt_code
    assert paid.payload["cr_number"] == invoice.payer_cr_number
    assert paid.payload["invoice_number"] == invoice.number
    assert refunded.event_type == "invoice.refunded"
    assert (refunded.payload["status"], refunded.payload["refund_baisa"]) == (
        "PARTIALLY_REFUNDED",
        1_000,
    )


def test_a_payment_that_is_not_applied_publishes_nothing(wrong_amount):
    assert not OutboxEvent.objects.exists()


def test_a_repeated_counter_payment_publishes_once(invoice, now):
    for _ in range(2):
        sanad_payment_record(
            actor=Actor(channel="SANAD", label="sanad"),
            now=now,
            invoice_number=invoice.number,
            centre_code="SND-1",
            reference="R-1",
            amount_baisa=FEE_BAISA,
        )
    assert OutboxEvent.objects.filter(event_type="invoice.paid").count() == 1
