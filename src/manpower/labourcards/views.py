"""Portal pages of an employer's labour cards. Thin: each reads through a selector or calls one
service; a rule the service refuses comes back as a message on the page.

The employer in an address (`cr`) is an establishment's CR number or `household`: the signed-in
individual's household, whose domestic workers' cards are served by the same pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.core.forms import add_refusal
from manpower.core.money import rials_to_baisa
from manpower.registry import selectors as registry

from . import conf, selectors, services
from .forms import CardListForm, IssueForm, ModificationForm, TransferForm

# A refusal of the transfer service by the field it is about (by the error's code).
_WORKER = "resident_card_number"
_LICENCE = "licence_number"
TRANSFER_REFUSALS = {
    "worker_not_found": _WORKER,
    "national_needs_no_card": _WORKER,
    "household_worker_not_transferable": _WORKER,
    "employment_not_active": _WORKER,
    "same_employer": _WORKER,
    "transfer_pending": _WORKER,
    "licence_not_found": _LICENCE,
    "licence_expired": _LICENCE,
    "licence_cancelled": _LICENCE,
    "no_vacancy": _LICENCE,
    "unknown_occupation": "occupation",
    "unknown_transfer_reason": "reason",
}
MODIFICATION_REFUSALS = {"identifier_taken": "civil_number"}


def _actor(request, cr: str) -> Actor:
    """The signed-in user acting for the employer named in the address."""
    principal = (
        ("household", request.user.civil_number)
        if cr == selectors.HOUSEHOLD
        else ("establishment", cr)
    )
    return Actor.from_request(request, on_behalf_of=principal)


def _to_invoice(request, cr: str, card_request):
    messages.success(
        request,
        _("Invoice %(number)s was issued. Pay it, then complete the request here.")
        % {"number": card_request.invoice.number},
    )
    return redirect("labourcards:cards", cr=cr)


CARDS_PER_PAGE = 25


@login_required
@require_GET
def cards(request, cr: str):
    employer = selectors.employer_for_user(user=request.user, key=cr)
    establishment = employer.establishment
    today = timezone.localdate()
    filters = CardListForm(request.GET)
    wanted = filters.cleaned_data if filters.is_valid() else {"q": "", "show": ""}
    listed = selectors.cards_for_list(
        employer=employer, today=today, search=wanted["q"].strip(), show=wanted["show"]
    )
    page = Paginator(listed, CARDS_PER_PAGE).get_page(request.GET.get("page"))
    due = {card.pk for card in page if card.due_for_renewal}
    return render(
        request,
        "labourcards/cards.html",
        {
            "employer": employer,
            "establishment": establishment,
            "filters": filters,
            "filtered": bool(wanted["q"] or wanted["show"]),
            "page": page,
            "cards": page.object_list,
            "due": due,
            "due_count": len(selectors.cards_due_for_renewal(employer=employer, today=today)),
            "window_days": conf.RENEWAL_WINDOW_DAYS.value,
            "without_card": selectors.workers_without_card(employer=employer)[:100]
            if wanted["show"] in ("", "no-card")
            else [],
            "requests": selectors.requests_of_employer(employer=employer)[:50],
            "transfers": selectors.transfers_for_establishment(establishment=establishment)[:50]
            if establishment
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def issue(request, cr: str, employment_id: int):
    """The card request's own page: the worker, the card kind and the resident card number."""
    employer = selectors.employer_for_user(user=request.user, key=cr)
    employment = selectors.employment_for_user(
        user=request.user, employer_key=cr, employment_id=employment_id
    )
    form = IssueForm(request.POST or None, household=employer.establishment is None)
    if request.method == "POST" and form.is_valid():
        try:
            card_request = services.card_issue_request(
                actor=_actor(request, cr),
                now=timezone.now(),
                employment=employment,
                kind=form.cleaned_data["kind"],
                resident_card_number=form.cleaned_data["resident_card_number"],
            )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            return _to_invoice(request, cr, card_request)
    return render(
        request,
        "labourcards/issue.html",
        {
            "employer": employer,
            "establishment": employer.establishment,
            "employment": employment,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _card_action(service):
    """A POST on one card that opens a paid request (renewal, departure form)."""

    @login_required
    @require_POST
    def view(request, cr: str, number: str):
        card = selectors.card_for_user(
            user=request.user, employer_key=cr, number=number, today=timezone.localdate()
        )
        try:
            card_request = service(actor=_actor(request, cr), now=timezone.now(), card=card)
        except DomainError as error:
            messages.error(request, error.text())
            return redirect("labourcards:cards", cr=cr)
        return _to_invoice(request, cr, card_request)

    return view


renew = _card_action(services.card_renewal_request)
departure_form = _card_action(services.departure_form_request)


@login_required
@require_POST
def complete(request, cr: str, request_id: int):
    card_request = selectors.request_for_user(
        user=request.user, employer_key=cr, request_id=request_id
    )
    try:
        services.card_request_complete(
            actor=_actor(request, cr), now=timezone.now(), request=card_request
        )
    except DomainError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("The request is complete."))
    return redirect("labourcards:cards", cr=cr)


@login_required
@require_http_methods(["GET", "POST"])
def modify(request, cr: str, number: str):
    card = selectors.card_for_user(
        user=request.user, employer_key=cr, number=number, today=timezone.localdate()
    )
    form = ModificationForm.for_card(card, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.worker_data_modify(
                actor=_actor(request, cr), now=timezone.now(), card=card, **form.cleaned_data
            )
        except DomainError as error:
            add_refusal(form, error, MODIFICATION_REFUSALS)
        else:
            messages.success(request, _("The worker's data was changed."))
            return redirect("labourcards:cards", cr=cr)
    return render(
        request,
        "labourcards/modify.html",
        {
            "employer": selectors.Employer.of(card.employment),
            "establishment": card.employment.establishment,
            "card": card,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_GET
def card_pdf(request, cr: str, number: str):
    pdf = selectors.card_pdf_for_user(user=request.user, employer_key=cr, number=number)
    return _pdf(pdf, f"labour-card-{number}.pdf")


@login_required
@require_GET
def request_pdf(request, cr: str, request_id: int):
    pdf = selectors.request_pdf_for_user(user=request.user, employer_key=cr, request_id=request_id)
    return _pdf(pdf, f"departure-form-{request_id}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def transfer_new(request, cr: str):
    establishment = registry.establishment_for_user(user=request.user, cr_number=cr)
    form = TransferForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            employment = selectors.employment_to_transfer(
                resident_card_number=data["resident_card_number"]
            )
            transfer = services.transfer_request(
                actor=_actor(request, cr),
                now=timezone.now(),
                employment=employment,
                to_establishment=establishment,
                licence_number=data["licence_number"],
                occupation_code=data["occupation"],
                basic_wage_baisa=rials_to_baisa(data["basic_wage"]),
                reason=data["reason"],
            )
        except DomainError as error:
            add_refusal(form, error, TRANSFER_REFUSALS)
        else:
            messages.success(
                request,
                _(
                    "Invoice %(number)s was issued for the transfer fee. The worker moves once it "
                    "is paid and the current employer has agreed (when its agreement is needed)."
                )
                % {"number": transfer.invoice.number},
            )
            return redirect("labourcards:cards", cr=cr)
    return render(
        request,
        "labourcards/transfer.html",
        {"establishment": establishment, "form": form},
        status=400 if form.errors else 200,
    )


def _transfer_decision(service, lookup, done_message):
    """A POST on one transfer: the current employer's answer (`lookup` scopes it to the current
    employer) or the new employer's payment and withdrawal (scoped to the new employer).
    `done_message` is a message, or a function of the transfer that gives it."""

    @login_required
    @require_POST
    def view(request, cr: str, transfer_id: int):
        transfer = lookup(user=request.user, cr_number=cr, transfer_id=transfer_id)
        try:
            transfer = service(actor=_actor(request, cr), now=timezone.now(), transfer=transfer)
        except DomainError as error:
            messages.error(request, error.text())
        else:
            messages.success(
                request, done_message(transfer) if callable(done_message) else done_message
            )
        return redirect("labourcards:cards", cr=cr)

    return view


def _moved_or_waiting(transfer) -> str:
    if transfer.status == services.T.COMPLETED:
        return _("The worker was transferred to the new employer.")
    if transfer.status == services.T.AWAITING_PAYMENT:
        return _("You agreed. The worker moves once the new employer pays the transfer fee.")
    return _("The transfer still waits for the current employer's agreement.")


transfer_consent = _transfer_decision(
    services.transfer_consent, selectors.transfer_for_current_employer, _moved_or_waiting
)
transfer_refuse = _transfer_decision(
    services.transfer_refuse,
    selectors.transfer_for_current_employer,
    gettext_lazy("The transfer was refused."),
)
transfer_complete = _transfer_decision(
    services.transfer_payment_confirm, selectors.transfer_for_new_employer, _moved_or_waiting
)
transfer_cancel = _transfer_decision(
    services.transfer_cancel,
    selectors.transfer_for_new_employer,
    gettext_lazy("The transfer request was withdrawn."),
)
