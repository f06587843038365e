"""Portal pages of contracts: the employer's (register, list, detail, amend, terminate), the
worker's (my contracts, accept or refuse, confirm an amendment, resign, object) and the
officers' (contracts waiting for social insurance, objections). Thin: each reads through a
selector or calls one service; a rule the service refuses comes back as a message on the page.

A Sanad operator authorised for the establishment uses the employer's pages; the channel is
theirs (`Actor.from_request`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.core.forms import render_form
from manpower.core.money import rials_to_baisa
from manpower.registry import selectors as registry

from . import conf, selectors, services
from .forms import (
    DecisionForm,
    ObjectionForm,
    ReasonForm,
    RegistrationForm,
    ResignationForm,
    TerminationForm,
    TermsForm,
)

PER_PAGE = 25


def _employer(request, cr: str) -> Actor:
    return Actor.from_request(request, on_behalf_of=("establishment", cr))


def _worker(request) -> Actor:
    return Actor.from_request(request, on_behalf_of=("person", request.user.civil_number))


def _pdf(contract) -> HttpResponse:
    name = f"contract-{contract.number}.pdf"
    pdf = selectors.contract_certificate_pdf(contract=contract)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_GET
def index(request):
    """Where the catalogue's contract services start: the user's establishments, their own
    contracts, and for officers their queues."""
    return render(
        request,
        "contracts/index.html",
        {
            "establishments": registry.establishments_visible_to(request.user).order_by(
                "cr_number"
            )[:50]
            if not request.user.is_ministry_staff
            else [],
            "person": selectors.worker_person(user=request.user),
        },
    )


# --- The employer's pages ------------------------------------------------------------------------


@login_required
@require_GET
def establishment_list(request, cr: str):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr)
    page = Paginator(
        selectors.contracts_of_establishment(establishment=establishment), PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "contracts/list.html",
        {
            "establishment": establishment,
            "page": page,
            "contracts": page.object_list,
            "workers": selectors.workers_to_end(establishment=establishment)[:50],
            "ends": selectors.ends_of_establishment(establishment=establishment)[:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request, cr: str):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr)
    form = RegistrationForm(
        request.POST or None,
        initial={"governorate": establishment.governorate_id, "wilayat": establishment.wilayat_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contract = services.contract_register(
                actor=_employer(request, cr),
                now=timezone.now(),
                establishment=establishment,
                civil_number=data["civil_number"],
                occupation_code=data["occupation"],
                kind=data["kind"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                probation_months=data["probation_months"],
                weekly_hours=data["weekly_hours"],
                basic_wage_baisa=rials_to_baisa(data["basic_wage"]),
                allowances_baisa=rials_to_baisa(data["allowances"]),
                governorate_code=data["governorate"].code,
                wilayat_code=data["wilayat"].code,
            )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            messages.success(
                request,
                _("Contract %(number)s is registered; the worker is asked to accept it.")
                % {"number": contract.number},
            )
            return redirect("contracts:detail", cr=cr, number=contract.number)
    return render_form(
        request, "contracts/register.html", {"establishment": establishment, "form": form}, form
    )


@login_required
@require_GET
def detail(request, cr: str, number: str):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr)
    contract = selectors.contract_for_establishment(establishment=establishment, number=number)
    return render(
        request,
        "contracts/detail.html",
        {
            "establishment": establishment,
            "contract": contract,
            "amendments": selectors.amendments_of(contract=contract),
            "employer_view": True,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def amend(request, cr: str, number: str):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr)
    contract = selectors.contract_for_establishment(establishment=establishment, number=number)
    form = TermsForm(
        request.POST or None,
        initial={
            "occupation": contract.occupation.code,
            "weekly_hours": contract.weekly_hours,
            "basic_wage": contract.basic_wage_baisa / 1000,
            "allowances": contract.allowances_baisa / 1000,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.amendment_propose(
                actor=_employer(request, cr),
                now=timezone.now(),
                contract=contract,
                occupation_code=data["occupation"],
                weekly_hours=data["weekly_hours"],
                basic_wage_baisa=rials_to_baisa(data["basic_wage"]),
                allowances_baisa=rials_to_baisa(data["allowances"]),
            )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            messages.success(request, _("The new terms are sent to the worker to confirm."))
            return redirect("contracts:detail", cr=cr, number=number)
    return render_form(
        request,
        "contracts/amend.html",
        {"establishment": establishment, "contract": contract, "form": form},
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def terminate(request, cr: str, employment_id: int):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr)
    employment = selectors.employment_of_establishment(
        establishment=establishment, employment_id=employment_id
    )
    form = TerminationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.termination_submit(
                actor=_employer(request, cr),
                now=timezone.now(),
                employment=employment,
                ground=data["ground"],
                last_day=data["last_day"],
                reason=data["reason"],
            )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            messages.success(request, _("The termination is recorded; the worker is told."))
            return redirect("contracts:list", cr=cr)
    return render_form(
        request,
        "contracts/terminate.html",
        {
            "establishment": establishment,
            "employment": employment,
            "form": form,
            "objection_days": conf.OBJECTION_DAYS.value,
        },
        form,
    )


@login_required
@require_GET
def certificate(request, cr: str, number: str):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr)
    contract = selectors.contract_for_establishment(establishment=establishment, number=number)
    return _pdf(contract)


# --- The worker's pages --------------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    return render(
        request,
        "contracts/mine.html",
        {
            "person": selectors.worker_person(user=request.user),
            "contracts": selectors.contracts_of_worker(user=request.user)[:100],
            "employments": selectors.employments_of_worker(user=request.user).filter(
                end_of_service__isnull=True
            ),
            "ends": selectors.ends_of_worker(user=request.user)[:50],
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def mine_detail(request, number: str):
    contract = selectors.contract_for_worker(user=request.user, number=number)
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "amendments": selectors.amendments_of(contract=contract),
            "proposed": selectors.amendment_proposed(contract=contract),
            "refuse_form": ReasonForm(),
        },
    )


def _worker_action(request, number: str, act, done: str):
    contract = selectors.contract_for_worker(user=request.user, number=number)
    try:
        act(contract)
    except DomainError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, done)
    return redirect("contracts:mine-detail", number=number)


@login_required
@require_POST
def accept(request, number: str):
    def act(contract):
        services.contract_accept(actor=_worker(request), now=timezone.now(), contract=contract)

    return _worker_action(request, number, act, _("You accepted the contract."))


@login_required
@require_POST
def refuse(request, number: str):
    form = ReasonForm(request.POST)

    def act(contract):
        services.contract_refuse(
            actor=_worker(request),
            now=timezone.now(),
            contract=contract,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )

    return _worker_action(request, number, act, _("You refused the contract."))


@login_required
@require_POST
def amendment_answer(request, number: str, answer: str):
    if answer not in ("confirm", "decline"):
        raise Http404

    def act(contract):
        services.amendment_answer(
            actor=_worker(request),
            now=timezone.now(),
            contract=contract,
            confirm=answer == "confirm",
        )

    return _worker_action(request, number, act, _("Your answer is recorded."))


@login_required
@require_GET
def mine_certificate(request, number: str):
    contract = selectors.contract_for_worker(user=request.user, number=number)
    return _pdf(contract)


@login_required
@require_http_methods(["GET", "POST"])
def resign(request, employment_id: int):
    employment = selectors.employment_for_worker(user=request.user, employment_id=employment_id)
    form = ResignationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            end = services.resignation_submit(
                actor=_worker(request),
                now=timezone.now(),
                employment=employment,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            messages.success(
                request,
                _("Your resignation is recorded; your last working day is %(day)s.")
                % {"day": end.last_day.strftime("%d/%m/%Y")},
            )
            return redirect("contracts:mine")
    return render_form(
        request, "contracts/resign.html", {"employment": employment, "form": form}, form
    )


@login_required
@require_http_methods(["GET", "POST"])
def object_to(request, end_id: int):
    end = selectors.end_for_worker(user=request.user, end_id=end_id)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.termination_object(
                actor=_worker(request),
                now=timezone.now(),
                end=end,
                objection=form.cleaned_data["objection"],
            )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            messages.success(request, _("Your objection is recorded; an officer will see it."))
            return redirect("contracts:mine")
    return render_form(request, "contracts/object.html", {"end": end, "form": form}, form)


# --- Officers ------------------------------------------------------------------------------------


@login_required
@require_GET
def waiting(request):
    return render(
        request,
        "contracts/waiting.html",
        {
            "contracts": selectors.contracts_waiting_for_insurance(user=request.user)[:200],
            "form": DecisionForm(),
        },
    )


@login_required
@require_POST
def decide(request, number: str):
    contract = selectors.contract_for_officer(user=request.user, number=number)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and give the reason."))
        return redirect("contracts:waiting")
    try:
        services.contract_decide(
            actor=Actor.from_request(request),
            now=timezone.now(),
            contract=contract,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        messages.error(request, error.text())
    else:
        messages.success(request, _("Contract %(number)s is decided.") % {"number": number})
    return redirect("contracts:waiting")


@login_required
@require_GET
def objection_list(request):
    return render(
        request,
        "contracts/objections.html",
        {"ends": selectors.objections(user=request.user)[:200]},
    )
