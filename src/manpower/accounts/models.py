"""People who sign in: one user model with a role, and the API tokens of the mobile app."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from manpower.core.actor import Channel
from manpower.core.identifiers import validate_civil_number, validate_mobile_number


class Role(models.TextChoices):
    INDIVIDUAL = "INDIVIDUAL", _("Individual (citizen or resident)")
    ESTABLISHMENT_REP = "ESTABLISHMENT_REP", _("Establishment representative")
    SANAD_OPERATOR = "SANAD_OPERATOR", _("Sanad centre operator")
    OFFICER = "OFFICER", _("Ministry officer")
    INSPECTOR = "INSPECTOR", _("Inspector")
    ADMINISTRATOR = "ADMINISTRATOR", _("Administrator")
    COLLEGE_REGISTRAR = "COLLEGE_REGISTRAR", _("Technical college registrar")


STAFF_ROLES = frozenset({Role.OFFICER, Role.INSPECTOR, Role.ADMINISTRATOR})


class Department(models.TextChoices):
    LICENSING = "LICENSING", _("Licensing")
    LABOUR_CARE = "LABOUR_CARE", _("Labour care")
    INSPECTION = "INSPECTION", _("Inspection")
    EMPLOYMENT = "EMPLOYMENT", _("Employment")
    WAGE_PROTECTION = "WAGE_PROTECTION", _("Wage protection")
    INFORMATION_TECHNOLOGY = "IT", _("Information technology")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.INDIVIDUAL)
    department = models.CharField(
        _("department"), max_length=20, choices=Department.choices, blank=True
    )
    full_name_ar = models.CharField(_("full name (Arabic)"), max_length=200, blank=True)
    full_name_en = models.CharField(_("full name (English)"), max_length=200, blank=True)
    civil_number = models.CharField(
        _("civil or resident card number"),
        max_length=12,
        blank=True,
        db_index=True,
        validators=[validate_civil_number],
    )
    phone = models.CharField(
        _("mobile number"), max_length=16, blank=True, validators=[validate_mobile_number]
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # The technical college a registrar keeps the records of (its code in `colleges`); a code,
    # not a key, so that accounts does not depend on the colleges app.
    college_code = models.CharField(_("college"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="OFFICER") | ~models.Q(department=""),
                name="officer_has_department",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="COLLEGE_REGISTRAR") | ~models.Q(college_code=""),
                name="registrar_has_college",
            ),
        ]

    @property
    def is_ministry_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def portal_channel(self) -> str:
        """The channel this user's portal requests come through (`Actor.from_request`)."""
        if self.role == Role.SANAD_OPERATOR:
            return Channel.SANAD
        return Channel.STAFF if self.is_ministry_staff else Channel.WEB

    @property
    def display_name(self) -> str:
        from manpower.core.models import bilingual

        return bilingual(self.full_name_ar, self.full_name_en) or self.get_username()


class ApiToken(models.Model):
    """A bearer token for the mobile app. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class PkiChallenge(models.Model):
    """A one-time text that a client signs with its certificate's key to sign in.

    Random, short-lived and used once (`used_at` is set by a conditional update before the
    signature is even looked at), so a signature cannot be replayed. The public handle is the
    random `id`, never a counter.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    value = models.CharField(_("challenge"), max_length=100, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("certificate sign-in challenge")
        verbose_name_plural = _("certificate sign-in challenges")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="pki_challenge_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return str(self.id)
