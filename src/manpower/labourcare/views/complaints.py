"""Portal pages of complaints: the worker's and the employer's (file, follow, add evidence,
withdraw), a Sanad centre's (file for a worker at the counter), one page per complaint for its
parties and its officers, the officer's queue and the supervisor's overdue queue. Thin: each
reads through a selector or calls one service; a rule the service refuses comes back as a message
on the page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from manpower.accounts.models import Role
from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.core.forms import render_form
from manpower.core.money import rials_to_baisa
from manpower.registry import selectors as registry

from .. import services
from ..api.complaints import evidence_response
from ..forms.complaints import (
    AssignForm,
    EmployerComplaintForm,
    EvidenceForm,
    MeetingForm,
    ReasonForm,
    SanadComplaintForm,
    SettleForm,
    WorkerComplaintForm,
)
from ..models import Complaint
from ..selectors import complaints as selectors
from ..selectors import postings

PER_PAGE = 25
F = Complaint.FiledBy


def _uploads(files) -> list:
    return [(file.name, file.chunks()) for file in files or []]


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


@login_required
@require_GET
def index(request):
    """Where the catalogue's complaint service starts: the worker's own complaints, the
    establishments the user acts for, and for labour-care officers their queues."""
    user = request.user
    return render(
        request,
        "labourcare/complaints/index.html",
        {
            "page": _page(request, selectors.complaints_of_worker(user=user)),
            "person": selectors.worker_person(user=user),
            "establishments": []
            if user.is_ministry_staff
            else registry.establishments_visible_to(user).order_by("cr_number")[:50],
            "governorates": selectors.governorates_of_officer(user=user),
            "supervises": selectors.governorates_of_officer(user=user, supervising=True).exists(),
            "manages_postings": postings.managed_governorates(user=user).exists(),
            "sanad": user.role == Role.SANAD_OPERATOR,
        },
    )


def _filed(request, complaint):
    messages.success(
        request,
        _("Complaint %(number)s is filed; you can follow it here.") % {"number": complaint.number},
    )
    return redirect("labourcare:complaint", number=complaint.number)


def _file(request, *, form, filed_by: str, parties, actor, back: str, done=_filed):
    """`parties(data)` finds the worker and the employer, `actor(data)` says who files for whom,
    and `done(request, complaint)` answers once it is filed."""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person, establishment = parties(data)
            complaint = services.complaint_file(
                actor=actor(data),
                now=timezone.now(),
                filed_by=filed_by,
                establishment=establishment,
                person=person,
                category_code=data["category"],
                description=data["description"],
                claimed_amount_baisa=rials_to_baisa(data["claimed_amount"] or 0),
                arose_date=data["arose_date"],
                evidence=_uploads(data["evidence"]),
            )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            return done(request, complaint)
    return render_form(
        request,
        "labourcare/complaints/file.html",
        {"form": form, "filed_by": filed_by, "back": back},
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def file_worker(request):
    user = request.user
    form = WorkerComplaintForm(
        request.POST or None,
        request.FILES or None,
        categories=selectors.categories_for(filed_by=F.WORKER),
        employments=selectors.employers_of_worker(user=user),
    )
    return _file(
        request,
        form=form,
        filed_by=F.WORKER,
        parties=lambda data: selectors.parties_for_worker(user=user, cr_number=data["employer"]),
        actor=lambda data: Actor.from_request(request, on_behalf_of=("person", user.civil_number)),
        back="labourcare:complaints",
    )


@login_required
@require_http_methods(["GET", "POST"])
def file_sanad(request):
    """A Sanad centre operator files a worker's complaint at the counter, on the worker's behalf
    (the Sanad channel); the worker follows it on their own portal."""
    selectors.require_sanad_operator(user=request.user)
    form = SanadComplaintForm(
        request.POST or None,
        request.FILES or None,
        categories=selectors.categories_for(filed_by=F.WORKER),
    )

    def done(request, complaint):
        messages.success(
            request,
            _("Complaint %(number)s is filed for the worker, who can follow it on the portal.")
            % {"number": complaint.number},
        )
        return redirect("labourcare:complaint-sanad")

    return _file(
        request,
        form=form,
        filed_by=F.WORKER,
        parties=lambda data: (
            selectors.person_by_civil_number(civil_number=data["civil_number"]),
            registry.establishment_by_cr(cr_number=data["employer"]),
        ),
        actor=lambda data: Actor.from_request(
            request, on_behalf_of=("person", data["civil_number"])
        ),
        back="portal:dashboard",
        done=done,
    )


@login_required
@require_GET
def establishment_list(request, cr: str):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr)
    return render(
        request,
        "labourcare/complaints/establishment.html",
        {
            "establishment": establishment,
            "page": _page(
                request, selectors.complaints_of_establishment(establishment=establishment)
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def file_employer(request, cr: str):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr)
    form = EmployerComplaintForm(
        request.POST or None,
        request.FILES or None,
        categories=selectors.categories_for(filed_by=F.EMPLOYER),
    )
    return _file(
        request,
        form=form,
        filed_by=F.EMPLOYER,
        parties=lambda data: (
            selectors.person_by_civil_number(civil_number=data["civil_number"]),
            establishment,
        ),
        actor=lambda data: Actor.from_request(request, on_behalf_of=("establishment", cr)),
        back="labourcare:complaints",
    )


@login_required
@require_GET
def detail(request, number: str):
    complaint = selectors.complaint_for_user(user=request.user, number=number)
    party = selectors.party_of(user=request.user, complaint=complaint)
    case = selectors.case_of(complaint=complaint)
    staff = party == "STAFF"
    return render(
        request,
        "labourcare/complaints/detail.html",
        {
            "complaint": complaint,
            "party": party,
            "evidence": selectors.evidence_of(complaint=complaint),
            "case": case,
            "hearings": selectors.hearings_of(case=case) if case else [],
            "evidence_form": EvidenceForm() if party in (F.WORKER, F.EMPLOYER) else None,
            "can_withdraw": complaint.is_open and party == complaint.filed_by,
            "assign_form": AssignForm(
                officers=selectors.officers_of(governorate_id=complaint.governorate_id)
            )
            if staff and complaint.is_open
            else None,
            "meeting_form": MeetingForm() if staff and complaint.officer_id else None,
            "settle_form": SettleForm() if staff and complaint.officer_id else None,
            "reason_form": ReasonForm() if staff else None,
        },
    )


@login_required
@require_GET
def evidence_download(request, number: str, evidence_id: int):
    evidence = selectors.evidence_for_user(
        user=request.user, number=number, evidence_id=evidence_id
    )
    return evidence_response(evidence)


def _act(request, number: str, form_class, act, done: str, **form_options):
    """One action on a complaint from its page: the form, the service, and back to the page
    with what happened (or why it could not)."""
    complaint = selectors.complaint_for_user(user=request.user, number=number)
    form = form_class(request.POST, request.FILES, **form_options) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("labourcare:complaint", number=number)
    try:
        act(Actor.from_request(request), complaint, form.cleaned_data if form else {})
    except DomainError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, done)
    return redirect("labourcare:complaint", number=number)


@login_required
@require_POST
def add_evidence(request, number: str):
    return _act(
        request,
        number,
        EvidenceForm,
        lambda actor, complaint, data: services.evidence_attach(
            actor=actor, now=timezone.now(), complaint=complaint, files=_uploads(data["evidence"])
        ),
        _("The evidence is added."),
    )


@login_required
@require_POST
def withdraw(request, number: str):
    return _act(
        request,
        number,
        None,
        lambda actor, complaint, data: services.complaint_withdraw(
            actor=actor, now=timezone.now(), complaint=complaint
        ),
        _("The complaint is withdrawn."),
    )


@login_required
@require_POST
def assign(request, number: str):
    complaint = selectors.complaint_for_user(user=request.user, number=number)
    officers = selectors.officers_of(governorate_id=complaint.governorate_id)
    return _act(
        request,
        number,
        AssignForm,
        lambda actor, complaint, data: services.complaint_assign(
            actor=actor,
            now=timezone.now(),
            complaint=complaint,
            officer=officers.get(pk=data["officer"]),
        ),
        _("The complaint is assigned."),
        officers=officers,
    )


@login_required
@require_POST
def meeting(request, number: str):
    return _act(
        request,
        number,
        MeetingForm,
        lambda actor, complaint, data: services.complaint_meeting_schedule(
            actor=actor,
            now=timezone.now(),
            complaint=complaint,
            meeting_at=data["meeting_at"],
            place=data["place"],
        ),
        _("The meeting is set; both parties are told."),
    )


@login_required
@require_POST
def settle(request, number: str):
    return _act(
        request,
        number,
        SettleForm,
        lambda actor, complaint, data: services.complaint_settle(
            actor=actor,
            now=timezone.now(),
            complaint=complaint,
            amount_baisa=rials_to_baisa(data["amount"]),
            due_date=data["due_date"],
            note=data["note"],
        ),
        _("The settlement is recorded."),
    )


@login_required
@require_POST
def reject(request, number: str):
    return _act(
        request,
        number,
        ReasonForm,
        lambda actor, complaint, data: services.complaint_reject(
            actor=actor, now=timezone.now(), complaint=complaint, reason=data["reason"]
        ),
        _("The complaint is rejected; the parties are told why."),
    )


@login_required
@require_POST
def refer(request, number: str):
    return _act(
        request,
        number,
        ReasonForm,
        lambda actor, complaint, data: services.complaint_refer(
            actor=actor, now=timezone.now(), complaint=complaint, reason=data["reason"]
        ),
        _("The complaint is referred to court; its case file is sent."),
    )


@login_required
@require_GET
def officer_queue(request):
    return render(
        request,
        "labourcare/complaints/queue.html",
        {
            "title": _("Complaints to handle"),
            "page": _page(request, selectors.officer_queue(user=request.user)),
        },
    )


@login_required
@require_GET
def overdue(request):
    return render(
        request,
        "labourcare/complaints/queue.html",
        {
            "title": _("Overdue complaints"),
            "page": _page(request, selectors.overdue_queue(user=request.user, now=timezone.now())),
        },
    )
