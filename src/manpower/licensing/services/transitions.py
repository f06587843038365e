"""The one table of allowed status changes of each licensing workflow, and the one way to
move along them."""

from __future__ import annotations

from manpower.core import states
from manpower.core.errors import Conflict

from ..models import Licence, LicenceApplication, VisaReservation

A = LicenceApplication.Status
L = Licence.Status
V = VisaReservation.Status
# The one table of allowed status changes of each workflow.
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    A.IN_REVIEW: frozenset({A.AWAITING_PAYMENT, A.REJECTED}),
    A.AWAITING_PAYMENT: frozenset({A.ISSUED}),
    A.ISSUED: frozenset(),
    A.REJECTED: frozenset(),
}
LICENCE_TRANSITIONS: dict[str, frozenset[str]] = {
    L.ACTIVE: frozenset({L.EXPIRED, L.CANCELLED}),
    L.EXPIRED: frozenset(),
    L.CANCELLED: frozenset(),
}
VISA_TRANSITIONS: dict[str, frozenset[str]] = {
    V.RESERVED: frozenset({V.ARRIVED, V.CANCELLED}),
    V.ARRIVED: frozenset(),
    V.CANCELLED: frozenset(),
}


class StatusConflict(Conflict):
    code = "status_conflict"


def _move(obj, transitions: dict, to: str, **fields) -> None:
    states.transition(obj, to, table=transitions, error=StatusConflict, **fields)
