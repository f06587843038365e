"""Reconciliation: a gateway's daily settlement file against the payments we received."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from manpower.core.actor import Actor
from manpower.core.audit import record
from manpower.core.errors import DomainError
from manpower.core.money import rials_to_baisa

from ..models import (
    Payment,
    SettlementReport,
)
from ..selectors import MUSCAT, SETTLEMENT_COLUMNS


class BadSettlementFile(DomainError):
    code = "bad_settlement_file"


# --- Reconciliation ------------------------------------------------------------------------------


def _parse_settlement(csv_text: str) -> dict[str, int]:
    reader = csv.DictReader(io.StringIO(csv_text))
    if reader.fieldnames != SETTLEMENT_COLUMNS:
        raise BadSettlementFile(
            _("The settlement file must have the columns %(columns)s."),
            columns=", ".join(SETTLEMENT_COLUMNS),
        )
    rows: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        try:
            rows[row["transaction_id"]] = rials_to_baisa(row["amount_omr"])
        except (ArithmeticError, ValueError) as error:
            raise BadSettlementFile(
                _("Line %(line)s of the settlement file has a bad amount."), line=line
            ) from error
    return rows


def settlement_import(
    *, actor: Actor, now: dt.datetime, gateway: str, settlement_date: dt.date, csv_text: str
) -> SettlementReport:
    """Match a gateway's daily settlement file against the payments we received that day
    (Muscat time). Importing the same file again returns the first report."""
    digest = hashlib.sha256(csv_text.encode()).hexdigest()
    theirs = _parse_settlement(csv_text)
    with transaction.atomic():
        first = SettlementReport.objects.filter(
            gateway=gateway, settlement_date=settlement_date, file_sha256=digest
        ).first()
        if first:
            return first
        start = dt.datetime.combine(settlement_date, dt.time(), tzinfo=MUSCAT)
        ours_that_day = dict(
            Payment.objects.filter(
                channel=gateway, received_at__gte=start, received_at__lt=start + dt.timedelta(1)
            ).values_list("transaction_id", "amount_baisa")
        )
        known = dict(
            Payment.objects.filter(channel=gateway, transaction_id__in=list(theirs)).values_list(
                "transaction_id", "amount_baisa"
            )
        )
        mismatches = [
            {"transaction_id": txn, "ours": known[txn], "gateway": amount}
            for txn, amount in sorted(theirs.items())
            if txn in known and known[txn] != amount
        ]
        report = SettlementReport.objects.create(
            gateway=gateway,
            settlement_date=settlement_date,
            imported_at=now,
            file_sha256=digest,
            matched=sum(1 for txn, amount in theirs.items() if known.get(txn) == amount),
            missing_ours=sorted(txn for txn in theirs if txn not in known),
            missing_gateway=sorted(txn for txn in ours_that_day if txn not in theirs),
            amount_mismatches=mismatches,
        )
        record(
            actor=actor,
            action="settlement.imported",
            obj=report,
            at=now,
            changes={
                "matched": report.matched,
                "missing_ours": len(report.missing_ours),
                "missing_gateway": len(report.missing_gateway),
                "amount_mismatches": len(mismatches),
            },
        )
    return report
