"""Portal pages of inspections: the labour-care officer's list (open one, assign an inspector)
and the inspector's queue (record the visit's result). Thin, as every portal page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from manpower.accounts.models import User
from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.registry import selectors as registry

from .. import services
from ..forms.inspections import AssignForm, OpenForm, ResultForm
from ..models import Inspection
from ..selectors import inspections as selectors

SHOWN = 100


@login_required
@require_http_methods(["GET", "POST"])
def inspections(request):
    listed = selectors.inspections_for_officer(
        user=request.user, status=request.GET.get("status", "")
    )
    form = OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_open(
                actor=Actor.from_request(request),
                now=timezone.now(),
                establishment=registry.establishment_by_cr(
                    cr_number=form.cleaned_data["cr_number"]
                ),
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            messages.success(
                request, _("Inspection %(number)s is opened.") % {"number": inspection.number}
            )
            return redirect("labourcare:inspection", number=inspection.number)
    return render(
        request,
        "labourcare/inspections/list.html",
        {"inspections": listed[:SHOWN], "form": form, "statuses": Inspection.Status.choices},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def queue(request):
    return render(
        request,
        "labourcare/inspections/queue.html",
        {"inspections": selectors.inspector_queue(user=request.user)[:SHOWN]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, number: str):
    inspection = selectors.inspection_for_staff(user=request.user, number=number)
    is_officer = selectors.is_manager(request.user)
    can_assign = is_officer and inspection.status == Inspection.Status.OPEN
    can_record = (
        inspection.status == Inspection.Status.ASSIGNED
        and inspection.inspector_id == request.user.pk
    )
    people = services.inspectors() if can_assign else []
    assign = (
        AssignForm(request.POST if can_assign else None, inspectors=people) if can_assign else None
    )
    result = ResultForm(request.POST if can_record else None) if can_record else None
    posted = assign or result
    if request.method == "POST" and posted is not None and posted.is_valid():
        data, actor, now = posted.cleaned_data, Actor.from_request(request), timezone.now()
        try:
            if posted is assign:
                services.inspection_assign(
                    actor=actor,
                    now=now,
                    inspection=inspection,
                    inspector=User.objects.get(pk=data["inspector"]),
                    visit_date=data["visit_date"],
                )
            else:
                services.inspection_complete(
                    actor=actor,
                    now=now,
                    inspection=inspection,
                    result=data["result"],
                    findings=data["findings"],
                )
        except DomainError as error:
            posted.add_error(None, error.text())
        else:
            messages.success(request, _("Inspection %(number)s is updated.") % {"number": number})
            return redirect("labourcare:inspection", number=number)
    return render(
        request,
        "labourcare/inspections/detail.html",
        {"inspection": inspection, "assign_form": assign, "result_form": result},
        status=400 if posted is not None and posted.errors else 200,
    )
