"""Read-only back office: every change goes through the services (and their audit events);
the CV's content is not shown here."""

from django.contrib import admin

from manpower.core.admin import ReadOnlyAdmin

from .models import Candidacy, JobSeeker, QualificationLevel, Vacancy


@admin.register(QualificationLevel)
class QualificationLevelAdmin(ReadOnlyAdmin):
    list_display = ["code", "rank", "name_en", "name_ar"]


@admin.register(Vacancy)
class VacancyAdmin(ReadOnlyAdmin):
    list_display = ["number", "title_en", "establishment", "status", "open_posts", "closing_date"]
    list_filter = ["status", "qualification_level"]
    search_fields = ["number", "establishment__cr_number"]
    exclude = ["search_text"]


@admin.register(JobSeeker)
class JobSeekerAdmin(ReadOnlyAdmin):
    list_display = ["civil_number", "name_en", "status", "highest_level", "register_status"]
    list_filter = ["status", "register_status"]
    search_fields = ["civil_number"]
    exclude = ["search_text"]


@admin.register(Candidacy)
class CandidacyAdmin(ReadOnlyAdmin):
    list_display = ["number", "vacancy", "seeker", "status", "applied_at"]
    list_filter = ["status"]
    search_fields = ["number", "vacancy__number", "seeker__civil_number"]
