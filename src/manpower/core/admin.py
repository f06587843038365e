"""Back-office views of the reference tables and the audit log, read-only.

Reference rows come from the data files through migrations (`reference.load`) and audit
events only from `audit.record`; editing either here would bypass that, so staff may only look.
"""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actor import Actor
from .errors import DomainError
from .models import AuditEvent, EconomicActivity, Governorate, Nationality, Occupation, Wilayat


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the services: staff look, and act through admin actions that call
    the services (and so write their audit events)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea)


def action_with_form(
    modeladmin, request, queryset, *, form_class, title, apply, initial=None
) -> TemplateResponse | None:
    """An admin action that asks for a reason (and what else `form_class` asks, starting from
    `initial`) on an intermediate page, then calls `apply(obj, form.cleaned_data)`, a service,
    for each selected row; a refusal is shown as a message, not raised."""
    form = form_class(request.POST if "apply" in request.POST else None, initial=initial)
    if form.is_bound and form.is_valid():
        done = 0
        for obj in queryset:
            try:
                apply(obj, form.cleaned_data)
            except DomainError as error:
                modeladmin.message_user(request, f"{obj}: {error.text()}", messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(
                request, _("%(count)d done.") % {"count": done}, messages.SUCCESS
            )
        return None
    return TemplateResponse(
        request,
        "admin/action_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "objects": queryset,
            "action": request.POST["action"],
            "opts": modeladmin.model._meta,
        },
    )


def reason_action(modeladmin, request, queryset, *, title, service, subject: str):
    """The common admin action: ask for a reason, then call `service(actor=, now=, <subject>=row,
    reason=)` for each selected row, as the staff member through the admin."""
    actor, now = Actor.for_admin(request), timezone.now()
    return action_with_form(
        modeladmin,
        request,
        queryset,
        form_class=ReasonForm,
        title=title,
        apply=lambda obj, data: service(
            actor=actor, now=now, reason=data["reason"], **{subject: obj}
        ),
    )


@admin.register(Nationality)
class NationalityAdmin(ReadOnlyAdmin):
    list_display = ["code", "alpha2", "name_en", "name_ar"]
    search_fields = ["=code", "=alpha2", "name_en", "name_ar"]


@admin.register(Governorate)
class GovernorateAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_en", "name_ar"]
    search_fields = ["=code", "name_en", "name_ar"]


@admin.register(Wilayat)
class WilayatAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_en", "name_ar", "governorate"]
    list_filter = ["governorate"]
    list_select_related = ["governorate"]
    search_fields = ["=code", "name_en", "name_ar"]


@admin.register(Occupation)
class OccupationAdmin(ReadOnlyAdmin):
    list_display = ["code", "level", "name_en", "name_ar", "parent"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["code", "name_en", "name_ar"]


@admin.register(EconomicActivity)
class EconomicActivityAdmin(ReadOnlyAdmin):
    list_display = ["code", "level", "name_en", "name_ar", "parent"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["=code", "name_en", "name_ar"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["seq", "occurred_at", "action", "object_type", "object_id", "actor_label"]
    list_filter = ["channel", "object_type"]
    search_fields = ["=object_id", "=action", "=actor_label", "=request_id"]
    date_hierarchy = "occurred_at"
    show_full_result_count = False
