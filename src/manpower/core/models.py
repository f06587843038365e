"""Reference data (loaded by migrations) and the hash-chained audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .actor import Channel


class BilingualName(models.Model):
    """A thing people name in Arabic and English; `name` follows the active language."""

    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return bilingual(self.name_ar, self.name_en)

    def __str__(self) -> str:
        return self.name


class Upload(models.Model):
    """A file a signed-in user (or a partner, with no user) sent in one of the channels: who,
    through which channel and when, as every app that takes files keeps it."""

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("submitted by"),
    )
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        abstract = True


def bilingual(arabic: str, english: str) -> str:
    """The Arabic or English text for the active language, falling back to the other one."""
    if (get_language() or "ar").startswith("en"):
        return english or arabic
    return arabic or english


class Nationality(BilingualName):
    code = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, primary_key=True)
    alpha2 = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, unique=True)

    class Meta:
        ordering = ["name_en", "code"]
        verbose_name = _("nationality")
        verbose_name_plural = _("nationalities")


class Governorate(BilingualName):
    code = models.CharField(_("code"), max_length=8, primary_key=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("governorate")
        verbose_name_plural = _("governorates")


class Wilayat(BilingualName):
    code = models.CharField(_("code"), max_length=8, primary_key=True)
    governorate = models.ForeignKey(
        Governorate,
        on_delete=models.PROTECT,
        related_name="wilayats",
        verbose_name=_("governorate"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayat")
        verbose_name_plural = _("wilayats")


class Occupation(BilingualName):
    """An ISCO-08 group: major (1 digit), sub-major (2), minor (3) or unit (4)."""

    class Level(models.IntegerChoices):
        MAJOR = 1, _("Major group")
        SUB_MAJOR = 2, _("Sub-major group")
        MINOR = 3, _("Minor group")
        UNIT = 4, _("Unit group")

    code = models.CharField(_("ISCO-08 code"), max_length=4, primary_key=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="occupation_level_range"
            ),
        ]


class EconomicActivity(BilingualName):
    """An ISIC Rev.4 section (a letter) or division (two digits)."""

    class Level(models.TextChoices):
        SECTION = "SECTION", _("Section")
        DIVISION = "DIVISION", _("Division")

    code = models.CharField(_("ISIC Rev.4 code"), max_length=4, primary_key=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("economic activity")
        verbose_name_plural = _("economic activities")


class AuditEvent(models.Model):
    """One state change. Within its `chain`, `seq` is gapless and `hash` links each event to
    the one before it (see core.audit: several chains so that writers do not queue on one)."""

    chain = models.PositiveSmallIntegerField(default=1)
    seq = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField(db_index=True)
    channel = models.CharField(max_length=16)
    actor_user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=150, blank=True)
    on_behalf_of_kind = models.CharField(max_length=32, blank=True)
    on_behalf_of_key = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=64)
    changes = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)  # checked by chain_problems, never searched

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq"),
        ]
        indexes = [models.Index(fields=["object_type", "object_id", "id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.chain}.{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The last event of one chain; locking it orders that chain's appends."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    # The hash before `last_hash`: set by the UPDATE that takes the next number, so that one
    # statement can return the link for the new event (core.audit.event_in_statement).
    prev_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id__gte=1), name="audit_head_id")]

    def __str__(self) -> str:
        return f"audit chain {self.pk} at #{self.last_seq}"
