"""The escalation ladder: what happens to an establishment after a non-compliant month.

The ladder is data (`WAGES_ESCALATION_LADDER`: days after the month's due date → action); by
default Oman's: a warning, then the suspension of new work-permit services (registry's
`wps_suspended`, which licensing reads), then a fine per worker not paid correctly, doubled
when the establishment was fined within `WAGES_FINE_REPEAT_MONTHS`, billed through payments.
Each step is taken once per establishment and month (a unique constraint), audited, published
(`events`) and told to the establishment. The suspension is lifted (and published) once the
establishment's latest month is compliant and its fines are paid.

`wps_daily` runs it all for a day: the compliance of the months still on the ladder, their
steps now due, and the lifts.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.core import audit
from manpower.core.actor import Actor
from manpower.notifications.services import message, notify_establishment
from manpower.payments.services import invoice_create
from manpower.registry import services as registry
from manpower.registry.models import Establishment

from .. import conf, events, sif
from ..models import MonthlyCompliance, Sanction
from .compliance import compliance_compute, due_date

A = Sanction.Action
FINE_FEE = "WPS_FINE"
PUBLISH = {
    A.WARNING: events.wps_warning_issued,
    A.SUSPENSION: events.wps_suspension_imposed,
    A.FINE: events.wps_fine_imposed,
}

NOTICES = {
    A.WARNING: (
        _("Your workers' wages for %(month)s were not all paid correctly"),
        _(
            "Only %(share)s%% of your workers were paid correctly and on time for %(month)s. "
            "Pay them and send the corrected salary file, or new work-permit services will be "
            "suspended."
        ),
    ),
    A.SUSPENSION: (
        _("New work-permit services are suspended (wages of %(month)s)"),
        _(
            "Your workers' wages for %(month)s are still not paid correctly. New licence "
            "applications and visa reservations are refused until a month is compliant again "
            "and your fines are paid."
        ),
    ),
    A.FINE: (
        _("Fine for the unpaid wages of %(month)s"),
        _("You are fined %(amount)s rials for %(unpaid)s workers not paid correctly."),
    ),
}


def ladder() -> list[tuple[int, str]]:
    """The ladder's steps, earliest first."""
    return sorted((int(days), action) for days, action in conf.ESCALATION_LADDER.value)


def months_on_ladder(today: dt.date) -> list[tuple[int, int]]:
    """The salary months whose due date has passed and whose last step is still to come (a
    month of margin, so a job that missed days catches up), oldest first."""
    reach = max((days for days, _action in ladder()), default=0) + 31
    months, year, month = [], today.year, today.month
    while True:
        due = due_date(year, month)
        if due < today:
            if (today - due).days > reach:
                break
            months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _month_label(year: int, month: int) -> str:
    return f"{month:02d}/{year}"


def _repeat(establishment_id: int, year: int, month: int) -> bool:
    """Fined for another month within the repeat window before this one."""
    months = conf.FINE_REPEAT_MONTHS.value
    index = year * 12 + month - 1
    earlier = Sanction.objects.filter(establishment_id=establishment_id, action=A.FINE).exclude(
        salary_year=year, salary_month=month
    )
    return any(
        0 < index - (y * 12 + m - 1) <= months
        for y, m in earlier.values_list("salary_year", "salary_month")
    )


def _take(*, actor: Actor, row: MonthlyCompliance, action: str, now: dt.datetime) -> Sanction:
    establishment = row.establishment
    sanction = Sanction(
        establishment=establishment,
        salary_year=row.salary_year,
        salary_month=row.salary_month,
        action=action,
        unpaid_workers=row.unpaid,
        taken_at=now,
    )
    if action == A.FINE:
        sanction.repeat = _repeat(establishment.pk, row.salary_year, row.salary_month)
        invoice = invoice_create(
            actor=actor,
            now=now,
            service_code=FINE_FEE,
            payer_cr_number=establishment.cr_number,
            quantity=row.unpaid * (2 if sanction.repeat else 1),
        )
        sanction.amount_baisa = invoice.amount_baisa
        sanction.invoice_number = invoice.number
    sanction.save()
    if action == A.SUSPENSION:
        registry.establishment_wps_suspension_set(
            actor=actor,
            establishment_ids=[establishment.pk],
            suspended=True,
            reason=f"wages {_month_label(row.salary_year, row.salary_month)}",
            now=now,
        )
    audit.record(
        actor=actor,
        action=f"wps_sanction.{action.lower()}",
        obj=sanction,
        at=now,
        changes={
            "month": _month_label(row.salary_year, row.salary_month),
            "unpaid_workers": row.unpaid,
            "share_permyriad": row.share_permyriad,
            "repeat": sanction.repeat,
            "amount_baisa": sanction.amount_baisa,
            "invoice": sanction.invoice_number,
        },
    )
    PUBLISH[action](sanction=sanction, now=now)
    subject, body = NOTICES[action]
    params = {
        "month": _month_label(row.salary_year, row.salary_month),
        "share": row.share_percent,
        "amount": sif.rials(sanction.amount_baisa),
        "unpaid": row.unpaid,
    }
    notify_establishment(
        establishment=establishment,
        subject=message(subject, **params),
        body=message(body, **params),
        link=reverse("wages:compliance", kwargs={"cr": establishment.cr_number}),
        now=now,
        key=f"wps:{establishment.pk}:{row.salary_year}-{row.salary_month:02d}:{action}",
    )
    return sanction


