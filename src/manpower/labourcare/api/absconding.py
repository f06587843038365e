"""Work-abandonment reports through the public API (the mobile app): the worker reads the
reports about them and their status, and objects to an approved one within the objection
period. The same selectors and services as the portal's pages; a report about someone else is
a 404 problem."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from manpower.accounts.api_auth import api_actor, api_auth
from manpower.core.api import Pagination

from .. import services
from ..selectors import absconding as selectors

router = Router(auth=api_auth, tags=["labour care"])


class ObjectionOut(Schema):
    status: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    decision_reason: str
    fine_baisa: int | None
    fine_invoice_number: str | None

    @staticmethod
    def resolve_fine_invoice_number(obj) -> str | None:
        return obj.fine_invoice.number if obj.fine_invoice_id else None


class ReportOut(Schema):
    number: str
    status: str
    cr_number: str
    employer_name_ar: str
    employer_name_en: str
    last_working_date: dt.date
    decided_at: dt.datetime | None
    objection_deadline_date: dt.date | None
    objection: ObjectionOut | None

    @staticmethod
    def resolve_cr_number(obj) -> str:
        return obj.establishment.cr_number

    @staticmethod
    def resolve_employer_name_ar(obj) -> str:
        return obj.establishment.name_ar

    @staticmethod
    def resolve_employer_name_en(obj) -> str:
        return obj.establishment.name_en

    @staticmethod
    def resolve_objection(obj):
        return selectors.objection_of(obj)


class AbscondingObjectionIn(Schema):
    grounds: str = Field(min_length=1, max_length=5000)


@router.get("/labour-care/absconding-reports", response=list[ReportOut])
@paginate(Pagination)
def my_reports(request):
    """The approved (and later revoked or objected) reports about the caller, newest first."""
    return selectors.reports_of_worker(user=request.user)


@router.get("/labour-care/absconding-reports/{number}", response=ReportOut)
def my_report(request, number: str):
    return selectors.report_for_worker(user=request.user, number=number)


@router.post("/labour-care/absconding-reports/{number}/objection", response={201: ReportOut})
def my_objection(request, number: str, payload: AbscondingObjectionIn):
    """Object to an approved report within the objection period (60 days by default); once."""
    report = selectors.report_for_worker(user=request.user, number=number)
    services.absconding_objection_file(
        actor=api_actor(request).acting_for("person", request.user.civil_number or ""),
        now=timezone.now(),
        report=report,
        user=request.user,
        grounds=payload.grounds,
    )
    return Status(201, selectors.report_for_worker(user=request.user, number=number))
