"""Concurrent deliveries on a real server database: nothing twice, nothing lost."""

import threading

import pytest
from django.db import connection

from manpower.core.actor import Actor
from manpower.core.models import AuditEvent
from manpower.payments import gateways
from manpower.payments.models import Invoice, Payment, PaymentSession
from manpower.payments.services import gateway_callback_receive

from .conftest import callback_body

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def deliver_together(bodies, now):
    answers, barrier = [], threading.Barrier(len(bodies))

    def deliver(body):
        try:
            barrier.wait()
            answers.append(
                gateway_callback_receive(
                    actor=Actor.system("sandbox"),
                    now=now,
                    gateway="sandbox",
                    body=body,
                    signature=gateways.gateway("sandbox").sign(body),
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_the_same_callback_delivered_concurrently_credits_once(session, now):
    answers = deliver_together([callback_body(session)] * 4, now)
    assert sorted(a.duplicate for a in answers) == [False, True, True, True]
    assert {a.result for a in answers} == {"APPLIED"}
    assert Payment.objects.count() == 1
    assert Invoice.objects.get().status == Invoice.Status.PAID


def test_two_different_payments_racing_for_one_invoice_apply_only_one(session, now):
    bodies = [callback_body(session, transaction_id=f"SBX-{n}") for n in range(3)]
    answers = deliver_together(bodies, now)
    assert sorted(a.result for a in answers) == ["ALREADY_PAID", "ALREADY_PAID", "APPLIED"]
    assert Payment.objects.filter(outcome="APPLIED").count() == 1
    assert Payment.objects.filter(refund_due=True).count() == 2
    assert PaymentSession.objects.get().status == PaymentSession.Status.SUCCEEDED
    assert AuditEvent.objects.filter(action="payment_session.succeeded").count() == 1
