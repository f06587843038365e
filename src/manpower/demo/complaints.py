"""The demo's labour complaints: the labour-care officer is posted (as supervisor) to the
governorate of the individual's workplace, and the individual has a wage complaint against
their employer waiting in the officer's queue. Running it again changes nothing."""

from __future__ import annotations

import datetime as dt

from manpower.accounts.models import User
from manpower.core.actor import Actor
from manpower.labourcare import services
from manpower.labourcare.models import OfficerPosting
from manpower.registry.models import Employment


def complaint_keep(*, users: dict[str, User], today: dt.date, now):
    """The individual's wage complaint (None when the individual works nowhere); the `care`
    account is the labour-care officer."""
    officer, individual = users["care"], users["individual"]
    employment = (
        Employment.objects.filter(
            person__civil_number=individual.civil_number or "-", establishment__isnull=False
        )
        .select_related("establishment", "person")
        .order_by("-start_date", "id")
        .first()
    )
    if employment is None:
        return None
    OfficerPosting.objects.get_or_create(
        user=officer,
        governorate_id=employment.establishment.governorate_id,
        defaults={"is_supervisor": True},
    )
    return services.complaint_file(
        actor=Actor.for_user(individual),
        now=now,
        filed_by="WORKER",
        establishment=employment.establishment,
        person=employment.person,
        category_code="WAGES_LATE",
        description="My wages are paid two weeks late every month. / تتأخر أجوري أسبوعين كل شهر.",
        claimed_amount_baisa=0,
        arose_date=today.replace(day=1) - dt.timedelta(days=1),
    )
