"""Exemptions from a month's wage check: who need not be paid in a month, and why.

New hires in their first days are exempt by the ledger alone (`WAGES_NEW_HIRE_EXEMPT_DAYS`);
every other exemption (a dispute or a work suspension lasting longer than
`WAGES_EXEMPTION_MIN_DAYS`, an absconding report approved that long, unpaid leave, a committee's
decision) is recorded by a wage protection officer with the reason and the period. Labour care's
disputes and absconding reports will feed the same table once that app records them.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from manpower.accounts.permissions import StaffAction, require_staff_action
from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import DomainError, required_reason
from manpower.registry.models import Employment

from .. import conf
from ..models import Exemption

R = Exemption.Reason
# The reasons that exempt only when they last longer than WAGES_EXEMPTION_MIN_DAYS.
LONG_REASONS = frozenset({R.DISPUTE, R.SUSPENSION, R.ABSCONDING})


class ExemptionPeriodInvalid(DomainError):
    code = "exemption_period_invalid"
    status = 422


class ExemptionTooShort(DomainError):
    code = "exemption_too_short"
    status = 422


def exemption_record(
    *,
    actor: Actor,
    employment: Employment,
    reason: str,
    note: str,
    start_date: dt.date,
    end_date: dt.date,
    now: dt.datetime,
) -> Exemption:
    """An officer exempts a worker for a period, saying why; audited."""
    officer = require_staff_action(actor=actor, action=StaffAction.RECORD_WPS_EXEMPTION)
    note = required_reason(note, max_length=300)
    if reason not in R.values:
        raise ExemptionPeriodInvalid(
            _("%(reason)s is not a reason for an exemption."), reason=reason
        )
    if end_date < start_date:
        raise ExemptionPeriodInvalid(_("The exemption's end is before its start."))
    minimum = conf.EXEMPTION_MIN_DAYS.value
    if reason in LONG_REASONS and (end_date - start_date).days + 1 <= minimum:
        raise ExemptionTooShort(
            _("%(reason)s exempts the worker only when it lasts more than %(days)s days."),
            reason=R(reason).label,
            days=minimum,
        )
    with transaction.atomic():
        exemption = Exemption.objects.create(
            employment=employment,
            reason=reason,
            note=note,
            start_date=start_date,
            end_date=end_date,
            recorded_by=officer,
            recorded_at=now,
        )
        audit.record(
            actor=actor,
            action="wps_exemption.recorded",
            obj=exemption,
            at=now,
            changes={
                "employment": employment.pk,
                "reason": [None, reason],
                "period": [None, f"{start_date}..{end_date}"],
                "note": [None, note],
            },
        )
    return exemption
