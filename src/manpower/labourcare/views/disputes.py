"""The labour-care officer's page of criminal and debt disputes between an employer and a
worker: record one (found by the CR number and the worker's civil number), and the list of
those recorded, the newest first. Thin: the selectors find, the service decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.core.forms import add_refusal

from .. import services
from ..forms.absconding import DisputeForm
from ..selectors import disputes as selectors

PER_PAGE = 25
# A refusal shown by the field it is about (the others at the top of the form).
FIELDS = {
    "establishment_not_found": "cr_number",
    "person_not_found": "civil_number",
    "worker_not_found": "civil_number",
}


@login_required
@require_http_methods(["GET", "POST"])
def disputes(request):
    recorded = selectors.disputes_recorded(user=request.user)  # officers only, else 404
    form = DisputeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dispute = services.dispute_record(
                actor=Actor.from_request(request),
                now=timezone.now(),
                employment=selectors.employment_for_dispute(
                    user=request.user,
                    cr_number=data["cr_number"],
                    civil_number=data["civil_number"],
                ),
                kind=data["kind"],
                started_date=data["started_date"],
                reference=data["reference"],
                description=data["description"],
            )
        except DomainError as error:
            add_refusal(form, error, FIELDS)
        else:
            messages.success(
                request,
                _("Case %(reference)s is recorded: it bars reports of an absence after %(date)s.")
                % {
                    "reference": dispute.reference,
                    "date": dispute.started_date.strftime("%d/%m/%Y"),
                },
            )
            return redirect("labourcare:disputes")
    return render(
        request,
        "labourcare/absconding/disputes.html",
        {"form": form, "page": Paginator(recorded, PER_PAGE).get_page(request.GET.get("page"))},
        status=400 if form.errors else 200,
    )
