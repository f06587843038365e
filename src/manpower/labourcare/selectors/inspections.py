"""Reads of inspections: labour-care officers see them all, an inspector those assigned to them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from manpower.accounts.permissions import StaffAction, staff_actions
from manpower.core.errors import NotFound

from ..models import Inspection

ROW = ("establishment", "inspector")


class InspectionNotFound(NotFound):
    code = "inspection_not_found"


def _not_found(number: str) -> InspectionNotFound:
    return InspectionNotFound(_("No inspection %(number)s for you."), number=number)


def is_manager(user) -> bool:
    return StaffAction.MANAGE_INSPECTIONS in staff_actions(user)


def is_inspector(user) -> bool:
    return StaffAction.INSPECT in staff_actions(user)


def inspections_for_officer(*, user, status: str = "") -> QuerySet[Inspection]:
    if not is_manager(user):
        raise NotFound(_("This page is for labour-care officers."))
    inspections = Inspection.objects.select_related(*ROW)
    if status in Inspection.Status.values:
        inspections = inspections.filter(status=status)
    return inspections.order_by("-opened_at", "-id")


def inspector_queue(*, user) -> QuerySet[Inspection]:
    """The inspector's visits still to make, soonest first."""
    if not is_inspector(user):
        raise NotFound(_("This page is for inspectors."))
    return (
        Inspection.objects.filter(inspector=user, status=Inspection.Status.ASSIGNED)
        .select_related(*ROW)
        .order_by("visit_date", "id")
    )


def inspection_for_staff(*, user, number: str) -> Inspection:
    """An inspection for an officer (any) or an inspector (their own)."""
    inspections = Inspection.objects.select_related(*ROW).filter(number=number)
    if not is_manager(user):
        if not is_inspector(user):
            raise _not_found(number)
        inspections = inspections.filter(inspector=user)
    inspection = inspections.first()
    if inspection is None:
        raise _not_found(number)
    return inspection
