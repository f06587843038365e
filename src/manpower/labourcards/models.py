"""Non-nationals at work: labour cards (work practice permits), the paid requests that issue,
renew and print them, transfers of services to a new employer, and departures the police report.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LabourCard(models.Model):
    """The work practice permit of one non-national for one employment.

    Its status moves only along `services.TRANSITIONS`; a renewal extends the same card.
    """

    class Kind(models.TextChoices):
        COMMERCIAL = "COMMERCIAL", _("Commercial")
        PRIVATE = "PRIVATE", _("Private (household)")

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", _("Active")
        EXPIRED = "EXPIRED", _("Expired")
        CANCELLED = "CANCELLED", _("Cancelled")

    class WorkerStatus(models.TextChoices):
        WORKING = "WORKING", _("Working")
        LEGAL_LEAVE = "LEGAL_LEAVE", _("On legal leave")
        UNPAID_LEAVE = "UNPAID_LEAVE", _("On unpaid leave")
        LEFT_WORKPLACE = "LEFT_WORKPLACE", _("Left the workplace")

    number = models.CharField(_("labour card number"), max_length=16, unique=True)
    employment = models.ForeignKey(
        "registry.Employment",
        on_delete=models.PROTECT,
        related_name="labour_cards",
        verbose_name=_("employment"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    worker_status = models.CharField(
        _("worker status"),
        max_length=14,
        choices=WorkerStatus.choices,
        default=WorkerStatus.WORKING,
    )
    issued_at = models.DateTimeField(_("issued at"))
    expiry_date = models.DateField(_("valid until"))
    renewed_at = models.DateTimeField(_("last renewed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    close_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    document_code = models.CharField(_("card document code"), max_length=16, blank=True)
    # A reason for moving without the employer's consent that another app's decision gave the
    # worker (labour care revoking an absconding report); `transfer_request` reads it.
    freed_to_move_reason = models.CharField(
        _("free to move employer because"), max_length=40, blank=True
    )

    class Meta:
        ordering = ["expiry_date", "id"]
        verbose_name = _("labour card")
        verbose_name_plural = _("labour cards")
        indexes = [
            models.Index(fields=["status", "expiry_date"], name="labourcard_by_expiry"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["employment"],
                condition=Q(status__in=["ACTIVE", "EXPIRED"]),
                name="one_open_card_per_employment",
            ),
            models.CheckConstraint(
                condition=Q(status="CANCELLED", closed_at__isnull=False)
                | (~Q(status="CANCELLED") & Q(closed_at__isnull=True)),
                name="labourcard_closed_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CardRequest(models.Model):
    """A paid request about a worker's card; it is completed once its invoices are paid."""

    class Kind(models.TextChoices):
        ISSUE = "ISSUE", _("Labour card issue")
        RENEWAL = "RENEWAL", _("Labour card renewal")
        DEPARTURE_FORM = "DEPARTURE_FORM", _("Departure form")

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "AWAITING_PAYMENT", _("Awaiting payment")
        COMPLETED = "COMPLETED", _("Completed")
        CANCELLED = "CANCELLED", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.AWAITING_PAYMENT
    )
    employment = models.ForeignKey(
        "registry.Employment",
        on_delete=models.PROTECT,
        related_name="card_requests",
        verbose_name=_("employment"),
    )
    card = models.ForeignKey(
        LabourCard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("labour card"),
    )
    card_kind = models.CharField(_("card kind"), max_length=12, choices=LabourCard.Kind.choices)
    resident_card_number = models.CharField(_("resident card number"), max_length=12, blank=True)
    invoice = models.ForeignKey(
        "payments.Invoice", on_delete=models.PROTECT, related_name="+", verbose_name=_("invoice")
    )
    late_invoice = models.ForeignKey(
        "payments.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("late fee invoice"),
    )
    late_months = models.PositiveIntegerField(_("months late"), default=0)
    channel = models.CharField(_("channel"), max_length=10)
    requested_at = models.DateTimeField(_("requested at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    document_code = models.CharField(_("document code"), max_length=16, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("card request")
        verbose_name_plural = _("card requests")
        constraints = [
            models.UniqueConstraint(
                fields=["employment", "kind"],
                condition=Q(status="AWAITING_PAYMENT"),
                name="one_open_card_request_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.employment_id} ({self.status})"


class Transfer(models.Model):
    """A worker's move to a new employer: asked by the new one, who pays the transfer fee, and
    agreed by the current one unless the reason is one that needs no consent. The worker moves
    once both hold; the status moves only along `services.TRANSFER_TRANSITIONS`."""

    class Status(models.TextChoices):
        AWAITING_CONSENT = "AWAITING_CONSENT", _("Awaiting the current employer's consent")
        AWAITING_PAYMENT = "AWAITING_PAYMENT", _("Awaiting payment of the transfer fee")
        COMPLETED = "COMPLETED", _("Completed")
        REFUSED = "REFUSED", _("Refused by the current employer")
        CANCELLED = "CANCELLED", _("Cancelled")

    from_employment = models.ForeignKey(
        "registry.Employment",
        on_delete=models.PROTECT,
        related_name="transfers_out",
        verbose_name=_("current employment"),
    )
    to_establishment = models.ForeignKey(
        "registry.Establishment",
        on_delete=models.PROTECT,
        related_name="transfers_in",
        verbose_name=_("new employer"),
    )
    to_employment = models.OneToOneField(
        "registry.Employment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfer_in",
        verbose_name=_("new employment"),
    )
    licence_number = models.CharField(_("licence whose vacancy is used"), max_length=20)
    occupation = models.ForeignKey(
        "core.Occupation", on_delete=models.PROTECT, verbose_name=_("occupation")
    )
    basic_wage_baisa = models.PositiveBigIntegerField(_("basic wage (baisa)"))
    reason = models.CharField(_("reason without consent"), max_length=40, blank=True)
    # The transfer fee billed to the new employer; empty only on transfers decided before the
    # fee was billed.
    invoice = models.ForeignKey(
        "payments.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invoice"),
    )
    # The new employer's vacancy held from the request (`reserved + 1`): used when the worker
    # moves, freed when the transfer ends otherwise.
    vacancy = models.ForeignKey(
        "licensing.LicenceVacancy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vacancy held"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    requested_at = models.DateTimeField(_("requested at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("transfer of services")
        verbose_name_plural = _("transfers of services")
        constraints = [
            models.UniqueConstraint(
                fields=["from_employment"],
                condition=Q(status__in=["AWAITING_CONSENT", "AWAITING_PAYMENT"]),
                name="one_open_transfer_per_employment",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["AWAITING_CONSENT", "AWAITING_PAYMENT"])
                | Q(vacancy__isnull=False),
                name="open_transfer_holds_a_vacancy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_employment_id} → {self.to_establishment_id} ({self.status})"


class PoliceDeparture(models.Model):
    """A departure the police reported at a border post; the first answer is kept so that a
    repeated report gets the same one."""

    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="police_departures",
        verbose_name=_("person"),
    )
    departure_date = models.DateField(_("departure date"))
    border_post = models.CharField(_("border post"), max_length=100)
    received_at = models.DateTimeField(_("received at"))
    answer = models.JSONField(_("answer sent"))

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("police departure")
        verbose_name_plural = _("police departures")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "departure_date"], name="one_departure_per_person_and_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.departure_date}"
