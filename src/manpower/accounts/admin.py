from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from manpower.core.actor import Actor
from manpower.core.admin import ReasonForm, action_with_form

from .models import ApiToken, Department, Role, User
from .services import api_token_revoke, staff_role_change

# The role and department change only through `staff_role_change` (the action below).
ROLE_FIELDS = ("role", "department")
MINISTRY_FIELDS = ("full_name_ar", "full_name_en", "civil_number", "phone")


def sign_in_instead(request, extra_context=None):
    """The admin's own password form would skip the TOTP step: staff use the portal's sign-in."""
    return redirect_to_login(
        request.GET.get("next") or reverse("admin:index"), login_url=reverse("accounts:sign-in")
    )


admin.site.login = sign_in_instead


class RoleChangeForm(ReasonForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = forms.ChoiceField(
        label=_("Department"), choices=[("", "—"), *Department.choices], required=False
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Ministry"), {"fields": (*ROLE_FIELDS, *MINISTRY_FIELDS, "language")}),
    )
    readonly_fields = ROLE_FIELDS
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Ministry"), {"fields": MINISTRY_FIELDS}),
    )
    list_display = ("username", "display_name", "email", "role", "department", "is_active")
    list_filter = ("role", "department", "is_active", "is_staff", "language")
    search_fields = ("username", "email", "full_name_ar", "full_name_en", "civil_number")
    ordering = ("username", "id")
    actions = ["change_role"]

    @admin.action(description=_("Change the role and department of the selected users"))
    def change_role(self, request, queryset):
        actor, now = Actor.for_admin(request), timezone.now()
        return action_with_form(
            self,
            request,
            queryset,
            form_class=RoleChangeForm,
            title=_("Change role and department"),
            apply=lambda user, data: staff_role_change(
                actor=actor,
                user=user,
                role=data["role"],
                department=data["department"],
                reason=data["reason"],
                now=now,
            ),
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: a token is issued by its owner and only revoked here, through the service."""

    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "key_hash",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        actor = Actor.for_admin(request)
        now = timezone.now()
        tokens = list(queryset.filter(revoked_at__isnull=True).select_related("user"))
        for token in tokens:
            api_token_revoke(actor=actor, user=token.user, token_id=token.pk, now=now)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens))
            % {"count": len(tokens)},
            messages.SUCCESS,
        )
