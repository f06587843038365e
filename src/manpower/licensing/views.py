"""Portal pages of licensing: the employer's licences and applications, the application form,
and the officer's queue. Thin: each calls one selector or service."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from manpower.accounts.permissions import StaffAction, require_staff_action
from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.documents.selectors import document_pdf
from manpower.registry.selectors import establishment_for_user, establishments_visible_to

from . import selectors, services
from .forms import ApplyForm, CancelForm, DecisionForm, LineFormSet
from .models import Kind


@login_required
@require_GET
def licence_list(request):
    return render(
        request,
        "licensing/licence_list.html",
        {
            "licences": selectors.licences_visible_to(request.user)[:100],
            "applications": selectors.applications_visible_to(request.user)[:100],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply(request):
    establishments = establishments_visible_to(request.user).order_by("cr_number")
    form = ApplyForm(request.POST or None, establishments=establishments)
    lines = LineFormSet(request.POST or None, prefix="line")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        requested = [
            services.LineRequest(
                occupation_code=line["occupation_code"],
                nationality_code=line["nationality"].upper(),
                gender=line["gender"],
                count=line["count"],
            )
            for line in lines.cleaned_data
            if line.get("occupation_code")
        ]
        try:
            establishment = None
            if form.cleaned_data["kind"] == Kind.COMMERCIAL:
                establishment = establishment_for_user(
                    user=request.user, cr_number=form.cleaned_data["establishment"]
                )
            application = services.application_submit(
                actor=Actor.from_request(request),
                applicant=request.user,
                kind=form.cleaned_data["kind"],
                establishment=establishment,
                lines=requested,
                now=timezone.now(),
            )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            messages.success(request, _("Your application was submitted."))
            return redirect("licensing:application", number=application.number)
    return render(request, "licensing/apply.html", {"form": form, "lines": lines})


@login_required
@require_GET
def application_detail(request, number: str):
    application = selectors.application_for_user(user=request.user, number=number)
    return render(request, "licensing/application.html", {"application": application})


@login_required
@require_POST
def application_payment(request, number: str):
    """The applicant says it paid: issue the licence if the invoice is paid."""
    application = selectors.application_for_user(user=request.user, number=number)
    try:
        licence = services.application_payment_confirm(
            actor=Actor.from_request(request), application=application, now=timezone.now()
        )
    except DomainError as error:
        messages.error(request, error.text())
    else:
        if licence is None:
            messages.error(request, _("The invoice is not paid yet."))
        else:
            messages.success(request, _("Your licence was issued."))
            return redirect("licensing:licence", number=licence.number)
    return redirect("licensing:application", number=number)


@login_required
@require_GET
def licence_detail(request, number: str):
    licence = selectors.licence_for_user(user=request.user, number=number)
    visas = selectors.licence_visas(licence=licence)
    return render(
        request,
        "licensing/licence.html",
        {"licence": licence, "visas": visas, "form": CancelForm()},
    )


@login_required
@require_GET
def licence_pdf(request, number: str):
    licence = selectors.licence_for_user(user=request.user, number=number)
    if not licence.document_code:
        raise Http404
    response = HttpResponse(
        document_pdf(code=licence.document_code), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{licence.number}.pdf"'
    return response


@login_required
@require_POST
def licence_cancel(request, number: str):
    """The holder gives up unused vacancies; ministry staff cancel the licence outright."""
    licence = selectors.licence_for_user(user=request.user, number=number)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the cancellation."))
        return redirect("licensing:licence", number=number)
    try:
        services.licence_cancel(
            actor=Actor.from_request(request),
            licence=licence,
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
        )
    except DomainError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("The licence was changed."))
    return redirect("licensing:licence", number=number)


def _refusal_unless_decider(request):
    """The queue and the decision page are for staff who may decide licence applications
    (accounts.permissions); anyone else is told why, in a 403 page."""
    try:
        require_staff_action(
            actor=Actor.from_request(request), action=StaffAction.DECIDE_LICENCE_APPLICATION
        )
    except DomainError as error:
        return render(request, "licensing/refused.html", {"message": error.text()}, status=403)
    return None


@login_required
@require_GET
def queue(request):
    if refusal := _refusal_unless_decider(request):
        return refusal
    return render(
        request,
        "licensing/queue.html",
        {"applications": selectors.officer_queue(user=request.user)[:200]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, number: str):
    if refusal := _refusal_unless_decider(request):
        return refusal
    application = selectors.application_for_user(user=request.user, number=number)
    form = DecisionForm(
        request.POST if request.method == "POST" else None, lines=application.lines.all()
    )
    if request.method == "POST" and form.is_valid():
        actor, now = Actor.from_request(request), timezone.now()
        reason = form.cleaned_data["reason"]
        try:
            if form.cleaned_data["decision"] == "approve":
                services.application_approve(
                    actor=actor,
                    application=application,
                    reason=reason,
                    granted=form.granted(),
                    now=now,
                )
            else:
                services.application_reject(
                    actor=actor, application=application, reason=reason, now=now
                )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("licensing:queue")
    return render(request, "licensing/decide.html", {"application": application, "form": form})


# --- The Omanisation compliance certificate ------------------------------------------------------


@login_required
@require_GET
def omanisation_list(request):
    """The user's establishments with their share of nationals: each leads to its certificate."""
    return render(
        request,
        "licensing/omanisation_list.html",
        {"establishments": selectors.omanisation_establishments(user=request.user)[:100]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def omanisation_detail(request, cr: str):
    """Where the establishment stands; the representative asks for the certificate here and is
    told, with the figures, why when it is refused."""
    now = timezone.now()
    found = selectors.omanisation_for_user(
        user=request.user, cr_number=cr, today=timezone.localdate(now)
    )
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            answer = services.omanisation_certificate_issue(
                actor=Actor.from_request(request), establishment=found.establishment, now=now
            )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            messages.success(
                request,
                _("The certificate was issued.")
                if answer.created
                else _("The establishment already holds a valid certificate."),
            )
            return redirect("licensing:omanisation", cr=cr)
    return render(
        request,
        "licensing/omanisation.html",
        {"found": found, "standing": found.standing, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def omanisation_pdf(request, cr: str, number: str):
    certificate = selectors.omanisation_certificate_for_user(
        user=request.user, cr_number=cr, number=number
    )
    response = HttpResponse(
        document_pdf(code=certificate.document_code), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response
