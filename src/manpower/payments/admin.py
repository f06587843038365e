"""Staff screens for money: the fee schedule, invoices, payments and settlement reports.

Nothing here writes a row itself: a new fee, a cancellation, a refund, a settled refund and a
settlement import each go through their service, so each is checked and audited. A fee is never
edited (invoices copied it); a change of fee is a new row from a later date.
"""

import datetime as dt

from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.core.actor import Actor
from manpower.core.admin import ReadOnlyAdmin, ReasonForm, action_with_form, reason_action
from manpower.core.errors import DomainError
from manpower.core.money import format_omr, rials_to_baisa

from . import gateways, services
from .models import (
    Fee,
    GatewayCallback,
    Invoice,
    InvoiceLine,
    Payment,
    Refund,
    SettlementReport,
)

# --- The fee schedule ------------------------------------------------------------------------


class FeeForm(forms.ModelForm):
    class Meta:
        model = Fee
        fields = ["service_code", "name_en", "name_ar", "amount_baisa", "effective_from_date"]

    def clean_amount_baisa(self):
        amount = self.cleaned_data["amount_baisa"]
        if amount <= 0:
            raise forms.ValidationError(_("A fee must be more than zero."))
        return amount

    def clean_effective_from_date(self):
        """A new fee starts today or later: days already billed keep the fee they had."""
        effective = self.cleaned_data["effective_from_date"]
        if effective < timezone.localdate():
            raise forms.ValidationError(_("A new fee cannot start in the past."))
        return effective


@admin.register(Fee)
class FeeAdmin(admin.ModelAdmin):
    form = FeeForm
    list_display = ["service_code", "name_en", "name_ar", "amount", "effective_from_date"]
    list_filter = ["service_code"]
    search_fields = ["service_code", "name_en", "name_ar"]

    @admin.display(description=_("amount"))
    def amount(self, fee):
        return format_omr(fee.amount_baisa)

    def has_change_permission(self, request, obj=None):
        """Invoices copied the fee they billed; a change of fee is a new row."""
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fee = services.fee_set(
            actor=Actor.for_admin(request), now=timezone.now(), **form.cleaned_data
        )
        obj.pk = fee.pk


# --- Actions that need a reason --------------------------------------------------------------


class RefundForm(ReasonForm):
    amount_omr = forms.DecimalField(
        label=_("Amount to refund (OMR)"),
        required=False,
        min_value=0,
        decimal_places=3,
        help_text=_("Leave empty to refund all that is left on each invoice."),
    )


# --- Invoices and payments --------------------------------------------------------------------


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    fields = ["description_en", "description_ar", "quantity", "unit_baisa", "amount_baisa"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class RefundInline(admin.TabularInline):
    model = Refund
    fields = ["refunded_at", "amount_baisa", "reason", "refunded_by_user_id"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "service_code",
        "payer_name_en",
        "payer_cr_number",
        "amount_display",
        "status",
        "created_at",
        "expires_at",
    ]
    list_filter = ["status", "service_code"]
    search_fields = ["=number", "=payer_cr_number", "payer_name_en"]
    date_hierarchy = "created_at"
    inlines = [InvoiceLineInline, RefundInline]
    actions = ["cancel", "refund"]
    show_full_result_count = False

    @admin.action(description=_("Cancel the selected unpaid invoices"))
    def cancel(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            title=_("Cancel invoices"),
            service=services.invoice_cancel,
            subject="invoice",
        )

    @admin.action(description=_("Refund the selected paid invoices"))
    def refund(self, request, queryset):
        now = timezone.now()

        def apply(invoice, data):
            amount = data["amount_omr"]
            services.invoice_refund(
                actor=Actor.for_admin(request),
                now=now,
                invoice=invoice,
                amount_baisa=invoice.refundable_baisa if amount is None else rials_to_baisa(amount),
                reason=data["reason"],
            )

        return action_with_form(
            self, request, queryset, form_class=RefundForm, title=_("Refund invoices"), apply=apply
        )


class RefundDueFilter(admin.SimpleListFilter):
    title = _("refund")
    parameter_name = "refund"

    def lookups(self, request, model_admin):
        return [("due", _("To be refunded")), ("settled", _("Refunded"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.filter(refund_due=True, refund_settled_at__isnull=True)
        if self.value() == "settled":
            return queryset.filter(refund_settled_at__isnull=False)
        return queryset


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "received_at",
        "channel",
        "transaction_id",
        "invoice_number",
        "amount",
        "outcome",
        "refund_due",
        "refund_settled_at",
    ]
    list_filter = [RefundDueFilter, "outcome", "channel"]
    search_fields = ["=transaction_id", "=invoice_number"]
    actions = ["settle_refund"]
    show_full_result_count = False

    @admin.display(description=_("amount"))
    def amount(self, payment):
        return format_omr(payment.amount_baisa)

    @admin.action(description=_("Record that the money was given back"))
    def settle_refund(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            title=_("Settle refunds"),
            service=services.payment_refund_settle,
            subject="payment",
        )


@admin.register(GatewayCallback)
class GatewayCallbackAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "gateway", "transaction_id", "signature_valid", "result"]
    list_filter = ["gateway", "signature_valid", "result"]
    search_fields = ["=transaction_id"]
    show_full_result_count = False


# --- Settlement reports ----------------------------------------------------------------------


class SettlementImportForm(forms.Form):
    gateway = forms.ChoiceField(
        label=_("Gateway"), choices=[(name, name) for name in gateways.GATEWAYS]
    )
    settlement_date = forms.DateField(
        label=_("Settlement date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(label=_("Settlement file (CSV)"))


@admin.register(SettlementReport)
class SettlementReportAdmin(ReadOnlyAdmin):
    list_display = ["settlement_date", "gateway", "matched", "imported_at"]
    list_filter = ["gateway"]

    def has_add_permission(self, request):
        """Adding a report means importing a settlement file."""
        return request.user.has_perm("payments.add_settlementreport")

    def add_view(self, request, form_url="", extra_context=None):
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        form = SettlementImportForm(
            request.POST or None, request.FILES or None, initial={"settlement_date": yesterday}
        )
        if request.method == "POST" and form.is_valid():
            try:
                report = services.settlement_import(
                    actor=Actor.for_admin(request),
                    now=timezone.now(),
                    gateway=form.cleaned_data["gateway"],
                    settlement_date=form.cleaned_data["settlement_date"],
                    csv_text=form.cleaned_data["file"].read().decode("utf-8-sig"),
                )
            except (DomainError, UnicodeDecodeError) as error:
                text = error.text() if isinstance(error, DomainError) else str(error)
                form.add_error("file", text)
            else:
                return HttpResponseRedirect(
                    reverse("admin:payments_settlementreport_change", args=[report.pk])
                )
        return TemplateResponse(
            request,
            "admin/payments/settlement_import.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Import a settlement file"),
                "form": form,
                "opts": self.model._meta,
            },
        )
