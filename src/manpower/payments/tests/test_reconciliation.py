import datetime as dt

import pytest
from django.core.management import call_command

from manpower.core.actor import Actor
from manpower.payments.models import SettlementReport
from manpower.payments.selectors import sandbox_settlement_csv
from manpower.payments.services import (
    BadSettlementFile,
    gateway_callback_receive,
    invoice_create,
    payment_session_start,
    sandbox_charge,
    settlement_import,
)

pytestmark = pytest.mark.django_db
HEADER = "transaction_id,invoice_number,amount_omr,settled_at\n"


@pytest.fixture
def two_paid(fee, establishment, system_actor, now):
    """Two invoices paid through the sandbox's own card page and callback."""
    charges = []
    for _ in range(2):
        invoice = invoice_create(
            actor=system_actor,
            now=now,
            service_code="LC-RENEW",
            payer_cr_number=establishment.cr_number,
        )
        session = payment_session_start(actor=system_actor, now=now, invoice=invoice)
        charge, callback = sandbox_charge(now=now, session=session, card_number="4111111111111111")
        gateway_callback_receive(
            actor=Actor.system("sandbox"),
            now=now,
            gateway="sandbox",
            body=callback.body,
            signature=callback.signature,
        )
        charges.append(charge)
    return charges


def test_the_sandbox_settlement_matches_every_payment(two_paid, system_actor, now):
    csv_text = sandbox_settlement_csv(settlement_date=now.date())
    assert csv_text.startswith(HEADER) and "201.000" in csv_text
    report = settlement_import(
        actor=system_actor,
        now=now,
        gateway="sandbox",
        settlement_date=now.date(),
        csv_text=csv_text,
    )
    assert (report.matched, report.missing_ours, report.missing_gateway) == (2, [], [])
    assert report.amount_mismatches == []


def test_report_lists_missing_on_each_side_and_amount_mismatches(two_paid, system_actor, now):
    first, second = two_paid
    csv_text = (
        HEADER
        + f"{first.transaction_id},{first.invoice_number},201.000,{now.isoformat()}\n"
        + "SBX-STRANGER,INV-X,5.000,2026-11-29T08:00:00+00:00\n"
    )
    report = settlement_import(
        actor=system_actor,
        now=now,
        gateway="sandbox",
        settlement_date=now.date(),
        csv_text=csv_text,
    )
    assert report.matched == 1
    assert report.missing_ours == ["SBX-STRANGER"]
    assert report.missing_gateway == [second.transaction_id]

    mismatched = HEADER + f"{second.transaction_id},{second.invoice_number},200.500,x\n"
    report = settlement_import(
        actor=system_actor,
        now=now,
        gateway="sandbox",
        settlement_date=now.date(),
        csv_text=mismatched,
    )
    assert report.amount_mismatches == [
        {"transaction_id": second.transaction_id, "ours": 201_000, "gateway": 200_500}
    ]
    assert report.missing_gateway == [first.transaction_id]


def test_importing_the_same_file_twice_returns_the_first_report(two_paid, system_actor, now):
    csv_text = sandbox_settlement_csv(settlement_date=now.date())
    kwargs = dict(actor=system_actor, gateway="sandbox", settlement_date=now.date())
    first = settlement_import(now=now, csv_text=csv_text, **kwargs)
    again = settlement_import(now=now + dt.timedelta(hours=1), csv_text=csv_text, **kwargs)
    assert again == first and SettlementReport.objects.count() == 1


def test_a_bad_settlement_file_is_refused(db, system_actor, now):
    for bad in ("a,b\n1,2\n", HEADER + "SBX-1,INV,12.3456,x\n"):
        with pytest.raises(BadSettlementFile):
            settlement_import(
                actor=system_actor,
                now=now,
                gateway="sandbox",
                settlement_date=now.date(),
                csv_text=bad,
            )
    assert not SettlementReport.objects.exists()


def test_reconciliation_commands(two_paid, now, tmp_path, capsys):
    call_command("sandbox_settlement", "--date", now.date().isoformat())
    (tmp_path / "s.csv").write_text(capsys.readouterr().out)
    call_command("import_settlement", str(tmp_path / "s.csv"), "--date", now.date().isoformat())
    assert '"matched": 2' in capsys.readouterr().out
