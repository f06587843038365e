"""Read-only back office: every change goes through the services (and their audit events)."""

from django.contrib import admin

from manpower.core.admin import ReadOnlyAdmin

from .models import Licence, LicenceApplication, LicenceVacancy, VisaReservation


@admin.register(LicenceApplication)
class LicenceApplicationAdmin(ReadOnlyAdmin):
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
class LicenceAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "establishment", "household", "status", "valid_until"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "establishment__cr_number", "household__civil_number"]
    inlines = [VacancyInline]


@admin.register(VisaReservation)
class VisaReservationAdmin(ReadOnlyAdmin):
    list_display = ["visa_number", "vacancy", "status", "created_at", "arrived_at"]
    list_filter = ["status"]
    search_fields = ["visa_number", "vacancy__licence__number"]
