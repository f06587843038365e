"""The supervisors' page of officers' postings: each governorate they manage with its officers,
a form to post a labour-care officer there, and a button to end a posting. Thin: the selectors
read, the services decide (and refuse, shown on the page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.core.forms import add_refusal

from .. import services
from ..forms.complaints import PostingForm
from ..selectors import postings as selectors

FIELDS = {
    "officer_not_found": "username",
    "officer_posting_refused": "username",
    "governorate_not_found": "governorate",
}


@login_required
@require_http_methods(["GET", "POST"])
def postings(request):
    user = request.user
    governorates = selectors.require_manager(user)  # supervisors and administrators, else 404
    form = PostingForm(
        request.POST or None,
        governorates=governorates,
        supervisors=selectors.is_administrator(user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            posting = services.officer_post(
                actor=Actor.from_request(request),
                now=timezone.now(),
                officer=selectors.officer_by_username(username=data["username"]),
                governorate=data["governorate"],
                is_supervisor=data.get("is_supervisor", False),
            )
        except DomainError as error:
            add_refusal(form, error, FIELDS)
        else:
            messages.success(
                request,
                _("%(officer)s is posted to %(governorate)s.")
                % {"officer": posting.user.get_username(), "governorate": posting.governorate.name},
            )
            return redirect("labourcare:postings")
    return render(
        request,
        "labourcare/complaints/postings.html",
        {"form": form, "governorates": selectors.postings_by_governorate(user=user)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def end_posting(request, posting_id: int):
    posting = selectors.posting_for_manager(user=request.user, posting_id=posting_id)
    try:
        services.officer_unpost(
            actor=Actor.from_request(request), now=timezone.now(), posting=posting
        )
    except DomainError as error:
        messages.error(request, error.text())
    else:
        messages.success(
            request,
            _("The posting of %(officer)s to %(governorate)s has ended.")
            % {"officer": posting.user.get_username(), "governorate": posting.governorate.name},
        )
    return redirect("labourcare:postings")
