"""Reads of the job seekers' register that are kept in the audit log: an officer's search of the
register and an employer's list of the seekers who fit a vacancy. Each shows people's names and
qualifications to someone they did not apply to, so each records who read, with which filters,
how many were found and which seekers were shown."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from manpower.accounts.models import User
from manpower.core import audit
from manpower.core.actor import Actor

from .. import selectors
from ..models import Vacancy


def job_seekers_search(
    *,
    actor: Actor,
    now: dt.datetime,
    text: str = "",
    occupation_code: str = "",
    governorate_code: str = "",
    qualification_code: str = "",
    after: int | None = None,
    size: int = selectors.PAGE_SIZE,
) -> selectors.Page:
    """One page of the officers' register search (`selectors.job_seekers_search`, which checks
    the permission first). The register has no row of its own, so the event is filed under the
    searching officer's account."""
    filters = {
        "text": text,
        "occupation": occupation_code,
        "governorate": governorate_code,
        "qualification": qualification_code,
        "after": after,
    }
    page = selectors.job_seekers_search(
        actor=actor,
        text=text,
        occupation_code=occupation_code,
        governorate_code=governorate_code,
        qualification_code=qualification_code,
        after=after,
        size=size,
    )
    searcher = User.objects.get(pk=actor.user_id)
    _record(actor=actor, action="job_seekers.searched", obj=searcher, now=now, filters=filters,
            seekers=[row.pk for row in page.rows])  # fmt: skip
    return page


def vacancy_matches_read(
    *, actor: Actor, now: dt.datetime, vacancy: Vacancy, limit: int
) -> list[selectors.Match]:
    """The seekers who fit the employer's vacancy (`selectors.vacancy_matches`), recorded under
    the vacancy; the caller has found it among the establishment's own."""
    matches = selectors.vacancy_matches(vacancy=vacancy, limit=limit)
    _record(actor=actor, action="vacancy.matches_read", obj=vacancy, now=now,
            filters={"limit": limit}, seekers=[m.seeker.pk for m in matches])  # fmt: skip
    return matches


def _record(*, actor: Actor, action: str, obj, now: dt.datetime, filters: dict, seekers: list):
    changes = {name: [None, value] for name, value in filters.items()}
    changes |= {"results": [None, len(seekers)], "seekers": [None, seekers]}
    with transaction.atomic():
        audit.record(actor=actor, action=action, obj=obj, at=now, changes=changes)
