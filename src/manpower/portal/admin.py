from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Service


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_ar",
        "name_en",
        "category",
        "fee_baisa",
        "channel_web",
        "channel_mobile",
        "channel_sanad",
        "is_online",
        "position",
    ]
    list_filter = [
        "category",
        "is_online",
        "channel_sanad",
        "channel_mobile",
        "for_establishments",
        "for_individuals",
        "for_job_seekers",
    ]
    list_editable = ["position", "is_online"]
    search_fields = ["code", "name_ar", "name_en"]
    fieldsets = [
        (None, {"fields": ["code", "category", "position", "is_online"]}),
        (
            _("Arabic"),
            {
                "fields": [
                    "name_ar",
                    "description_ar",
                    "required_data_ar",
                    "expected_time_ar",
                    "fee_note_ar",
                ]
            },
        ),
        (
            _("English"),
            {
                "fields": [
                    "name_en",
                    "description_en",
                    "required_data_en",
                    "expected_time_en",
                    "fee_note_en",
                ]
            },
        ),
        (
            _("Audience, channels and fee"),
            {
                "fields": [
                    "for_establishments",
                    "for_individuals",
                    "for_job_seekers",
                    "for_students",
                    "for_agencies",
                    "channel_web",
                    "channel_mobile",
                    "channel_sanad",
                    "fee_baisa",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        """The code is the key other apps and the API refer to: fixed once created."""
        return ["code"] if obj else []
