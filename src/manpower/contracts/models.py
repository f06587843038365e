"""Nationals at work: employment contracts, their amendments, and the end of service of any
worker (a resignation or a termination), whose employment is a row of the registry's ledger.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

OPEN_CONTRACT = ("SUBMITTED", "AWAITING_INSURANCE")


class Contract(models.Model):
    """The employment contract of one national with one establishment.

    Its status moves only along `services.CONTRACT_TRANSITIONS`. Once accepted (by the worker,
    then the social insurance registration) it has its employment in the registry's ledger.
    """

    class Kind(models.TextChoices):
        UNLIMITED = "UNLIMITED", _("Unlimited term")
        FIXED = "FIXED", _("Fixed term")

    class Status(models.TextChoices):
        SUBMITTED = "SUBMITTED", _("Waiting for the worker")
        AWAITING_INSURANCE = "AWAITING_INSURANCE", _("Waiting for social insurance")
        ACCEPTED = "ACCEPTED", _("Accepted")
        REFUSED_BY_WORKER = "REFUSED_BY_WORKER", _("Refused by the worker")
        REJECTED = "REJECTED", _("Rejected")
        ENDED = "ENDED", _("Ended")

    number = models.CharField(_("contract number"), max_length=16, unique=True)
    establishment = models.ForeignKey(
        "registry.Establishment",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("establishment"),
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("worker"),
    )
    occupation = models.ForeignKey(
        "core.Occupation", on_delete=models.PROTECT, verbose_name=_("occupation")
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    probation_months = models.PositiveSmallIntegerField(_("probation (months)"))
    weekly_hours = models.PositiveSmallIntegerField(_("working hours a week"))
    # Copied from the hours when registered, so that "one full-time contract at a time" is a
    # partial unique index.
    full_time = models.BooleanField(_("full time"))
    notice_days = models.PositiveSmallIntegerField(_("notice period (days)"))
    basic_wage_baisa = models.PositiveBigIntegerField(_("basic wage (baisa)"))
    allowances_baisa = models.PositiveBigIntegerField(_("allowances (baisa)"), default=0)
    governorate = models.ForeignKey(
        "core.Governorate", on_delete=models.PROTECT, verbose_name=_("governorate of work")
    )
    wilayat = models.ForeignKey(
        "core.Wilayat", on_delete=models.PROTECT, verbose_name=_("wilayat of work")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    channel = models.CharField(_("channel"), max_length=10)
    # The terms as submitted, hashed: the same contract sent twice is found, not made twice.
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    employment = models.OneToOneField(
        "registry.Employment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contract",
        verbose_name=_("employment"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    worker_decided_at = models.DateTimeField(_("worker decided at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)
    document_code = models.CharField(_("certificate code"), max_length=16, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("employment contract")
        verbose_name_plural = _("employment contracts")
        indexes = [
            models.Index(fields=["establishment", "-id"], name="contract_by_establishment"),
            models.Index(fields=["person", "-id"], name="contract_by_person"),
            models.Index(fields=["status", "submitted_at"], name="contract_by_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="UNLIMITED", end_date__isnull=True)
                | Q(kind="FIXED", end_date__gt=F("start_date")),
                name="contract_end_date_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__gte=1, weekly_hours__lte=168),
                name="contract_weekly_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(basic_wage_baisa__gte=1), name="contract_wage_positive"
            ),
            models.CheckConstraint(
                condition=Q(employment__isnull=True) | Q(status__in=["ACCEPTED", "ENDED"]),
                name="contract_employment_only_when_accepted",
            ),
            models.UniqueConstraint(
                fields=["establishment", "person"],
                condition=Q(status__in=OPEN_CONTRACT),
                name="one_open_contract_per_pair",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="ACCEPTED", full_time=True),
                name="one_full_time_contract_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def total_wage_baisa(self) -> int:
        return self.basic_wage_baisa + self.allowances_baisa


class ContractAmendment(models.Model):
    """A change of wage, occupation or hours the employer proposes and the worker confirms; the
    rows are the contract's history (each keeps the terms before and after)."""

    class Status(models.TextChoices):
        PROPOSED = "PROPOSED", _("Waiting for the worker")
        CONFIRMED = "CONFIRMED", _("Confirmed")
        DECLINED = "DECLINED", _("Declined by the worker")

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("contract")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    occupation = models.ForeignKey(
        "core.Occupation", on_delete=models.PROTECT, verbose_name=_("occupation")
    )
    weekly_hours = models.PositiveSmallIntegerField(_("working hours a week"))
    basic_wage_baisa = models.PositiveBigIntegerField(_("basic wage (baisa)"))
    allowances_baisa = models.PositiveBigIntegerField(_("allowances (baisa)"))
    before = models.JSONField(_("terms before"))
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("contract amendment")
        verbose_name_plural = _("contract amendments")
        constraints = [
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(status="PROPOSED"),
                name="one_proposed_amendment_per_contract",
            ),
            models.CheckConstraint(
                condition=Q(status="PROPOSED", decided_at__isnull=True)
                | (~Q(status="PROPOSED") & Q(decided_at__isnull=False)),
                name="amendment_decided_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} #{self.pk}"


class EndOfService(models.Model):
    """A resignation by the worker or a termination by the employer of one employment of the
    ledger (a national's, with its contract, or a non-national's). The employment ends on the
    last day; a terminated worker may object within the objection period."""

    class Kind(models.TextChoices):
        RESIGNATION = "RESIGNATION", _("Resignation")
        TERMINATION = "TERMINATION", _("Termination by the employer")

    class Status(models.TextChoices):
        NOTICE = "NOTICE", _("Notice period running")
        ENDED = "ENDED", _("Employment ended")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    employment = models.OneToOneField(
        "registry.Employment",
        on_delete=models.PROTECT,
        related_name="end_of_service",
        verbose_name=_("employment"),
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ends_of_service",
        verbose_name=_("contract"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.NOTICE
    )
    reason_code = models.CharField(_("ground"), max_length=32, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("notice period (days)"))
    last_day = models.DateField(_("last working day"))
    channel = models.CharField(_("channel"), max_length=10)
    submitted_at = models.DateTimeField(_("submitted at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    objection_deadline = models.DateField(_("objection deadline"), null=True, blank=True)
    objection = models.TextField(_("objection"), blank=True)
    objected_at = models.DateTimeField(_("objected at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("end of service")
        verbose_name_plural = _("ends of service")
        indexes = [
            models.Index(fields=["status", "last_day"], name="end_of_service_due"),
            models.Index(
                fields=["objected_at"],
                condition=Q(objected_at__isnull=False),
                name="end_of_service_objections",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="RESIGNATION", objection_deadline__isnull=True)
                | Q(kind="TERMINATION", objection_deadline__isnull=False) & ~Q(reason_code=""),
                name="termination_has_ground_and_deadline",
            ),
            models.CheckConstraint(
                condition=Q(objected_at__isnull=True) | Q(kind="TERMINATION"),
                name="only_a_termination_is_objected",
            ),
            models.CheckConstraint(
                condition=Q(status="NOTICE", ended_at__isnull=True)
                | Q(status="ENDED", ended_at__isnull=False),
                name="end_of_service_ended_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"
