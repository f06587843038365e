"""Every read of licensing that a page or API makes, scoped to what the user may see.

An establishment's representative sees its establishments' licences and applications; an
individual sees those of the household registered under the account's civil number; ministry
staff see all. Anything else is reported as not found, so its existence is not disclosed.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from manpower.accounts.permissions import StaffAction, staff_actions
from manpower.core.errors import NotFound

from .models import ApplicationLine, Licence, LicenceApplication, LicenceVacancy, VisaReservation


class LicenceNotFound(NotFound):
    code = "licence_not_found"


class ApplicationNotFound(NotFound):
    code = "application_not_found"


def _holder_filter(user) -> Q:
    mine = Q(establishment__representatives__user=user)
    if user.civil_number:
        mine |= Q(household__civil_number=user.civil_number)
    return mine


def licences_visible_to(user) -> QuerySet[Licence]:
    if not user.is_authenticated:
        return Licence.objects.none()
    licences = (
        Licence.objects.all()
        if user.is_ministry_staff
        else Licence.objects.filter(_holder_filter(user))
    )
    vacancies = LicenceVacancy.objects.select_related("occupation", "nationality").order_by("id")
    return (
        licences.select_related("establishment", "household")
        .prefetch_related(Prefetch("vacancies", queryset=vacancies))
        .order_by("-issued_at", "-id")
    )


def licence_for_user(*, user, number: str) -> Licence:
    licence = licences_visible_to(user).filter(number=number).first()
    if licence is None:
        raise LicenceNotFound(_("No licence %(number)s was found in your account."), number=number)
    return licence


def licence_visas(*, licence: Licence) -> QuerySet[VisaReservation]:
    """The visas the police reserved on the licence's vacancies, newest first."""
    return VisaReservation.objects.filter(vacancy__licence=licence).select_related(
        "vacancy__occupation", "worker"
    )


def applications_visible_to(user) -> QuerySet[LicenceApplication]:
    if not user.is_authenticated:
        return LicenceApplication.objects.none()
    applications = (
        LicenceApplication.objects.all()
        if user.is_ministry_staff
        else LicenceApplication.objects.filter(_holder_filter(user))
    )
    lines = ApplicationLine.objects.select_related("occupation", "nationality").order_by("id")
    return (
        applications.select_related("establishment", "household", "licence")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("-submitted_at", "-id")
    )


def application_for_user(*, user, number: str) -> LicenceApplication:
    application = applications_visible_to(user).filter(number=number).first()
    if application is None:
        raise ApplicationNotFound(
            _("No licence application %(number)s was found in your account."), number=number
        )
    return application


def officer_queue(*, user) -> QuerySet[LicenceApplication]:
    """Applications waiting for a decision, oldest first; empty for anyone who may not decide
    them (accounts.permissions)."""
    if not user.is_authenticated or (
        StaffAction.DECIDE_LICENCE_APPLICATION not in staff_actions(user)
    ):
        return LicenceApplication.objects.none()
    return (
        applications_visible_to(user)
        .filter(status=LicenceApplication.Status.IN_REVIEW)
        .order_by("submitted_at", "id")
    )
