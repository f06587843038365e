from django.contrib import admin

from manpower.core.admin import ReadOnlyAdmin

from .models import College, Course, ImportBatch, Intake, Programme, Student


@admin.register(College)
class CollegeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_en", "name_ar")


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("college", "code", "level", "specialisation_en", "credits_required")
    list_filter = ("college", "level")


@admin.register(Intake)
class IntakeAdmin(ReadOnlyAdmin):
    list_display = ("college", "code", "start_date")


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ("college", "code", "title_en", "credits")


@admin.register(Student)
class StudentAdmin(ReadOnlyAdmin):
    list_display = ("civil_number", "college", "programme", "status", "graduated_date")
    list_filter = ("college", "status")
    search_fields = ("civil_number",)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "college", "kind", "status", "lines_total", "error_count")
    list_filter = ("college", "kind", "status")
