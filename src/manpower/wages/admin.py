"""Back-office views of the banks, the salary files and their archives: read-only, as the
services write them."""

from django.contrib import admin

from manpower.core.admin import ReadOnlyAdmin

from .models import Bank, LineError, SalaryArchive, SalaryFile


@admin.register(Bank)
class BankAdmin(ReadOnlyAdmin):
    list_display = ("code", "bic", "name_en", "name_ar")
    search_fields = ("code", "bic", "name_en", "name_ar")


@admin.register(SalaryArchive)
class SalaryArchiveAdmin(ReadOnlyAdmin):
    list_display = (
        "file_name",
        "status",
        "members_total",
        "files_checked",
        "files_total",
        "lines_checked",
        "lines_total",
        "submitted_by_label",
        "received_at",
    )
    list_filter = ("status", "channel")
    search_fields = ("file_name", "=sha256", "submitted_by_label")


@admin.register(SalaryFile)
class SalaryFileAdmin(ReadOnlyAdmin):
    list_display = (
        "file_name",
        "establishment",
        "bank",
        "salary_year",
        "salary_month",
        "status",
        "lines_checked",
        "lines_total",
        "error_count",
        "received_at",
    )
    list_filter = ("status", "bank", "channel")
    search_fields = ("file_name", "name_cr", "sha256")
    list_select_related = ("establishment", "bank")


@admin.register(LineError)
class LineErrorAdmin(ReadOnlyAdmin):
    list_display = ("file", "line_number", "field", "code", "employee_id", "message_en")
    list_filter = ("code",)
    search_fields = ("file__file_name", "employee_id")
    list_select_related = ("file",)
