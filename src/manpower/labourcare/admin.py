"""Read-only back office of labour care's disputes and officers' postings: changes go through
the services (and their audit events); ending postings is an admin action that calls one."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.core.actor import Actor
from manpower.core.admin import ReadOnlyAdmin
from manpower.core.errors import DomainError

from . import services
from .models import DisputeRecord, OfficerPosting


@admin.register(DisputeRecord)
class DisputeRecordAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "employment", "started_date", "recorded_at"]
    list_filter = ["kind"]
    list_select_related = ["employment"]
    search_fields = [
        "=reference",
        "=employment__person__civil_number",
        "=employment__establishment__cr_number",
    ]
    date_hierarchy = "recorded_at"


@admin.register(OfficerPosting)
class OfficerPostingAdmin(ReadOnlyAdmin):
    list_display = ["user", "governorate", "is_supervisor", "posted_at"]
    list_filter = ["governorate", "is_supervisor"]
    list_select_related = ["user", "governorate"]
    search_fields = ["=user__username"]
    actions = ["end_postings"]

    @admin.action(description=_("End the selected postings"))
    def end_postings(self, request, queryset):
        actor, now, done = Actor.for_admin(request), timezone.now(), 0
        for posting in queryset.select_related("user", "governorate"):
            try:
                services.officer_unpost(actor=actor, now=now, posting=posting)
            except DomainError as error:
                self.message_user(request, f"{posting}: {error.text()}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)d done.") % {"count": done}, messages.SUCCESS)
