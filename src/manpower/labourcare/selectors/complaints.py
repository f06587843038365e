"""Every read of complaints and their court cases, scoped to who asks: the worker sees the
complaints about their own employments, an employer's representative those of the
establishment, a labour-care officer those of the governorates they are posted to."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import Role, User
from manpower.accounts.permissions import StaffAction, staff_actions
from manpower.core.errors import NotFound
from manpower.core.models import Governorate
from manpower.registry import selectors as registry
from manpower.registry.models import Employment, Person

from ..models import Complaint, ComplaintCategory, LabourCase, OfficerPosting
from ..models.complaints import OPEN_COMPLAINT

if TYPE_CHECKING:  # named in signatures only
    from ..models import CaseHearing, ComplaintEvidence

C = Complaint.Status
ROW = ("establishment", "person", "category", "governorate", "officer")


class ComplaintNotFound(NotFound):
    code = "complaint_not_found"


class CaseNotFound(NotFound):
    code = "labour_case_not_found"


class EvidenceNotFound(NotFound):
    code = "evidence_not_found"


def _not_found(number: str) -> ComplaintNotFound:
    return ComplaintNotFound(_("No complaint %(number)s was found for you."), number=number)


def _still_open() -> Q:
    """Open: being handled, or referred to court and not judged yet."""
    return Q(status__in=OPEN_COMPLAINT) | Q(
        status=C.REFERRED_TO_COURT, case__judged_at__isnull=True
    )


def worker_has_open_wage_complaint(
    *,
    civil_number: str,
    establishment_id: int | None = None,
    filed_before: dt.datetime | None = None,
) -> bool:
    """Whether the worker has an open complaint about wages (against that employer, filed before
    that time): such a worker cannot be reported for absconding afterwards (no retaliation) and
    may transfer without the employer's consent."""
    found = Complaint.objects.filter(
        _still_open(),
        person__civil_number=civil_number.strip(),
        filed_by=Complaint.FiledBy.WORKER,
        category__group=ComplaintCategory.Group.WAGES,
    )
    if establishment_id is not None:
        found = found.filter(establishment_id=establishment_id)
    if filed_before is not None:
        found = found.filter(submitted_at__lt=filed_before)
    return found.exists()


def judgment_frees_worker(*, civil_number: str, establishment_id: int | None = None) -> bool:
    """Whether a court judged for the worker and ordered a transfer or dues (against that
    employer): the worker may move employer without its consent."""
    found = LabourCase.objects.filter(
        status=LabourCase.Status.JUDGED,
        judgment_for=LabourCase.Party.WORKER,
        complaint__person__civil_number=civil_number.strip(),
    ).filter(Q(orders_transfer=True) | Q(dues_baisa__gt=0))
    if establishment_id is not None:
        found = found.filter(complaint__establishment_id=establishment_id)
    return found.exists()


# --- Categories and parties ----------------------------------------------------------------------


def categories_for(*, filed_by: str) -> QuerySet[ComplaintCategory]:
    if filed_by == Complaint.FiledBy.EMPLOYER:
        return ComplaintCategory.objects.filter(for_employer=True)
    return ComplaintCategory.objects.filter(for_worker=True)


def worker_person(*, user) -> Person | None:
    if not user.civil_number:
        return None
    return Person.objects.filter(civil_number=user.civil_number).first()


def employers_of_worker(*, user) -> QuerySet[Employment]:
    """The employments (current or past) a worker may complain about."""
    return (
        Employment.objects.filter(
            person__civil_number=user.civil_number or "-", establishment__isnull=False
        )
        .select_related("establishment")
        .order_by("-start_date", "-id")
    )


def establishment_for_user(*, user, cr_number: str):
    return registry.establishment_for_user(user=user, cr_number=cr_number)


class PersonNotFound(NotFound):
    code = "person_not_found"


def person_by_civil_number(*, civil_number: str) -> Person:
    """The worker an employer complains of (whether they worked for it is the service's rule)."""
    person = Person.objects.filter(civil_number=(civil_number or "").strip()[:12]).first()
    if person is None:
        raise PersonNotFound(
            _("No person with civil number %(number)s is in the registry."),
            number=(civil_number or "")[:12],
        )
    return person


def require_sanad_operator(*, user) -> None:
    """The counter's filing page is for Sanad centre operators, who file for a worker in person."""
    if getattr(user, "role", None) != Role.SANAD_OPERATOR:
        raise NotFound(_("This page is for Sanad centre operators."))


def parties_for_worker(*, user, cr_number: str) -> tuple[Person, object]:
    """The signed-in worker and the employer (by CR number) they complain of."""
    person = worker_person(user=user)
    if person is None:
        raise PersonNotFound(_("Your civil number is not in the registry of workers."))
    return person, registry.establishment_by_cr(cr_number=cr_number)


