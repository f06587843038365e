"""The prosecution's and the courts' side of labour cases on the partner API (scope
`judicial`): read a case sent to the agency and download its evidence, post a hearing, post the
judgment. Each post is idempotent on the case number (and the hearing's reference): a retry
answers 200 with the first answer, a different judgment of a judged case is a 409 problem.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from manpower.core.actor import Actor
from manpower.core.problems import Problem
from manpower.integration.api import PartnerKey

from . import services
from .api.complaints import CaseOut, HearingOut, evidence_response
from .selectors import complaints as selectors
from .services.complaints import MAX_BAISA

router = Router(tags=["judicial"], auth=PartnerKey({"judicial"}))  # integration Scope.JUDICIAL
ERRORS = {
    400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem,
    429: Problem,
}  # fmt: skip


class HearingIn(Schema):
    reference: str = Field(min_length=1, max_length=40)
    hearing_at: dt.datetime
    court_name: str = Field(min_length=1, max_length=200)
    note: str = Field("", max_length=500)


class JudgmentIn(Schema):
    judgment_date: dt.date
    judgment_for: Literal["WORKER", "EMPLOYER"]
    orders_transfer: bool = False
    dues_baisa: int = Field(0, ge=0, le=MAX_BAISA)
    summary: str = Field("", max_length=4000)


def _case(request, number: str):
    return selectors.case_for_agency(agency_code=request.auth.agency.code, number=number)


@router.get(
    "/cases/{number}",
    response={200: CaseOut, **ERRORS},
    summary="A labour case sent to you, with its hearings and judgment (scope: judicial)",
    operation_id="judicial_case",
    url_name="judicial-case",
)
def judicial_case(request, number: str):
    return _case(request, number)


@router.get(
    "/cases/{number}/evidence/{int:evidence_id}",
    response={**ERRORS},
    summary="One evidence file of a labour case sent to you (scope: judicial)",
    operation_id="judicial_case_evidence",
    url_name="judicial-case-evidence",
)
def judicial_case_evidence(request, number: str, evidence_id: int):
    evidence = selectors.case_evidence_for_agency(
        agency_code=request.auth.agency.code, number=number, evidence_id=evidence_id
    )
    return evidence_response(evidence)


@router.post(
    "/cases/{number}/hearings",
    response={200: HearingOut, 201: HearingOut, **ERRORS},
    summary="The court set a hearing of a case (scope: judicial; a repeat returns the first)",
    operation_id="judicial_hearing_record",
    url_name="judicial-hearings",
)
def judicial_hearing(request, number: str, payload: HearingIn):
    hearing, new = services.case_hearing_record(
        actor=Actor.for_partner(request),
        now=timezone.now(),
        case=_case(request, number),
        reference=payload.reference,
        hearing_at=payload.hearing_at,
        court_name=payload.court_name,
        note=payload.note,
    )
    return Status(201 if new else 200, hearing)


@router.post(
    "/cases/{number}/judgment",
    response={200: CaseOut, 201: CaseOut, **ERRORS},
    summary="The court's judgment of a case (scope: judicial; a repeat returns the first)",
    operation_id="judicial_judgment_record",
    url_name="judicial-judgment",
)
def judicial_judgment(request, number: str, payload: JudgmentIn):
    case, new = services.case_judgment_record(
        actor=Actor.for_partner(request),
        now=timezone.now(),
        case=_case(request, number),
        judgment_date=payload.judgment_date,
        judgment_for=payload.judgment_for,
        orders_transfer=payload.orders_transfer,
        dues_baisa=payload.dues_baisa,
        summary=payload.summary,
    )
    return Status(201 if new else 200, case)
