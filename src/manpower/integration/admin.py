from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.core.actor import Actor
from manpower.core.errors import DomainError

from . import services
from .models import (
    Agency,
    CircuitBreaker,
    Delivery,
    FileExchange,
    MessageLog,
    OutboxEvent,
    PartnerCredential,
    QueuedCheck,
    Scope,
    Subscription,
)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ar", "name_en", "base_url"]
    search_fields = ["code", "name_ar", "name_en"]


class CredentialIssueForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    days = forms.IntegerField(label=_("valid for (days)"), min_value=1, required=False)

    class Meta:
        model = PartnerCredential
        fields = ["agency", "scopes", "rate_limit_per_minute"]


@admin.register(PartnerCredential)
class PartnerCredentialAdmin(admin.ModelAdmin):
    list_display = ["prefix", "agency", "scopes", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["agency"]
    search_fields = ["prefix", "agency__code"]
    readonly_fields = [
        "agency",
        "prefix",
        "scopes",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = CredentialIssueForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_exclude(self, request, obj=None):
        return self.exclude if obj else None

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["agency", "scopes", "days", "rate_limit_per_minute"]
        return super().get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        """A new key is issued by the service; the key is shown to the staff member once."""
        if change:
            return super().save_model(request, obj, form, change)
        credential, key = services.partner_key_create(
            actor=Actor.for_admin(request),
            agency=form.cleaned_data["agency"],
            scopes=form.cleaned_data["scopes"],
            days=form.cleaned_data.get("days"),
            rate_limit_per_minute=form.cleaned_data.get("rate_limit_per_minute"),
            now=timezone.now(),
        )
        for field in PartnerCredential._meta.concrete_fields:
            setattr(obj, field.attname, getattr(credential, field.attname))
        messages.warning(
            request,
            _("The new key is %(key)s — copy it now: it is not stored and will not be shown again.")
            % {"key": key},
        )

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for credential in queryset:
            try:
                services.partner_key_revoke(
                    actor=Actor.for_admin(request), prefix=credential.prefix, now=timezone.now()
                )
            except DomainError as exc:
                messages.error(request, exc.text())
        messages.success(request, _("The selected keys are revoked."))


@admin.register(MessageLog)
class MessageLogAdmin(admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "direction",
        "agency",
        "method",
        "endpoint",
        "status_code",
        "duration_ms",
        "request_id",
    ]
    list_filter = ["direction", "status_code", "agency", "occurred_at"]
    search_fields = ["=request_id", "endpoint", "=agency__code", "=payload_hash"]
    date_hierarchy = "occurred_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        """The log is evidence: it is read, never edited."""
        return False


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = ["id", "event_type", "subject", "created_at"]
    search_fields = ["=subject", "event_type"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["agency", "url", "event_types", "is_active"]
    list_filter = ["is_active", "agency"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "event",
        "subscription",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
    ]
    list_filter = ["status", "subscription__agency"]
    search_fields = ["=subject", "=event__id"]
    actions = ["redrive"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Re-drive the selected dead-lettered deliveries"))
    def redrive(self, request, queryset):
        count = services.deliveries_redrive(
            actor=Actor.for_admin(request), deliveries=queryset, now=timezone.now()
        )
        messages.success(request, _("%(count)s deliveries are queued again.") % {"count": count})


@admin.register(CircuitBreaker)
class CircuitBreakerAdmin(admin.ModelAdmin):
    list_display = ["agency", "state", "failures", "opened_at"]


@admin.register(QueuedCheck)
class QueuedCheckAdmin(admin.ModelAdmin):
    list_display = ["id", "check_name", "key", "status", "attempts", "created_at", "completed_at"]
    list_filter = ["status", "check_name"]
    search_fields = ["=key"]


@admin.register(FileExchange)
class FileExchangeAdmin(admin.ModelAdmin):
    """Exports made for agencies and imports they sent, with each import's line report."""

    list_display = [
        "created_at", "agency", "direction", "kind", "name", "row_count", "accepted_count",
        "rejected_count",
    ]  # fmt: skip
    list_filter = ["direction", "kind", "agency"]
    search_fields = ["=sha256", "name"]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
