"""Staff screens: every change goes through a service (checked and audited), a fee is never
edited, invoices and payments are read-only except through their actions."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from manpower.accounts.models import Role
from manpower.core.models import AuditEvent
from manpower.payments.models import Fee, Invoice, Payment, SettlementReport
from manpower.registry.tests.factories import UserFactory

from .conftest import FEE_BAISA
from .test_sanad_and_refunds import at_sanad

pytestmark = pytest.mark.django_db

INVOICES = "/admin/payments/invoice/"
PAYMENTS = "/admin/payments/payment/"


def staff(client, role=Role.ADMINISTRATOR):
    client.force_login(UserFactory(role=role, is_staff=True, is_superuser=True, language="en"))
    return client


@pytest.fixture
def admin_client(client):
    return staff(client)


def today():
    return timezone.now().astimezone(dt.UTC).date()


def new_fee(admin_client, **changes):
    data = {
        "service_code": "DEPARTURE_FORM",
        "name_en": "Departure form",
        "name_ar": "استمارة المغادرة",
        "amount_baisa": "7000",
        "effective_from_date": (today() + dt.timedelta(days=30)).isoformat(),
        **changes,
    }
    return admin_client.post("/admin/payments/fee/add/", data)


def test_staff_add_a_fee_from_a_later_date_through_the_service(admin_client):
    response = new_fee(admin_client)
    assert response.status_code == 302
    fee = Fee.objects.get(service_code="DEPARTURE_FORM", amount_baisa=7000)
    assert AuditEvent.objects.filter(action="fee.set", object_id=str(fee.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount_baisa": "0"}, "more than zero"),
        ({"effective_from_date": "2016-01-01"}, "cannot start in the past"),
    ],
)
def test_a_fee_of_nothing_or_back_dated_is_refused(admin_client, changes, message):
    before = Fee.objects.count()
    response = new_fee(admin_client, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Fee.objects.count() == before


def test_a_fee_already_in_the_schedule_cannot_be_edited_or_deleted(admin_client):
    fee = Fee.objects.get(service_code="DEPARTURE_FORM")
    page = admin_client.get(f"/admin/payments/fee/{fee.pk}/change/")
    assert page.status_code == 200 and 'name="amount_baisa"' not in page.content.decode()
    admin_client.post(f"/admin/payments/fee/{fee.pk}/change/", {"amount_baisa": "1"})
    assert admin_client.post(f"/admin/payments/fee/{fee.pk}/delete/").status_code == 403
    fee.refresh_from_db()
    assert fee.amount_baisa == 5_000


def test_invoices_are_read_only(admin_client, live_invoice):
    page = admin_client.get(f"{INVOICES}{live_invoice.pk}/change/")
    assert page.status_code == 200
    assert live_invoice.number in page.content.decode()
    assert admin_client.get(f"{INVOICES}add/").status_code == 403


def test_cancel_action_asks_for_a_reason_then_cancels(admin_client, live_invoice):
    chosen = {"action": "cancel", "_selected_action": [live_invoice.pk]}
    asked = admin_client.post(INVOICES, chosen)
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()

    done = admin_client.post(INVOICES, {**chosen, "apply": "1", "reason": "Requested twice"})

    assert done.status_code == 302
    live_invoice.refresh_from_db()
    assert (live_invoice.status, live_invoice.status_reason) == ("CANCELLED", "Requested twice")


def test_refund_action_gives_back_all_that_is_left_or_the_amount_given(admin_client, live_invoice):
    at_sanad(live_invoice, timezone.now())
    chosen = {"action": "refund", "_selected_action": [live_invoice.pk], "apply": "1"}

    admin_client.post(INVOICES, {**chosen, "reason": "Overcharged", "amount_omr": "1.500"})
    live_invoice.refresh_from_db()
    assert (live_invoice.status, live_invoice.refunded_baisa) == ("PARTIALLY_REFUNDED", 1_500)

    admin_client.post(INVOICES, {**chosen, "reason": "Service not delivered"})
    live_invoice.refresh_from_db()
    assert (live_invoice.status, live_invoice.refunded_baisa) == ("REFUNDED", FEE_BAISA)


def test_a_refused_action_says_why_and_changes_nothing(client, live_invoice):
    inspector = staff(client, role=Role.INSPECTOR)
    at_sanad(live_invoice, timezone.now())
    response = inspector.post(
        INVOICES,
        {"action": "refund", "_selected_action": [live_invoice.pk], "apply": "1", "reason": "x"},
        follow=True,
    )
    assert "Only a ministry officer can refund" in response.content.decode()
    live_invoice.refresh_from_db()
    assert live_invoice.status == Invoice.Status.PAID


def test_settle_refund_action_on_the_refund_queue(admin_client, live_invoice):
    due = at_sanad(live_invoice, timezone.now(), amount=FEE_BAISA + 1).payment
    queue = admin_client.get(PAYMENTS, {"refund": "due"})
    assert due.transaction_id in queue.content.decode()

    admin_client.post(
        PAYMENTS,
        {
            "action": "settle_refund",
            "_selected_action": [due.pk],
            "apply": "1",
            "reason": "Returned in cash at SND-042",
        },
    )

    due.refresh_from_db()
    assert due.refund_settled_at is not None
    assert due.transaction_id not in admin_client.get(PAYMENTS, {"refund": "due"}).content.decode()
    assert Payment.objects.filter(refund_settled_at__isnull=False).count() == 1


def test_settlement_file_is_imported_from_the_add_page(admin_client):
    csv = (
        "transaction_id,invoice_number,amount_omr,settled_at\n"
        "SBX-UNKNOWN,INV-X,1.000,2026-11-30T00:00:00+00:00\n"
    )
    form = admin_client.get("/admin/payments/settlementreport/add/")
    assert form.status_code == 200 and 'name="file"' in form.content.decode()

    response = admin_client.post(
        "/admin/payments/settlementreport/add/",
        {
            "gateway": "sandbox",
            "settlement_date": "2026-11-29",
            "file": SimpleUploadedFile("settlement.csv", csv.encode()),
        },
    )

    report = SettlementReport.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/{report.pk}/change/")
    assert (report.matched, report.missing_ours) == (0, ["SBX-UNKNOWN"])
    assert AuditEvent.objects.filter(action="settlement.imported").exists()


def test_a_settlement_file_with_wrong_columns_is_refused_on_the_page(admin_client):
    response = admin_client.post(
        "/admin/payments/settlementreport/add/",
        {
            "gateway": "sandbox",
            "settlement_date": "2026-11-29",
            "file": SimpleUploadedFile("settlement.csv", b"id,amount\n1,2\n"),
        },
    )
    assert response.status_code == 200
    assert "must have the columns" in response.content.decode()
    assert not SettlementReport.objects.exists()
