import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from manpower.accounts.models import Role
from manpower.payments import gateways
from manpower.payments.services import fee_set, invoice_create, payment_session_start
from manpower.registry.tests.factories import (
    EstablishmentFactory,
    RepresentationFactory,
    UserFactory,
)

FEE_BAISA = 201_000


@pytest.fixture
def fee(db, system_actor, now):
    return fee_set(
        actor=system_actor,
        now=now,
        service_code="LC-RENEW",
        name_en="Labour card renewal",
        name_ar="تجديد بطاقة العمل",
        amount_baisa=FEE_BAISA,
        effective_from_date=dt.date(2026, 1, 1),
    )


@pytest.fixture
def establishment(db):
    return EstablishmentFactory(name_en="Al Noor Trading", name_ar="النور للتجارة")


@pytest.fixture
def representative(establishment, now):
    user = UserFactory(role=Role.ESTABLISHMENT_REP)
    RepresentationFactory(user=user, establishment=establishment)
    return user


@pytest.fixture
def officer(db):
    return UserFactory(role=Role.OFFICER, department="LICENSING")


@pytest.fixture
def invoice(fee, establishment, system_actor, now):
    return invoice_create(
        actor=system_actor,
        now=now,
        service_code="LC-RENEW",
        payer_cr_number=establishment.cr_number,
    )


@pytest.fixture
def live_invoice(fee, establishment, system_actor):
    """An invoice created now, for pages that read the real clock."""
    return invoice_create(
        actor=system_actor,
        now=timezone.now(),
        service_code="LC-RENEW",
        payer_cr_number=establishment.cr_number,
    )


@pytest.fixture
def session(invoice, system_actor, now):
    return payment_session_start(actor=system_actor, now=now, invoice=invoice)


def callback_body(session, *, transaction_id="SBX-1", amount=None, status="SUCCEEDED", **extra):
    return json.dumps(
        {
            "transaction_id": transaction_id,
            "session": session.token if session else "no-such-session",
            "invoice": session.invoice.number if session else "INV-NOPE",
            "amount_baisa": FEE_BAISA if amount is None else amount,
            "status": status,
            **extra,
        }
    ).encode()


@pytest.fixture
def post_callback(client):
    def post(body: bytes, signature: str | None = None):
        return client.post(
            reverse("payments:sandbox-callback"),
            data=body,
            content_type="application/json",
            headers={
                gateways.SIGNATURE_HEADER: signature
                if signature is not None
                else gateways.gateway(gateways.SANDBOX).sign(body)
            },
        )

    return post
