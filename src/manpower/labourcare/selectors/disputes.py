"""Reads of the criminal and debt disputes labour-care officers record, and the employment a
new one is about, found from what the officer has on paper: the establishment's commercial
registration and the worker's civil or resident card number."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from manpower.registry import selectors as registry
from manpower.registry.models import Employment

from ..models import DisputeRecord
from .absconding import WorkerNotFound, require_officer
from .complaints import person_by_civil_number


def employment_for_dispute(*, user, cr_number: str, civil_number: str) -> Employment:
    """The worker's current employment with the establishment; refused, saying which, when the
    establishment or the worker is unknown or the worker is not employed there."""
    require_officer(user)
    establishment = registry.establishment_by_cr(cr_number=cr_number.replace("\x00", "")[:20])
    person = person_by_civil_number(civil_number=civil_number.replace("\x00", ""))
    employment = (
        Employment.objects.filter(
            establishment=establishment, person=person, status=Employment.Status.ACTIVE
        )
        .select_related("person", "establishment")
        .order_by("-start_date", "-id")
        .first()
    )
    if employment is None:
        raise WorkerNotFound(
            _("%(worker)s is not employed by %(employer)s (%(cr)s)."),
            worker=person.civil_number,
            employer=establishment.name,
            cr=establishment.cr_number,
        )
    return employment


def disputes_recorded(*, user) -> QuerySet[DisputeRecord]:
    """Every recorded dispute, the newest first, for labour-care officers."""
    require_officer(user)
    return DisputeRecord.objects.select_related(
        "employment__person", "employment__establishment", "recorded_by"
    ).order_by("-recorded_at", "-id")
