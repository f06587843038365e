"""Back-office views of the reference tables and the audit log, read-only.

Reference rows come from the data files through migrations (`reference.load`) and audit
events only from `audit.record`; editing either here would bypass that, so staff may only look.
"""

from django.contrib import admin

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
