"""Work-abandonment ("absconding") reports under MD 270/2018, the worker's objection to an
approved one, and the criminal or debt disputes an officer records (which bar a report)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AbscondingReport(models.Model):
    """An employer's report that a worker stopped coming to work. Its status moves only along
    `services.absconding.REPORT_TRANSITIONS`."""

    class Status(models.TextChoices):
        SUBMITTED = "SUBMITTED", _("Waiting for a labour-care officer")
        APPROVED = "APPROVED", _("Approved")
        REJECTED = "REJECTED", _("Rejected")
        REVOKED = "REVOKED", _("Revoked on the worker's objection")

    class ProofSource(models.TextChoices):
        WPS = "WPS", _("The Wage Protection System's salary files")
        UPLOAD = "UPLOAD", _("A PDF the employer attached")
        WAIVED = "WAIVED", _("Waived: the worker has been in the country under a month")

    number = models.CharField(_("report number"), max_length=16, unique=True)
    employment = models.ForeignKey(
        "registry.Employment",
        on_delete=models.PROTECT,
        related_name="absconding_reports",
        verbose_name=_("employment"),
    )
    establishment = models.ForeignKey(
        "registry.Establishment",
        on_delete=models.PROTECT,
        related_name="absconding_reports",
        verbose_name=_("establishment"),
    )
    last_working_date = models.DateField(_("last working day"))
    salary_proof_sha256 = models.CharField(_("salary proof (SHA-256)"), max_length=64, blank=True)
    salary_proof_source = models.CharField(
        _("salary proof from"), max_length=6, choices=ProofSource.choices
    )
    # The salary months ("2026-10") the Wage Protection System's files show paid, oldest first.
    salary_proof_months = models.JSONField(_("salary months paid in the WPS"), default=list)
    return_ticket_undertaken = models.BooleanField(_("return ticket undertaken"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    channel = models.CharField(_("channel"), max_length=10)
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason of the decision"), max_length=500, blank=True)
    objection_deadline_date = models.DateField(_("objection deadline"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("work-abandonment report")
        verbose_name_plural = _("work-abandonment reports")
        indexes = [
            models.Index(fields=["establishment", "submitted_at"], name="absconding_by_employer"),
            models.Index(fields=["status", "submitted_at"], name="absconding_by_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["employment"],
                condition=Q(status__in=["SUBMITTED", "APPROVED"]),
                name="one_open_absconding_report_per_employment",
            ),
            models.CheckConstraint(
                condition=Q(return_ticket_undertaken=True),
                name="absconding_return_ticket_undertaken",
            ),
            models.CheckConstraint(
                condition=Q(salary_proof_source__in=["WPS", "WAIVED"], salary_proof_sha256="")
                | (Q(salary_proof_source="UPLOAD") & ~Q(salary_proof_sha256="")),
                name="absconding_salary_proof_known",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def salary_proof_month_labels(self) -> list[str]:
        """The months the WPS proves, as the pages show them: 10/2026."""
        return [f"{month[5:]}/{month[:4]}" for month in self.salary_proof_months]


class AbscondingObjection(models.Model):
    """The worker's objection to an approved report: upheld (the report is revoked) or found
    unjustified (the worker is fined)."""

    class Status(models.TextChoices):
        SUBMITTED = "SUBMITTED", _("Waiting for a labour-care officer")
        UPHELD = "UPHELD", _("Upheld")
        UNJUSTIFIED = "UNJUSTIFIED", _("Unjustified")

    report = models.OneToOneField(
        AbscondingReport,
        on_delete=models.PROTECT,
        related_name="objection",
        verbose_name=_("report"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    grounds = models.TextField(_("grounds"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    channel = models.CharField(_("channel"), max_length=10)
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason of the decision"), max_length=500, blank=True)
    fine_baisa = models.PositiveIntegerField(_("fine (baisa)"), null=True, blank=True)
    fine_invoice = models.ForeignKey(
        "payments.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fine invoice"),
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("objection to a work-abandonment report")
        verbose_name_plural = _("objections to work-abandonment reports")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="UNJUSTIFIED") | Q(fine_baisa__isnull=False),
                name="absconding_unjustified_objection_fined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report.number} ({self.status})"


class DisputeRecord(models.Model):
    """A criminal case or a debt claim between the employer and the worker, recorded by a
    labour-care officer; one that began before the absence bars a work-abandonment report.
    One row per case: the police or court reference names it."""

    class Kind(models.TextChoices):
        CRIMINAL = "CRIMINAL", _("Criminal case")
        DEBT = "DEBT", _("Debt claim")

    employment = models.ForeignKey(
        "registry.Employment",
        on_delete=models.PROTECT,
        related_name="dispute_records",
        verbose_name=_("employment"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    started_date = models.DateField(_("began on"))
    reference = models.CharField(_("police or court reference"), max_length=40)
    description = models.CharField(_("description"), max_length=500)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("dispute record")
        verbose_name_plural = _("dispute records")
        constraints = [
            models.UniqueConstraint(
                fields=["employment", "kind", "reference"], name="one_dispute_per_reference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.employment_id} {self.started_date}"
