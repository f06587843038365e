"""Portal pages for paying an invoice and fetching its receipt, the sandbox gateway's hosted
card page, and the gateways' callback endpoint. Thin: each calls one service or selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from manpower.accounts.models import Role
from manpower.core.actor import Actor
from manpower.core.errors import DomainError

from . import gateways, selectors, services
from .forms import CounterFindForm, CounterPaymentForm


@login_required
@require_GET
def invoice_list(request):
    invoices = selectors.invoices_payable_by(request.user).order_by("-created_at", "-id")[:100]
    return render(request, "payments/invoice_list.html", {"invoices": invoices})


@login_required
@require_GET
def invoice_detail(request, number: str):
    invoice = selectors.invoice_for_payer(user=request.user, number=number)
    return render(request, "payments/invoice.html", {"invoice": invoice, "now": timezone.now()})


@login_required
@require_POST
def invoice_pay(request, number: str):
    invoice = selectors.invoice_for_payer(user=request.user, number=number)
    try:
        session = services.payment_session_start(
            actor=Actor.from_request(request), now=timezone.now(), invoice=invoice
        )
    except DomainError as error:
        messages.error(request, error.text())
        return redirect("payments:invoice", number=number)
    return redirect(gateways.gateway(session.gateway).payment_page_url(session.token))


@login_required
@require_http_methods(["GET", "POST"])
def counter(request):
    """The Sanad counter: find an invoice by the number the payer gives, take its payment once
    the operator confirms the money is in hand."""
    if request.user.role != Role.SANAD_OPERATOR:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    find = CounterFindForm(data if "number" in data else None)
    pay = CounterPaymentForm(request.POST if request.method == "POST" else None)
    invoice = None
    if find.is_valid():
        try:
            invoice = selectors.invoice_at_counter(
                user=request.user, number=find.cleaned_data["number"]
            )
        except DomainError as error:
            find.add_error("number", error.text())
    if invoice is not None and request.method == "POST" and pay.is_valid():
        try:
            services.sanad_counter_payment(
                actor=Actor.from_request(request),
                now=timezone.now(),
                invoice=invoice,
                centre_code=request.user.username.upper()[:20],
            )
        except DomainError as error:
            pay.add_error(None, error.text())
        else:
            messages.success(
                request,
                _("Payment taken: invoice %(number)s is paid.") % {"number": invoice.number},
            )
            return redirect(f"{reverse('payments:counter')}?number={invoice.number}")
    context = {"find": find, "pay": pay if invoice else None, "invoice": invoice}
    return render(request, "payments/counter.html", context | {"now": timezone.now()})


def _receipt_response(pdf: bytes, number: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{number}.pdf"'
    return response


@login_required
@require_GET
def receipt(request, number: str):
    return _receipt_response(
        selectors.receipt_pdf_for_payer(user=request.user, number=number), number
    )


@login_required
@require_GET
def counter_receipt(request, number: str):
    return _receipt_response(
        selectors.receipt_pdf_at_counter(user=request.user, number=number), number
    )


@login_required
@require_GET
def payment_return(request, token: str):
    session = selectors.session_by_token(token)
    invoice = selectors.invoice_for_payer(user=request.user, number=session.invoice.number)
    return render(request, "payments/return.html", {"session": session, "invoice": invoice})


@require_http_methods(["GET", "POST"])
def sandbox_pay(request, token: str):
    """The sandbox bank's hosted card page. On submit it charges the test card, sends the
    signed callback to the ministry (in process: this server is the bank too) and returns the
    payer to the ministry's return page."""
    session = selectors.session_by_token(token)
    error = None
    if request.method == "POST":
        now = timezone.now()
        try:
            _charge, callback = services.sandbox_charge(
                now=now, session=session, card_number=request.POST.get("card_number", "")
            )
        except DomainError as problem:
            error = problem.text()
        else:
            services.gateway_callback_receive(
                actor=Actor.system("sandbox-gateway"),
                now=now,
                gateway=gateways.SANDBOX,
                body=callback.body,
                signature=callback.signature,
            )
            return redirect("payments:return", token=token)
    return render(
        request,
        "payments/sandbox_pay.html",
        {"session": session, "error": error},
        status=400 if error else 200,
    )


@csrf_exempt
@require_POST
def sandbox_callback(request):
    answer = services.gateway_callback_receive(
        actor=Actor.system("sandbox-gateway"),
        now=timezone.now(),
        gateway=gateways.SANDBOX,
        body=request.body,
        signature=request.headers.get(gateways.SIGNATURE_HEADER, ""),
    )
    return JsonResponse(
        {"result": answer.result, "duplicate": answer.duplicate}, status=answer.http_status
    )
