"""Fixtures of the licensing tests: agencies and a police key, the partner simulators, licences."""

from __future__ import annotations

import importlib
import threading

import pytest
from django.apps import apps as django_apps

from manpower.core.actor import Actor, Channel
from manpower.core.models import Occupation
from manpower.integration import services as integration
from manpower.integration.simulator import make_server
from manpower.payments import selectors as payments_selectors
from manpower.payments import services as payments
from manpower.registry.tests.factories import (
    reference,
)


@pytest.fixture(autouse=True)
def seeded_agencies(request):
    """The agencies of integration's migration 0002, also after a transactional test's flush."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    importlib.import_module("manpower.integration.migrations.0002_seed_agencies").seed(
        django_apps, None
    )


@pytest.fixture
def police_key(system_actor, now):
    """A key of the Royal Oman Police with the `police` scope."""
    _credential, key = integration.partner_key_create(
        actor=system_actor, agency=integration.agency_by_code("rop"), scopes=["police"], now=now
    )
    return key


@pytest.fixture
def simulator(settings):
    """The partner simulators on a free port, with the adapters pointed at them."""
    server = make_server(port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.INTEGRATION_SIMULATOR_URL = f"http://127.0.0.1:{server.server_port}"
    settings.INTEGRATION_ADAPTER_TIMEOUT_SECONDS = 0.5
    settings.INTEGRATION_ADAPTER_RETRIES = 0
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def seeded_fees(request, seeded_agencies):
    """The fee schedule of payments' migrations 0002 and 0005, also after a transactional
    test's flush."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        for migration in ("0002_seed_fee_schedule", "0005_seed_licence_fee_categories"):
            importlib.import_module(f"manpower.payments.migrations.{migration}").seed(
                django_apps, None
            )


def domestic_cleaner():
    major = reference(
        Occupation, "9", level=1, name_en="Elementary occupations", name_ar="المهن الأولية"
    )
    sub = reference(
        Occupation,
        "91",
        level=2,
        parent=major,
        name_en="Cleaners and helpers",
        name_ar="عمال النظافة والمساعدون",
    )
    minor = reference(
        Occupation,
        "911",
        level=3,
        parent=sub,
        name_en="Domestic, hotel and office cleaners and helpers",
        name_ar="عمال النظافة والمساعدون في المنازل والفنادق والمكاتب",
    )
    return reference(
        Occupation,
        "9111",
        level=4,
        parent=minor,
        name_en="Domestic cleaners and helpers",
        name_ar="عمال النظافة والمساعدون في المنازل",
    )


def receptionist():
    major = reference(
        Occupation,
        "4",
        level=1,
        name_en="Clerical support workers",
        name_ar="العاملون في الدعم المكتبي",
    )
    sub = reference(
        Occupation,
        "42",
        level=2,
        parent=major,
        name_en="Customer services clerks",
        name_ar="كتبة خدمة العملاء",
    )
    minor = reference(
        Occupation,
        "422",
        level=3,
        parent=sub,
        name_en="Client information workers",
        name_ar="العاملون في معلومات العملاء",
    )
    return reference(
        Occupation,
        "4226",
        level=4,
        parent=minor,
        name_en="Receptionists (general)",
        name_ar="موظفو الاستقبال",
    )


def pay(application, now) -> None:
    """Pay an application's invoice in full at a Sanad counter."""
    invoice = payments_selectors.invoice_for_payer(
        user=application.applicant, number=application.invoice_number
    )
    payments.sanad_payment_record(
        actor=Actor(channel=Channel.SANAD, label="centre"),
        now=now,
        invoice_number=invoice.number,
        centre_code="SC-001",
        reference=invoice.number,
        amount_baisa=invoice.amount_baisa,
    )
