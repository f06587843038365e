"""The registry's back-office: staff look, and change a status, a person's record or a
representation only through the admin actions below, which call the services (checked against
the staff permissions table and audited)."""

from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import User
from manpower.core.actor import Actor
from manpower.core.admin import ReadOnlyAdmin, ReasonForm, action_with_form, reason_action
from manpower.core.errors import DomainError

from . import services
from .models import Employment, Establishment, Person, Representation


@admin.register(Establishment)
class EstablishmentAdmin(ReadOnlyAdmin):
    list_display = ["cr_number", "name_ar", "name_en", "governorate", "size", "status"]
    list_filter = ["status", "size", "legal_form", "governorate"]
    search_fields = ["=cr_number", "name_ar", "name_en", "=chamber_number"]
    show_full_result_count = False
    actions = ["suspend", "reactivate", "close"]

    def _move(self, request, queryset, *, service, title):
        return reason_action(
            self, request, queryset, title=title, service=service, subject="establishment"
        )

    @admin.action(description=_("Suspend the selected establishments"))
    def suspend(self, request, queryset):
        return self._move(
            request, queryset, service=services.establishment_suspend, title=_("Suspend")
        )

    @admin.action(description=_("Reactivate the selected establishments"))
    def reactivate(self, request, queryset):
        return self._move(
            request, queryset, service=services.establishment_reactivate, title=_("Reactivate")
        )

    @admin.action(description=_("Close the selected establishments"))
    def close(self, request, queryset):
        return self._move(request, queryset, service=services.establishment_close, title=_("Close"))


class PersonCorrectionForm(ReasonForm, forms.ModelForm):
    class Meta:
        model = Person
        fields = services.CORRECTABLE_PERSON_FIELDS


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["civil_number", "name_en", "name_ar", "nationality", "is_national"]
    list_filter = ["is_national", "gender"]
    search_fields = ["=civil_number", "=passport_number", "name_en"]
    show_full_result_count = False
    actions = ["correct"]

    @admin.action(description=_("Correct the selected person's record"))
    def correct(self, request, queryset):
        person = queryset.first()
        actor, now = Actor.for_admin(request), timezone.now()

        def form_class(data, initial):
            return PersonCorrectionForm(data, instance=Person.objects.get(pk=person.pk))

        def apply(obj, data):
            changed = {
                name: data[name]
                for name in services.CORRECTABLE_PERSON_FIELDS
                if data[name] != getattr(obj, name)
            }
            services.person_correct(
                actor=actor, person=obj, values=changed, reason=data["reason"], now=now
            )

        return action_with_form(
            self,
            request,
            queryset.filter(pk=person.pk),
            form_class=form_class,
            title=_("Correct a person's record"),
            apply=apply,
        )


@admin.register(Employment)
class EmploymentAdmin(ReadOnlyAdmin):
    """The ledger changes only through services, so that every change is audited."""

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
    show_full_result_count = False


class RepresentationGrantForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    cr_number = forms.CharField(label=_("Commercial registration number"), max_length=10)

    def clean_username(self):
        user = User.objects.filter(username=self.cleaned_data["username"]).first()
        if user is None:
            raise forms.ValidationError(_("No user has this username."))
        return user

    def clean_cr_number(self):
        establishment = Establishment.objects.filter(
            cr_number=self.cleaned_data["cr_number"]
        ).first()
        if establishment is None:
            raise forms.ValidationError(_("No establishment has this number."))
        return establishment


@admin.register(Representation)
class RepresentationAdmin(ReadOnlyAdmin):
    list_display = ["user", "establishment", "granted_at"]
    list_select_related = ["user", "establishment"]
    search_fields = ["=establishment__cr_number", "user__username"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        """Adding one means granting it, through the service."""
        return request.user.has_perm("registry.add_representation")

    def add_view(self, request, form_url="", extra_context=None):
        form = RepresentationGrantForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.representation_grant(
                    actor=Actor.for_admin(request),
                    user=form.cleaned_data["username"],
                    establishment=form.cleaned_data["cr_number"],
                    now=timezone.now(),
                )
            except DomainError as error:
                form.add_error(None, error.text())
            else:
                return HttpResponseRedirect(reverse("admin:registry_representation_changelist"))
        return TemplateResponse(
            request,
            "admin/registry/representation_grant.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Grant a representation"),
                "form": form,
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Revoke the selected representations"))
    def revoke(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            title=_("Revoke representations"),
            service=services.representation_revoke,
            subject="representation",
        )
