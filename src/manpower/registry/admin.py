from django.contrib import admin

from .models import Employment, Establishment, Person, Representation


@admin.register(Establishment)
class EstablishmentAdmin(admin.ModelAdmin):
    list_display = ["cr_number", "name_ar", "name_en", "governorate", "size", "status"]
    list_filter = ["status", "size", "legal_form", "governorate"]
    search_fields = ["=cr_number", "name_ar", "name_en", "=chamber_number"]
    raw_id_fields = ["activity", "wilayat"]
    show_full_result_count = False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["civil_number", "name_en", "name_ar", "nationality", "is_national"]
    list_filter = ["is_national", "gender"]
    search_fields = ["=civil_number", "=passport_number", "name_en"]
    raw_id_fields = ["nationality"]
    show_full_result_count = False


@admin.register(Employment)
class EmploymentAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "person",
        "establishment",
        "household",
        "occupation",
        "status",
        "start_date",
    ]
    list_filter = ["status"]
    search_fields = [
        "=person__civil_number",
        "=establishment__cr_number",
        "=household__civil_number",
    ]
    raw_id_fields = ["person", "establishment", "household", "occupation"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        """The ledger changes only through services, so that every change is audited."""
        return False


@admin.register(Representation)
class RepresentationAdmin(admin.ModelAdmin):
    list_display = ["user", "establishment", "granted_at"]
    search_fields = ["=establishment__cr_number", "user__username"]
    raw_id_fields = ["user", "establishment"]
