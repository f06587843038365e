"""Read-only back office: every change goes through the services (and their audit events)."""

from django.contrib import admin

from .models import Licence, LicenceApplication, LicenceVacancy, VisaReservation


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LicenceApplication)
class LicenceApplicationAdmin(ReadOnly):
    list_display = ["number", "kind", "establishment", "household", "status", "submitted_at"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "establishment__cr_number", "household__civil_number"]


class VacancyInline(admin.TabularInline):
    model = LicenceVacancy
    fields = ["occupation", "nationality", "gender", "issued", "reserved", "used"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Licence)
class LicenceAdmin(ReadOnly):
    list_display = ["number", "kind", "establishment", "household", "status", "valid_until"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "establishment__cr_number", "household__civil_number"]
    inlines = [VacancyInline]


@admin.register(VisaReservation)
class VisaReservationAdmin(ReadOnly):
    list_display = ["visa_number", "vacancy", "status", "created_at", "arrived_at"]
    list_filter = ["status"]
    search_fields = ["visa_number", "vacancy__licence__number"]
