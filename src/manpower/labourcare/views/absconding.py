"""Portal pages of work-abandonment reports: the employer's (its reports, file one), the
worker's (reports about me, object) and the labour-care officer's (the queue, decide a report
or an objection, read the salary proof). Thin: each reads through a selector or calls one
service; a rule the service refuses comes back as a message by the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from manpower.accounts.permissions import StaffAction, staff_actions
from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.core.forms import render_form
from manpower.registry import selectors as registry

from .. import services
from ..forms.absconding import DecisionForm, ObjectionDecisionForm, ObjectionForm, ReportForm
from ..selectors import absconding as selectors

SHOWN = 100


@login_required
@require_GET
def index(request):
    """Where the catalogue's service starts: the user's establishments, the reports about the
    user, and the officers' queue."""
    user = request.user
    return render(
        request,
        "labourcare/absconding/index.html",
        {
            "establishments": []
            if user.is_ministry_staff
            else registry.establishments_visible_to(user).order_by("cr_number")[:50],
            "is_officer": StaffAction.DECIDE_ABSCONDING_REPORT in staff_actions(user),
            "has_civil_number": bool(user.civil_number),
        },
    )


# --- The employer's pages ------------------------------------------------------------------------


@login_required
@require_GET
def establishment_reports(request, cr: str):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr)
    return render(
        request,
        "labourcare/absconding/list.html",
        {
            "establishment": establishment,
            "reports": selectors.reports_of_establishment(establishment=establishment)[:SHOWN],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def file_report(request, cr: str):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        workers=selectors.reportable_workers(establishment=establishment)[:500],
        pdf_accepted=selectors.pdf_proof_accepted(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("salary_proof")
        try:
            report = services.absconding_report_file(
                actor=Actor.from_request(request, on_behalf_of=("establishment", cr)),
                now=timezone.now(),
                employment=selectors.employment_of_establishment(
                    establishment=establishment, employment_id=data["employment"]
                ),
                last_working_date=data["last_working_date"],
                return_ticket_undertaken=data["return_ticket"],
                salary_proof=upload.chunks() if upload else None,
            )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            messages.success(
                request,
                _("Report %(number)s is filed; a labour-care officer will decide it.")
                % {"number": report.number},
            )
            return redirect("labourcare:absconding-list", cr=cr)
    return render_form(
        request,
        "labourcare/absconding/file.html",
        {
            "establishment": establishment,
            "form": form,
            "proof_months": selectors.salary_proof_months(),
        },
        form,
    )


# --- The worker's pages --------------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    return render(
        request,
        "labourcare/absconding/mine.html",
        {"reports": selectors.reports_of_worker(user=request.user)[:SHOWN]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def object_to(request, number: str):
    report = selectors.report_for_worker(user=request.user, number=number)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.absconding_objection_file(
                actor=Actor.from_request(
                    request, on_behalf_of=("person", request.user.civil_number)
                ),
                now=timezone.now(),
                report=report,
                user=request.user,
                grounds=form.cleaned_data["grounds"],
            )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            messages.success(request, _("Your objection is sent to a labour-care officer."))
            return redirect("labourcare:absconding-mine")
    return render_form(
        request, "labourcare/absconding/object.html", {"report": report, "form": form}, form
    )


# --- The officer's pages -------------------------------------------------------------------------


@login_required
@require_GET
def queue(request):
    return render(
        request,
        "labourcare/absconding/queue.html",
        {
            "reports": selectors.reports_waiting(user=request.user)[:SHOWN],
            "objections": selectors.objections_waiting(user=request.user)[:SHOWN],
        },
    )


def _decide_report(request, report, form) -> str:
    data = form.cleaned_data
    actor, now = Actor.from_request(request), timezone.now()
    if data["decision"] == "approve":
        services.absconding_report_approve(
            actor=actor, now=now, report=report, reason=data["reason"]
        )
        return _("Report %(number)s is approved; the police are notified.")
    services.absconding_report_reject(actor=actor, now=now, report=report, reason=data["reason"])
    return _("Report %(number)s is rejected.")


def _decide_objection(request, objection, form) -> str:
    data = form.cleaned_data
    actor, now = Actor.from_request(request), timezone.now()
    if data["decision"] == "uphold":
        services.absconding_objection_uphold(
            actor=actor, now=now, objection=objection, reason=data["reason"]
        )
        return _("The objection is upheld and report %(number)s revoked.")
    services.absconding_objection_reject(
        actor=actor,
        now=now,
        objection=objection,
        reason=data["reason"],
        fine_baisa=(data["fine"] or 0) * 1000,
    )
    return _("The objection is found unjustified and the fine billed to the worker.")


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, number: str):
    report = selectors.report_for_officer(user=request.user, number=number)
    objection = selectors.objection_of(report)
    form = DecisionForm(request.POST if "decision" in request.POST else None, prefix="")
    objection_form = ObjectionDecisionForm(
        request.POST if request.POST.get("form") == "objection" else None, prefix="objection"
    )
    posted = objection_form if request.POST.get("form") == "objection" else form
    if request.method == "POST" and posted.is_valid():
        try:
            if posted is form:
                done = _decide_report(request, report, form)
            else:
                done = _decide_objection(request, objection, objection_form)
        except DomainError as error:
            posted.add_error(None, error.text())
        else:
            messages.success(request, done % {"number": report.number})
            return redirect("labourcare:absconding-queue")
    return render_form(
        request,
        "labourcare/absconding/decide.html",
        {
            "report": report,
            "objection": objection,
            "form": form,
            "objection_form": objection_form,
            "can_decide": report.status == report.Status.SUBMITTED,
            "can_decide_objection": objection is not None and objection.status == "SUBMITTED",
        },
        form,
        objection_form,
    )


@login_required
@require_GET
def proof(request, number: str):
    """The salary proof, for labour-care officers only."""
    report = selectors.report_for_officer(user=request.user, number=number)
    path = selectors.proof_file(report)
    if path is None or not path.exists():
        raise Http404(number)
    return FileResponse(
        path.open("rb"),
        content_type="application/pdf",
        filename=f"salary-proof-{report.number}.pdf",
    )
