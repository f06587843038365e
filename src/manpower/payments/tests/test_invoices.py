import datetime as dt
import itertools
import json

import pytest
from django.core.management import call_command

from manpower.core.actor import Actor, Channel
from manpower.core.errors import ReasonRequired
from manpower.core.models import AuditEvent
from manpower.documents.selectors import document_by_code
from manpower.payments import services
from manpower.payments.models import Invoice
from manpower.payments.services import (
    TRANSITIONS,
    FeeNotPositive,
    InvalidPayer,
    InvoiceStatusConflict,
    NoFee,
    fee_set,
    invoice_cancel,
    invoice_create,
    invoices,
    invoices_expire,
)
from manpower.registry.tests.factories import UserFactory

from .conftest import FEE_BAISA

pytestmark = pytest.mark.django_db


def test_invoice_bills_the_fee_in_force_and_names_the_payer(invoice, establishment, now):
    assert invoice.status == Invoice.Status.UNPAID
    assert invoice.amount_baisa == FEE_BAISA and invoice.amount_display == "OMR 201.000"
    assert (invoice.payer_name_en, invoice.payer_name_ar) == ("Al Noor Trading", "النور للتجارة")
    assert invoice.expires_at == now + dt.timedelta(days=14)
    [line] = invoice.lines.all()
    assert (line.description_ar, line.quantity, line.amount_baisa) == (
        "تجديد بطاقة العمل",
        1,
        FEE_BAISA,
    )
    assert AuditEvent.objects.filter(action="invoice.created").count() == 1


def test_invoice_for_a_person(fee, system_actor, now):
    user = UserFactory(full_name_en="Salim Al Harthy", full_name_ar="سالم الحارثي")
    invoice = invoice_create(
        actor=system_actor, now=now, service_code="LC-RENEW", payer_user=user, quantity=2
    )
    assert invoice.payer_user == user and invoice.payer_cr_number == ""
    assert invoice.amount_baisa == 2 * FEE_BAISA


def test_a_fee_change_never_alters_an_issued_invoice(invoice, system_actor, now):
    fee_set(
        actor=system_actor,
        now=now,
        service_code="LC-RENEW",
        name_en="Labour card renewal",
        name_ar="تجديد بطاقة العمل",
        amount_baisa=301_000,
        effective_from_date=now.date(),
    )
    invoice.refresh_from_db()
    assert invoice.amount_baisa == FEE_BAISA
    assert invoice.lines.get().unit_baisa == FEE_BAISA
    later = invoice_create(
        actor=system_actor,
        now=now,
        service_code="LC-RENEW",
        payer_cr_number=invoice.payer_cr_number,
    )
    assert later.amount_baisa == 301_000


def test_fee_effective_dates(fee, system_actor, now):
    fee_set(
        actor=system_actor,
        now=now,
        service_code="LC-RENEW",
        name_en="x",
        name_ar="س",
        amount_baisa=5_000,
        effective_from_date=dt.date(2027, 1, 1),
    )
    on = services.fee_effective
    assert on(service_code="LC-RENEW", on_date=dt.date(2026, 12, 31)).amount_baisa == FEE_BAISA
    assert on(service_code="LC-RENEW", on_date=dt.date(2027, 1, 1)).amount_baisa == 5_000
    with pytest.raises(NoFee):
        on(service_code="LC-RENEW", on_date=dt.date(2025, 12, 31))


def test_bad_fees_and_payers_are_refused(fee, establishment, system_actor, now):
    with pytest.raises(FeeNotPositive):
        fee_set(
            actor=system_actor,
            now=now,
            service_code="X",
            name_en="x",
            name_ar="س",
            amount_baisa=0,
            effective_from_date=now.date(),
        )
    with pytest.raises(NoFee):
        invoice_create(
            actor=system_actor,
            now=now,
            service_code="NOPE",
            payer_cr_number=establishment.cr_number,
        )
    with pytest.raises(InvalidPayer):
        invoice_create(actor=system_actor, now=now, service_code="LC-RENEW", payer_cr_number="99")
    with pytest.raises(InvalidPayer):
        invoice_create(
            actor=system_actor,
            now=now,
            service_code="LC-RENEW",
            payer_cr_number=establishment.cr_number,
            payer_user=UserFactory(),
        )
    assert not Invoice.objects.exists()


