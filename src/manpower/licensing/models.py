"""Recruiting non-nationals: licence applications, issued licences with their vacancies, and
the visas the police reserve against those vacancies.

Vacancy counts are held in the database by a check constraint (`reserved + used <= issued`)
and taken with one conditional UPDATE (see `services.visa_reserve`), so concurrent requests never
over-allocate. Each workflow's allowed status changes are in `services` (one table each).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from manpower.core.models import Nationality, Occupation
from manpower.registry.models import (
    Establishment,
    Person,
    establishment_employer,
    household_employer,
)


class Kind(models.TextChoices):
    COMMERCIAL = "COMMERCIAL", _("Commercial (an establishment)")
    PRIVATE = "PRIVATE", _("Private (a household)")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class LicenceApplication(models.Model):
    """A request to recruit: by an establishment's representative or by an individual."""

    class Status(models.TextChoices):
        IN_REVIEW = "IN_REVIEW", _("Waiting for an officer's decision")
        AWAITING_PAYMENT = "AWAITING_PAYMENT", _("Approved, waiting for payment")
        ISSUED = "ISSUED", _("Licence issued")
        REJECTED = "REJECTED", _("Rejected")

    number = models.CharField(_("application number"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    establishment = establishment_employer(related_name="licence_applications")
    household = household_employer(related_name="licence_applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="licence_applications",
        verbose_name=_("applicant"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    omanisation_met = models.BooleanField(_("Omanisation share met"))
    # Bilingual reasons from the eligibility checks ({"code", "en", "ar"} each), kept so the
    # applicant and the officer read why a request was cut or sent for review.
    notes = models.JSONField(_("eligibility notes"), default=list, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=20, blank=True)
    fee_percent = models.PositiveSmallIntegerField(_("fee (percent of the base fee)"), default=100)
    decision_reason = models.CharField(_("reason of the decision"), max_length=500, blank=True)
    decided_by_user_id = models.BigIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("licence application")
        verbose_name_plural = _("licence applications")
        indexes = [models.Index(fields=["status", "submitted_at", "id"], name="licapp_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="COMMERCIAL", establishment__isnull=False, household__isnull=True)
                | Q(kind="PRIVATE", establishment__isnull=True, household__isnull=False),
                name="licapp_holder_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def requested_total(self) -> int:
        return sum(line.requested for line in self.lines.all())

    @property
    def granted_total(self) -> int:
        return sum(line.granted for line in self.lines.all())


class ApplicationLine(models.Model):
    """Workers of one occupation, nationality and gender: how many were asked and granted."""

    application = models.ForeignKey(
        LicenceApplication, on_delete=models.CASCADE, related_name="lines"
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, verbose_name=_("occupation")
    )
    nationality = models.ForeignKey(
        Nationality, on_delete=models.PROTECT, verbose_name=_("nationality")
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    requested = models.PositiveIntegerField(_("requested"))
    granted = models.PositiveIntegerField(_("granted"))

    class Meta:
        ordering = ["application_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "occupation", "nationality", "gender"],
                name="licapp_one_line_per_kind_of_worker",
            ),
            models.CheckConstraint(
                condition=Q(requested__gte=1) & Q(granted__lte=F("requested")),
                name="licapp_granted_within_requested",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id}/{self.nationality_id}/{self.gender} × {self.granted}"


class Licence(models.Model):
    """A work permit: the holder's right to bring workers into the vacancies it lists."""

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", _("Active")
        EXPIRED = "EXPIRED", _("Expired")
        CANCELLED = "CANCELLED", _("Cancelled")

    number = models.CharField(_("licence number"), max_length=16, unique=True)
    application = models.OneToOneField(
        LicenceApplication, on_delete=models.PROTECT, related_name="licence"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    establishment = establishment_employer(related_name="licences")
    household = household_employer(related_name="licences")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    issued_at = models.DateTimeField(_("issued at"))
    document_code = models.CharField(_("licence document code"), max_length=16, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason of cancellation"), max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        indexes = [
            models.Index(fields=["establishment", "status"], name="licence_by_establishment"),
            models.Index(fields=["household", "status"], name="licence_by_household"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="COMMERCIAL", establishment__isnull=False, household__isnull=True)
                | Q(kind="PRIVATE", establishment__isnull=True, household__isnull=False),
                name="licence_holder_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")), name="licence_valid_range"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class LicenceVacancy(models.Model):
    """The workers of one occupation, nationality and gender that a licence allows."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="vacancies")
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, verbose_name=_("occupation")
    )
    nationality = models.ForeignKey(
        Nationality, on_delete=models.PROTECT, verbose_name=_("nationality")
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    issued = models.PositiveIntegerField(_("issued"))
    reserved = models.PositiveIntegerField(_("reserved"), default=0)
    used = models.PositiveIntegerField(_("used"), default=0)

    class Meta:
        ordering = ["licence_id", "id"]
        verbose_name = _("licence vacancy")
        verbose_name_plural = _("licence vacancies")
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "occupation", "nationality", "gender"],
                name="vacancy_one_per_kind_of_worker",
            ),
            models.CheckConstraint(
                condition=Q(issued__gte=F("reserved") + F("used")),
                name="vacancy_reserved_plus_used_within_issued",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.licence_id}: {self.occupation_id}/{self.nationality_id}/{self.gender}"

    @property
    def free(self) -> int:
        return self.issued - self.reserved - self.used


class VisaReservation(models.Model):
    """A visa the police issued against a vacancy; the worker's arrival uses the vacancy."""

    class Status(models.TextChoices):
        RESERVED = "RESERVED", _("Reserved")
        ARRIVED = "ARRIVED", _("Arrived")
        CANCELLED = "CANCELLED", _("Cancelled")

    # Unique by a constraint, not `unique=True`: that would add a second (LIKE) index which no
    # query uses, and every reservation pays for each index it writes (docs/benchmarks.md).
    visa_number = models.CharField(_("visa number"), max_length=20)
    vacancy = models.ForeignKey(  # indexed by visa_by_vacancy
        LicenceVacancy, on_delete=models.PROTECT, related_name="reservations", db_index=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RESERVED
    )
    # SHA-256 of the reservation and arrival bodies: a repeat with the same body gets the first
    # answer, a different body for the same visa number is a conflict.
    request_hash = models.CharField(max_length=64)
    arrival_hash = models.CharField(max_length=64, blank=True)
    worker = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visa_reservations",
        verbose_name=_("worker"),
    )
    created_at = models.DateTimeField(_("reserved at"))
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    border_post = models.CharField(_("border post"), max_length=60, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("visa reservation")
        verbose_name_plural = _("visa reservations")
        indexes = [models.Index(fields=["vacancy", "status"], name="visa_by_vacancy")]
        constraints = [
            models.UniqueConstraint(fields=["visa_number"], name="visa_number_unique"),
            models.CheckConstraint(
                condition=Q(status="RESERVED", arrived_at__isnull=True, cancelled_at__isnull=True)
                | Q(status="ARRIVED", arrived_at__isnull=False, worker__isnull=False)
                | Q(status="CANCELLED", cancelled_at__isnull=False, arrived_at__isnull=True),
                name="visa_dates_match_status",
            ),
        ]

    def __str__(self) -> str:
        return self.visa_number


class OmanisationCertificate(models.Model):
    """An establishment's Omanisation compliance certificate: the figures it was issued on,
    the days it is valid and its signed document. Other agencies ask for it (partner API)."""

    number = models.CharField(_("certificate number"), max_length=16, unique=True)
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="omanisation_certificates",
        verbose_name=_("establishment"),
    )
    nationals = models.PositiveIntegerField(_("nationals employed"))
    workforce = models.PositiveIntegerField(_("workers employed"))
    required_share_permyriad = models.PositiveSmallIntegerField(
        _("required share of nationals (1/10000)")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    issued_at = models.DateTimeField(_("issued at"))
    document_code = models.CharField(_("certificate document code"), max_length=16)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("Omanisation certificate")
        verbose_name_plural = _("Omanisation certificates")
        indexes = [
            models.Index(
                fields=["establishment", "-valid_until"], name="omanisation_cert_by_employer"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")), name="omanisation_cert_valid_range"
            ),
            models.CheckConstraint(
                condition=Q(nationals__lte=F("workforce")), name="omanisation_cert_figures"
            ),
        ]

    def __str__(self) -> str:
        return self.number
