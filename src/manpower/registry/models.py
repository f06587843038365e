"""Who exists and who works where: establishments, persons and the employment ledger."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from manpower.core.identifiers import (
    validate_civil_number,
    validate_cr_number,
    validate_passport_number,
)
from manpower.core.models import (
    BilingualName,
    EconomicActivity,
    Governorate,
    Nationality,
    Occupation,
    Wilayat,
    bilingual,
)


class Establishment(BilingualName):
    class LegalForm(models.TextChoices):
        SOLE_PROPRIETORSHIP = "SOLE", _("Sole proprietorship")
        LLC = "LLC", _("Limited liability company")
        SAOG = "SAOG", _("Public joint-stock company")
        SAOC = "SAOC", _("Closed joint-stock company")
        PARTNERSHIP = "PARTNERSHIP", _("General partnership")
        BRANCH = "BRANCH", _("Branch of a foreign company")

    class Size(models.TextChoices):
        MICRO = "MICRO", _("Micro (1-5)")
        SMALL = "SMALL", _("Small (6-25)")
        MEDIUM = "MEDIUM", _("Medium (26-99)")
        LARGE = "LARGE", _("Large (100+)")

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", _("Active")
        SUSPENDED = "SUSPENDED", _("Suspended")
        CLOSED = "CLOSED", _("Closed")

    cr_number = models.CharField(
        _("commercial registration number"),
        max_length=10,
        unique=True,
        validators=[validate_cr_number],
    )
    activity = models.ForeignKey(
        EconomicActivity, on_delete=models.PROTECT, verbose_name=_("economic activity")
    )
    governorate = models.ForeignKey(
        Governorate, on_delete=models.PROTECT, verbose_name=_("governorate")
    )
    wilayat = models.ForeignKey(Wilayat, on_delete=models.PROTECT, verbose_name=_("wilayat"))
    legal_form = models.CharField(_("legal form"), max_length=12, choices=LegalForm.choices)
    size = models.CharField(_("size"), max_length=8, choices=Size.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    # Set by the Wage Protection System's sanctions (wages, through
    # `services.establishment_wps_suspension_set`): new work-permit services are refused.
    # A database default too, so bulk loads that name the columns (the seed's COPY) need not.
    wps_suspended = models.BooleanField(
        _("suspended by the Wage Protection System"), default=False, db_default=False
    )
    chamber_number = models.CharField(_("chamber membership number"), max_length=12, blank=True)
    chamber_expiry_date = models.DateField(_("chamber membership expiry"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"))

    class Meta:
        ordering = ["cr_number"]
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        indexes = [
            models.Index(fields=["governorate", "activity"]),
            models.Index(fields=["chamber_expiry_date"], name="establishment_chamber_expiry"),
            models.Index(fields=["status"], name="establishment_status"),
        ]


class EstablishmentWorkforce(models.Model):
    """The Omanisation figures of an establishment's active workforce, kept by
    `services.omanisation_recompute` as the employment ledger changes (written nowhere else),
    so that licensing and the partner API read them without counting the ledger. A missing row
    means no workforce yet.

    A narrow table of its own, not columns of the establishment: recomputing every
    establishment rewrites short rows under one index, in pages kept half empty so that
    PostgreSQL updates them in place (HOT, migration 0005), instead of the establishment's wide
    rows and their eleven indexes (docs/benchmarks.md)."""

    establishment = models.OneToOneField(
        Establishment,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="workforce_figures",
        verbose_name=_("establishment"),
    )
    nationals = models.PositiveIntegerField(_("nationals employed"))
    workforce = models.PositiveIntegerField(_("workers employed"))
    # nationals / workforce in hundredths of a percent, rounded down (0 with no workforce).
    share_permyriad = models.PositiveSmallIntegerField(_("share of nationals (1/10000)"))

    class Meta:
        ordering = ["establishment_id"]
        verbose_name = _("establishment workforce figures")
        verbose_name_plural = _("establishment workforce figures")
        constraints = [
            models.CheckConstraint(
                condition=Q(nationals__lte=models.F("workforce")) & Q(share_permyriad__lte=10000),
                name="establishment_workforce_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.establishment_id}: {self.nationals}/{self.workforce}"


class Person(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    is_national = models.BooleanField(_("national"))
    civil_number = models.CharField(
        _("civil or resident card number"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_civil_number],
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    nationality = models.ForeignKey(
        Nationality, on_delete=models.PROTECT, verbose_name=_("nationality")
    )
    birth_date = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    passport_number = models.CharField(
        _("passport number"), max_length=12, blank=True, validators=[validate_passport_number]
    )
    passport_expiry_date = models.DateField(_("passport expiry"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            # A national always has a civil number; a non-national has a resident card number
            # or, until the card is issued, a passport.
            models.CheckConstraint(
                condition=Q(is_national=False) | Q(civil_number__isnull=False),
                name="national_has_civil_number",
            ),
            models.CheckConstraint(
                condition=Q(is_national=True)
                | Q(civil_number__isnull=False)
                | ~Q(passport_number=""),
                name="non_national_has_identifier",
            ),
            models.UniqueConstraint(
                fields=["nationality", "passport_number"],
                condition=~Q(passport_number=""),
                name="unique_passport_per_nationality",
            ),
        ]

    @property
    def name(self) -> str:
        return bilingual(self.name_ar, self.name_en)

    def __str__(self) -> str:
        return self.name


def establishment_employer(*, related_name: str) -> models.ForeignKey:
    """The employer's column when it is an establishment; null when the employer is a household.

    Licences, applications and employments all name their employer by one of these two columns
    (and a check constraint that exactly one is set).
    """
    return models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=_("establishment"),
    )


def household_employer(*, related_name: str, db_index: bool = True) -> models.ForeignKey:
    """The employer's column when it is a household (the person who employs a domestic worker)."""
    return models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=db_index,
        related_name=related_name,
        verbose_name=_("household"),
    )