def test_cancel_needs_a_reason_and_an_unpaid_invoice(invoice, system_actor, now):
    with pytest.raises(ReasonRequired):
        invoice_cancel(actor=system_actor, now=now, invoice=invoice, reason="")
    invoice_cancel(actor=system_actor, now=now, invoice=invoice, reason="requested by payer")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.closed_at) == (Invoice.Status.CANCELLED, now)
    with pytest.raises(InvoiceStatusConflict):
        invoice_cancel(actor=system_actor, now=now, invoice=invoice, reason="again")


def test_expiry_touches_only_unpaid_invoices_past_their_date(invoice, system_actor, now):
    assert invoices_expire(actor=system_actor, now=invoice.expires_at - dt.timedelta(1)) == 0
    assert invoices_expire(actor=system_actor, now=invoice.expires_at) == 1
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.EXPIRED
    assert invoices_expire(actor=system_actor, now=invoice.expires_at) == 0


def test_expire_command(fee, establishment, system_actor, now, capsys):
    invoice_create(
        actor=system_actor,
        now=now - dt.timedelta(days=30),
        service_code="LC-RENEW",
        payer_cr_number=establishment.cr_number,
    )
    call_command("expire_invoices")
    assert "1 invoice(s) expired." in capsys.readouterr().out
    assert Invoice.objects.get().status == Invoice.Status.EXPIRED


@pytest.mark.parametrize(("source", "target"), list(itertools.product(Invoice.Status, repeat=2)))
def test_only_the_transitions_in_the_table_are_allowed(invoice, source, target, now):
    Invoice.objects.filter(pk=invoice.pk).update(
        status=source,
        paid_at=now if source in ("PAID", "PARTIALLY_REFUNDED", "REFUNDED") else None,
    )
    invoice.refresh_from_db()
    paid_at = now if target in ("PAID", "PARTIALLY_REFUNDED", "REFUNDED") else None
    if target in TRANSITIONS[source]:
        invoices._transition(invoice, target, paid_at=paid_at)
        assert invoice.status == target
    else:
        with pytest.raises(InvoiceStatusConflict):
            invoices._transition(invoice, target, paid_at=paid_at)
        invoice.refresh_from_db()
        assert invoice.status == source


def test_one_invoice_bills_several_fees_a_line_each_and_its_receipt_lists_them(
    fee, establishment, system_actor, now
):
    fee_set(
        actor=system_actor,
        now=now,
        service_code="DEPARTURE",
        name_en="Departure form",
        name_ar="استمارة المغادرة",
        amount_baisa=5_000,
        effective_from_date=dt.date(2026, 1, 1),
    )
    invoice = services.invoice_create_lines(
        actor=system_actor,
        now=now,
        lines=[("LC-RENEW", 2), ("DEPARTURE", 3)],
        payer_cr_number=establishment.cr_number,
    )
    assert invoice.amount_baisa == 2 * FEE_BAISA + 3 * 5_000
    assert invoice.service_code == "LC-RENEW"  # the first line's, as signals and filters read
    assert [(ln.description_en, ln.quantity, ln.amount_baisa) for ln in invoice.lines.all()] == [
        ("Labour card renewal", 2, 2 * FEE_BAISA),
        ("Departure form", 3, 15_000),
    ]
    services.sanad_payment_record(
        actor=Actor(channel=Channel.SANAD, label="sanad-operator"),
        now=now,
        invoice_number=invoice.number,
        centre_code="SND-042",
        reference="R-1",
        amount_baisa=invoice.amount_baisa,
    )
    invoice.refresh_from_db()
    fields = {
        f["key"]: f["value"]
        for f in json.loads(document_by_code(invoice.receipt_code).payload)["fields"]
    }
    assert fields["service"] == {"en": "Labour card renewal × 2", "ar": "تجديد بطاقة العمل × 2"}
    assert fields["service_2"] == {"en": "Departure form × 3", "ar": "استمارة المغادرة × 3"}


def test_an_unknown_fee_among_the_lines_bills_nothing(fee, establishment, system_actor, now):
    with pytest.raises(NoFee):
        services.invoice_create_lines(
            actor=system_actor,
            now=now,
            lines=[("LC-RENEW", 1), ("NO-SUCH-FEE", 1)],
            payer_cr_number=establishment.cr_number,
        )
    assert not Invoice.objects.exists()