def sanctions_escalate(*, actor: Actor, year: int, month: int, now: dt.datetime) -> int:
    """Take the ladder's steps now due for the month's non-compliant establishments that have
    not had them; how many were taken."""
    late_days = (timezone.localdate(now) - due_date(year, month)).days
    taken = 0
    for days, action in ladder():
        if late_days < days:
            break
        already = Sanction.objects.filter(
            establishment_id=OuterRef("establishment_id"),
            salary_year=year,
            salary_month=month,
            action=action,
        )
        due = (
            MonthlyCompliance.objects.filter(salary_year=year, salary_month=month, compliant=False)
            .exclude(Exists(already))
            .select_related("establishment")
            .order_by("establishment_id")
        )
        for row in due.iterator(chunk_size=500):
            try:
                with transaction.atomic():
                    _take(actor=actor, row=row, action=action, now=now)
            except IntegrityError:  # another run took this step meanwhile: its one stands
                taken_by_another = Sanction.objects.filter(
                    establishment_id=row.establishment_id,
                    salary_year=year,
                    salary_month=month,
                    action=action,
                )
                if not taken_by_another.exists():
                    raise
                continue
            taken += 1
    return taken


def sanctions_lift(
    *, actor: Actor, now: dt.datetime, establishment_ids: list[int] | None = None
) -> list[int]:
    """Lift the suspension of establishments whose latest computed month is compliant and
    whose fines are all paid; the ids lifted."""
    suspended = Establishment.objects.filter(wps_suspended=True)
    if establishment_ids is not None:
        suspended = suspended.filter(pk__in=establishment_ids)
    unpaid_fine = Sanction.objects.filter(
        establishment_id=OuterRef("pk"), action=A.FINE, paid_at__isnull=True
    ).exclude(invoice_number="")
    lift = []
    for establishment_id in suspended.exclude(Exists(unpaid_fine)).values_list("pk", flat=True):
        latest = (
            MonthlyCompliance.objects.filter(establishment_id=establishment_id)
            .order_by("-salary_year", "-salary_month")
            .first()
        )
        if latest is not None and latest.compliant:
            lift.append(establishment_id)
    with transaction.atomic():
        lifted = registry.establishment_wps_suspension_set(
            actor=actor,
            establishment_ids=lift,
            suspended=False,
            reason="compliant again, fines paid",
            now=now,
        )
        Sanction.objects.filter(
            establishment_id__in=lifted, action=A.SUSPENSION, lifted_at__isnull=True
        ).update(lifted_at=now)
        events.wps_suspensions_lifted(
            cr_numbers=list(
                Establishment.objects.filter(pk__in=lifted)
                .order_by("pk")
                .values_list("cr_number", flat=True)
            ),
            now=now,
        )
    return lifted


def sanction_fine_paid(*, actor: Actor, invoice_number: str, paid_at: dt.datetime) -> bool:
    """The fine billed on this invoice is paid: recorded, audited, and the suspension lifted
    when the establishment is otherwise compliant again. False for another invoice."""
    with transaction.atomic():
        fine = (
            Sanction.objects.select_for_update()
            .filter(action=A.FINE, invoice_number=invoice_number, paid_at__isnull=True)
            .first()
        )
        if fine is None:
            return False
        fine.paid_at = paid_at
        fine.save(update_fields=["paid_at"])
        audit.record(
            actor=actor,
            action="wps_sanction.fine_paid",
            obj=fine,
            at=paid_at,
            changes={"paid_at": [None, paid_at.isoformat()], "invoice": invoice_number},
        )
    sanctions_lift(actor=actor, now=paid_at, establishment_ids=[fine.establishment_id])
    return True


def wps_daily(*, actor: Actor, now: dt.datetime) -> dict[str, int]:
    """The day's run: each month still on the ladder recomputed and escalated, then the lifts."""
    computed = taken = 0
    for year, month in months_on_ladder(timezone.localdate(now)):
        computed += compliance_compute(actor=actor, year=year, month=month, now=now)
        taken += sanctions_escalate(actor=actor, year=year, month=month, now=now)
    lifted = sanctions_lift(actor=actor, now=now)
    return {"computed": computed, "sanctions": taken, "lifted": len(lifted)}