class Employment(models.Model):
    """One line of the employment ledger: a person working for an employer, which is an
    establishment or, for a domestic worker on a private licence, a household (the person who
    holds the licence). Exactly one of the two is set."""

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", _("Active")
        ENDED = "ENDED", _("Ended")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="employments", verbose_name=_("person")
    )
    establishment = establishment_employer(related_name="employments")
    # Indexed by the partial `employment_by_household` only: nearly every row is null here.
    household = household_employer(related_name="household_employments", db_index=False)
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, verbose_name=_("occupation")
    )
    # Copied from the person so that the database can hold "one active employment per
    # non-national" as a partial unique index (an index condition cannot join).
    person_is_national = models.BooleanField(_("national"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    basic_wage_baisa = models.PositiveBigIntegerField(_("basic wage (baisa)"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        indexes = [
            # Covers the workforce counts (an index-only scan on PostgreSQL) and the
            # newest-first worker list of one establishment.
            models.Index(
                fields=["establishment", "status", "id"],
                include=["person_is_national"],
                name="employment_by_employer",
            ),
            models.Index(fields=["person", "status"], name="employment_by_person"),
            # A household's workers; partial, since nearly every employment is an
            # establishment's.
            models.Index(
                fields=["household", "status", "id"],
                condition=Q(household__isnull=False),
                name="employment_by_household",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(establishment__isnull=False, household__isnull=True)
                | Q(establishment__isnull=True, household__isnull=False),
                name="employment_has_one_employer",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="ACTIVE", person_is_national=False),
                name="one_active_employment_per_non_national",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="ACTIVE", end_date__isnull=True)
                | Q(status="ENDED", end_date__isnull=False),
                name="employment_status_matches_end_date",
            ),
        ]

    def __str__(self) -> str:
        employer = self.establishment_id or f"household {self.household_id}"
        return f"{self.person_id} @ {employer} ({self.status})"

    @property
    def employer(self) -> Establishment | Person:
        """The establishment, or the household; both have `name`, `name_ar` and `name_en`."""
        return self.establishment or self.household


class Representation(models.Model):
    """A user authorised to act for an establishment (owner, agent or Sanad-authorised)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations"
    )
    establishment = models.ForeignKey(
        Establishment, on_delete=models.CASCADE, related_name="representatives"
    )
    granted_at = models.DateTimeField()

    class Meta:
        ordering = ["establishment_id", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "establishment"], name="one_representation_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.establishment_id}"
