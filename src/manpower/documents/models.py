"""Issued documents: a signed, immutable payload and the PDF drawn from it.

A document is never edited. A correction issues a new version that supersedes the old one; a
cancellation only changes the status. A database trigger (migration 0002) refuses any update of
the signed columns, so even a bug or a hand-written SQL statement cannot alter what was issued.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    class Kind(models.TextChoices):
        RECEIPT = "RECEIPT", _("Payment receipt")
        LICENCE = "LICENCE", _("Recruitment licence")
        LABOUR_CARD = "LABOUR_CARD", _("Labour card")
        DEPARTURE_FORM = "DEPARTURE_FORM", _("Departure form")
        CONTRACT_CERTIFICATE = "CONTRACT_CERTIFICATE", _("Employment contract certificate")
        OMANISATION_CERTIFICATE = "OMANISATION_CERTIFICATE", _("Omanisation compliance certificate")

    class Status(models.TextChoices):
        VALID = "VALID", _("Valid")
        CANCELLED = "CANCELLED", _("Cancelled")
        SUPERSEDED = "SUPERSEDED", _("Superseded by a newer version")

    code = models.CharField(_("public code"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    subject_ref = models.CharField(_("subject reference"), max_length=64)
    version = models.PositiveIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    payload = models.TextField(_("canonical payload"))
    signature = models.CharField(_("signature"), max_length=100)
    key_id = models.CharField(_("signing key id"), max_length=16)
    issued_at = models.DateTimeField(_("issued at"))
    pdf = models.BinaryField(_("PDF"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.VALID
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_ref", "version"], name="document_one_version_number"
            ),
            models.UniqueConstraint(
                fields=["kind", "subject_ref"],
                condition=Q(status="VALID"),
                name="document_one_valid_per_subject",
            ),
            models.CheckConstraint(
                condition=Q(version=1, supersedes__isnull=True)
                | Q(version__gt=1, supersedes__isnull=False),
                name="document_version_matches_supersedes",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["VALID", "CANCELLED", "SUPERSEDED"]),
                name="document_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="VALID", status_changed_at__isnull=True)
                | (~Q(status="VALID") & Q(status_changed_at__isnull=False)),
                name="document_status_change_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_ref} v{self.version} ({self.code})"