def party_of(*, user, complaint: Complaint) -> str | None:
    """Which side `user` is on: WORKER, EMPLOYER, STAFF (an officer posted there), or None."""
    if user.is_ministry_staff:  # staff see every establishment: never a party
        if governorates_of_officer(user=user).filter(pk=complaint.governorate_id).exists():
            return "STAFF"
        return None
    if user.civil_number and user.civil_number == complaint.person.civil_number:
        return Complaint.FiledBy.WORKER
    if registry.establishments_visible_to(user).filter(pk=complaint.establishment_id).exists():
        return Complaint.FiledBy.EMPLOYER
    return None


# --- The parties' lists and the one detail page --------------------------------------------------


def complaints_of_worker(*, user) -> QuerySet[Complaint]:
    return (
        Complaint.objects.filter(person__civil_number=user.civil_number or "-")
        .select_related(*ROW)
        .order_by("-submitted_at", "-id")
    )


def complaints_of_establishment(*, establishment) -> QuerySet[Complaint]:
    return (
        Complaint.objects.filter(establishment=establishment)
        .select_related(*ROW)
        .order_by("-submitted_at", "-id")
    )


def complaint_for_user(*, user, number: str) -> Complaint:
    """A complaint its parties or the officers posted to its governorate may see."""
    complaint = (
        Complaint.objects.select_related(*ROW, "case").filter(number=number.strip()[:20]).first()
    )
    if complaint is None or party_of(user=user, complaint=complaint) is None:
        raise _not_found(number)
    return complaint


def evidence_of(*, complaint: Complaint) -> QuerySet[ComplaintEvidence]:
    return complaint.evidence.order_by("id")


def evidence_for_user(*, user, number: str, evidence_id: int) -> ComplaintEvidence:
    """An evidence file, to the parties and the staff of the complaint only."""
    complaint = complaint_for_user(user=user, number=number)
    evidence = complaint.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise EvidenceNotFound(_("This complaint has no such evidence file."))
    return evidence


def case_of(*, complaint: Complaint) -> LabourCase | None:
    return LabourCase.objects.filter(complaint=complaint).first()


def hearings_of(*, case: LabourCase) -> QuerySet[CaseHearing]:
    return case.hearings.order_by("hearing_at", "id")


# --- Officers and supervisors --------------------------------------------------------------------


def governorates_of_officer(*, user, supervising: bool = False):
    """The governorates a labour-care officer handles (supervises) complaints of."""
    if StaffAction.HANDLE_COMPLAINT not in staff_actions(user):
        return Governorate.objects.none()
    postings = OfficerPosting.objects.filter(user=user)
    if supervising:
        postings = postings.filter(is_supervisor=True)
    return Governorate.objects.filter(pk__in=postings.values("governorate_id")).order_by("code")


def posting_of(*, user, governorate_id: str) -> OfficerPosting | None:
    if StaffAction.HANDLE_COMPLAINT not in staff_actions(user):
        return None
    return OfficerPosting.objects.filter(user=user, governorate_id=governorate_id).first()


def officers_of(*, governorate_id: str):
    """The officers a supervisor may assign a complaint of this governorate to."""
    return User.objects.filter(
        complaint_postings__governorate_id=governorate_id, is_active=True
    ).order_by("username", "id")


def officer_queue(*, user) -> QuerySet[Complaint]:
    """New complaints of the officer's governorates, and the open ones assigned to the officer."""
    return (
        Complaint.objects.filter(governorate__in=governorates_of_officer(user=user))
        .filter(Q(status=C.SUBMITTED) | Q(officer=user, status__in=OPEN_COMPLAINT))
        .select_related(*ROW)
        .order_by("stage_due_at", "id")
    )


def overdue_queue(*, user, now: dt.datetime) -> QuerySet[Complaint]:
    """Open complaints of the governorates a supervisor supervises whose stage is past its
    service-level time, the most overdue first."""
    return (
        Complaint.objects.filter(
            governorate__in=governorates_of_officer(user=user, supervising=True),
            status__in=OPEN_COMPLAINT,
            stage_due_at__lt=now,
        )
        .select_related(*ROW)
        .order_by("stage_due_at", "id")
    )


# --- The judicial agency -------------------------------------------------------------------------


def case_for_agency(*, agency_code: str, number: str) -> LabourCase:
    """A case sent to this agency (another agency's cases are not found)."""
    case = (
        LabourCase.objects.select_related("complaint__person", "complaint__establishment")
        .filter(number=number.strip()[:20], agency_code=agency_code)
        .first()
    )
    if case is None:
        raise CaseNotFound(_("No labour case %(number)s was sent to you."), number=number)
    return case


def case_evidence_for_agency(
    *, agency_code: str, number: str, evidence_id: int
) -> ComplaintEvidence:
    case = case_for_agency(agency_code=agency_code, number=number)
    evidence = case.complaint.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise EvidenceNotFound(_("This complaint has no such evidence file."))
    return evidence
