"""Complaints through the public API (the mobile app): a worker's under `/complaints…`, an
employer's under `/establishments/{cr_number}/complaints…`; each party reads the status, the
evidence, the meeting, and the court's hearings and judgment. Each operation calls the services
and selectors the portal's pages call; a complaint the caller is not party to is a 404 problem.
"""

from __future__ import annotations

import datetime as dt

from django.http import FileResponse
from django.utils import timezone
from ninja import Field, File, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from manpower.accounts.api_auth import api_actor, api_auth
from manpower.core.api import Pagination
from manpower.licensing.api import CrNumber

from .. import services, storage
from ..models import Complaint
from ..selectors import complaints as selectors
from ..services.complaints import MAX_BAISA

router = Router(auth=api_auth, tags=["complaints"])
ESTABLISHMENT = "/establishments/{cr_number}/complaints"


class CategoryOut(Schema):
    code: str
    group: str
    name_ar: str
    name_en: str


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    uploaded_by: str
    uploaded_at: dt.datetime


class HearingOut(Schema):
    reference: str
    hearing_at: dt.datetime
    court_name: str
    note: str


class CaseOut(Schema):
    number: str
    status: str
    judgment_date: dt.date | None
    judgment_for: str
    orders_transfer: bool
    dues_baisa: int
    judgment_summary: str
    hearings: list[HearingOut]

    @staticmethod
    def resolve_hearings(obj) -> list:
        return list(selectors.hearings_of(case=obj))


class ComplaintOut(Schema):
    number: str
    status: str
    filed_by: str
    civil_number: str = Field(alias="person.civil_number")
    cr_number: str = Field(alias="establishment.cr_number")
    category: str
    description: str
    claimed_amount_baisa: int
    arose_date: dt.date
    submitted_at: dt.datetime
    stage_due_at: dt.datetime
    meeting_at: dt.datetime | None
    meeting_place: str
    settled_amount_baisa: int | None
    settlement_due_date: dt.date | None
    outcome_reason: str
    evidence: list[EvidenceOut]
    case: CaseOut | None

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.code

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(selectors.evidence_of(complaint=obj))

    @staticmethod
    def resolve_case(obj):
        return selectors.case_of(complaint=obj)


class ComplaintIn(Schema):
    category_code: str = Field(max_length=40)
    description: str = Field(max_length=4000)
    claimed_amount_baisa: int = Field(0, ge=0, le=MAX_BAISA)
    arose_date: dt.date


class WorkerComplaintIn(ComplaintIn):
    cr_number: str = Field(max_length=20, pattern=r"^[0-9]+$")


class EmployerComplaintIn(ComplaintIn):
    civil_number: str = Field(max_length=12)


@router.get("/complaints/categories", response=list[CategoryOut])
def complaint_categories(request, filed_by: str = "WORKER"):
    return list(selectors.categories_for(filed_by=filed_by))


def _file(actor, filed_by: str, establishment, person, payload: ComplaintIn) -> Status:
    """Either party's complaint: the same service, with the claim's fields as sent."""
    claim = payload.dict(include=set(ComplaintIn.model_fields))
    complaint = services.complaint_file(
        actor=actor,
        now=timezone.now(),
        filed_by=filed_by,
        person=person,
        establishment=establishment,
        **claim,
    )
    return Status(201, complaint)


@router.get("/complaints", response=list[ComplaintOut])
@paginate(Pagination)
def worker_complaints(request):
    return selectors.complaints_of_worker(user=request.user)


@router.post("/complaints", response={201: ComplaintOut})
def worker_complaint_file(request, payload: WorkerComplaintIn):
    person, establishment = selectors.parties_for_worker(
        user=request.user, cr_number=payload.cr_number
    )
    actor = api_actor(request).acting_for("person", person.civil_number)
    return _file(actor, Complaint.FiledBy.WORKER, establishment, person, payload)


@router.get(ESTABLISHMENT, response=list[ComplaintOut])
@paginate(Pagination)
def establishment_complaints(request, cr_number: str = CrNumber):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr_number)
    return selectors.complaints_of_establishment(establishment=establishment)


@router.post(ESTABLISHMENT, response={201: ComplaintOut})
def establishment_complaint_file(request, payload: EmployerComplaintIn, cr_number: str = CrNumber):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr_number)
    person = selectors.person_by_civil_number(civil_number=payload.civil_number)
    actor = api_actor(request).acting_for("establishment", cr_number)
    return _file(actor, Complaint.FiledBy.EMPLOYER, establishment, person, payload)


@router.get("/complaints/{number}", response=ComplaintOut)
def complaint_detail(request, number: str):
    return selectors.complaint_for_user(user=request.user, number=number)


@router.post("/complaints/{number}/evidence", response={201: EvidenceOut})
def complaint_evidence_attach(request, number: str, file: File[UploadedFile]):
    complaint = selectors.complaint_for_user(user=request.user, number=number)
    (evidence,) = services.evidence_attach(
        actor=api_actor(request),
        now=timezone.now(),
        complaint=complaint,
        files=[(file.name or "", file.chunks())],
    )
    return Status(201, evidence)


@router.get("/complaints/{number}/evidence/{int:evidence_id}")
def complaint_evidence_download(request, number: str, evidence_id: int):
    evidence = selectors.evidence_for_user(
        user=request.user, number=number, evidence_id=evidence_id
    )
    return evidence_response(evidence)


@router.post("/complaints/{number}/withdraw", response=ComplaintOut)
def complaint_withdraw(request, number: str):
    complaint = selectors.complaint_for_user(user=request.user, number=number)
    return services.complaint_withdraw(
        actor=api_actor(request), now=timezone.now(), complaint=complaint
    )


def evidence_response(evidence) -> FileResponse:
    """An evidence file as an attachment, never shown inline (it is the parties' upload)."""
    response = FileResponse(
        storage.open_evidence(evidence.sha256),
        content_type=evidence.content_type,
        as_attachment=True,
        filename=evidence.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
