"""Every read of licensing that a page or API makes, scoped to what the user may see.

An establishment's representative sees its establishments' licences and applications; an
individual sees those of the household registered under the account's civil number; ministry
staff see all. Anything else is reported as not found, so its existence is not disclosed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.accounts.permissions import StaffAction, staff_actions
from manpower.core.errors import NotFound
from manpower.documents.selectors import document_by_code
from manpower.registry.models import Establishment
from manpower.registry.selectors import (
    establishment_by_cr,
    establishment_for_user,
    establishment_omanisation,
    establishments_visible_to,
    with_omanisation,
)

from . import conf
from .models import (
    ApplicationLine,
    Licence,
    LicenceApplication,
    LicenceVacancy,
    OmanisationCertificate,
    VisaReservation,
)


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


# --- Omanisation ---------------------------------------------------------------------------------


DOCUMENT_VALID = "VALID"  # documents' Document.Status.VALID (its models are not ours to import)


class CertificateNotFound(NotFound):
    code = "omanisation_certificate_not_found"


def percent(share: Fraction) -> str:
    """A share as people read it: 0.15 → "15%", 2/3 → "66.6667%"."""
    return f"{float(share) * 100:g}%"


@dataclass(frozen=True)
class Standing:
    """An establishment's figures against the two rules."""

    nationals: int
    workforce: int
    share: Fraction
    required: Fraction
    minimum_nationals: int  # 0 when the establishment's size is exempt

    @property
    def meets_share(self) -> bool:
        return self.share >= self.required

    @property
    def meets_minimum(self) -> bool:
        return self.nationals >= self.minimum_nationals

    @property
    def compliant(self) -> bool:
        return self.meets_share and self.meets_minimum

    @property
    def share_percent(self) -> str:
        return percent(self.share)

    @property
    def required_percent(self) -> str:
        return percent(self.required)


def omanisation_standing(establishment: Establishment) -> Standing:
    """The stored figures of the establishment and what its activity and size require."""
    figures = establishment_omanisation(establishment=establishment)
    activity = establishment.activity
    exempt = establishment.size in conf.MINIMUM_NATIONALS_EXEMPT_SIZES.value
    return Standing(
        nationals=figures.nationals,
        workforce=figures.workforce,
        share=figures.share,
        required=conf.required_national_share(activity.code, activity.parent_id),
        minimum_nationals=0 if exempt else conf.MINIMUM_NATIONALS.value,
    )


def current_certificate(
    *, establishment: Establishment, today: dt.date
) -> OmanisationCertificate | None:
    """The certificate valid on `today` whose document was not cancelled, the latest if
    several are."""
    dated = OmanisationCertificate.objects.filter(
        establishment=establishment, valid_from__lte=today, valid_until__gte=today
    ).order_by("-valid_until", "-id")
    for certificate in dated[:5]:
        if document_by_code(certificate.document_code).status == DOCUMENT_VALID:
            return certificate
    return None


@dataclass(frozen=True)
class EstablishmentOmanisation:
    """An establishment, where it stands and its certificate valid today (if any)."""

    establishment: Establishment
    standing: Standing
    certificate: OmanisationCertificate | None
    history: list[OmanisationCertificate]


def omanisation_of(*, establishment: Establishment, today: dt.date) -> EstablishmentOmanisation:
    history = list(
        OmanisationCertificate.objects.filter(establishment=establishment).order_by(
            "-issued_at", "-id"
        )[:20]
    )
    return EstablishmentOmanisation(
        establishment=establishment,
        standing=omanisation_standing(establishment),
        certificate=current_certificate(establishment=establishment, today=today),
        history=history,
    )


def omanisation_for_user(*, user, cr_number: str, today: dt.date) -> EstablishmentOmanisation:
    """The Omanisation page of one of the user's establishments (404 when not theirs)."""
    return omanisation_of(
        establishment=establishment_for_user(user=user, cr_number=cr_number), today=today
    )


def omanisation_establishments(*, user) -> QuerySet[Establishment]:
    """The establishments whose Omanisation pages the user may open, with their figures."""
    return with_omanisation(establishments_visible_to(user)).order_by("cr_number")


def omanisation_certificate_for_user(
    *, user, cr_number: str, number: str
) -> OmanisationCertificate:
    establishment = establishment_for_user(user=user, cr_number=cr_number)
    certificate = OmanisationCertificate.objects.filter(
        establishment=establishment, number=number
    ).first()
    if certificate is None:
        raise CertificateNotFound(
            _("No Omanisation certificate %(number)s was found for this establishment."),
            number=number,
        )
    return certificate


@dataclass(frozen=True)
class CertificateCheck:
    """What another agency is told of an establishment: whether it holds a valid certificate
    today, the certificate, and the figures (today's, and the rule's)."""

    cr_number: str
    valid: bool
    standing: Standing
    certificate: OmanisationCertificate | None


def omanisation_certificate_check(*, cr_number: str, now: dt.datetime) -> CertificateCheck:
    """For a partner agency (every establishment is visible to it); unknown CR → 404."""
    establishment = establishment_by_cr(cr_number=cr_number)
    certificate = current_certificate(establishment=establishment, today=timezone.localdate(now))
    return CertificateCheck(
        cr_number=establishment.cr_number,
        valid=certificate is not None,
        standing=omanisation_standing(establishment),
        certificate=certificate,
    )
