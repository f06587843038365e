"""Money in: fees, invoices, payments from every channel, refunds and settlement reports.

Amounts are integer baisa. An invoice copies its fee into its lines when it is created, so a
later fee change never alters it. Every payment that reaches us is recorded, even when it cannot
be applied (late, duplicate-paid, wrong amount, unknown invoice): it is then flagged for refund,
so nothing is lost and nothing is counted twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from manpower.core.money import format_omr


class Fee(models.Model):
    """The fee of one service (by its catalogue code) from a date on."""

    service_code = models.CharField(_("service code"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    amount_baisa = models.PositiveIntegerField(_("amount (baisa)"))
    effective_from_date = models.DateField(_("effective from"))

    class Meta:
        ordering = ["service_code", "-effective_from_date", "-id"]
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        constraints = [
            models.UniqueConstraint(
                fields=["service_code", "effective_from_date"], name="fee_one_per_service_and_date"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.service_code} {format_omr(self.amount_baisa)} from {self.effective_from_date}"
        )


class Invoice(models.Model):
    class Status(models.TextChoices):
        UNPAID = "UNPAID", _("Unpaid")
        PAID = "PAID", _("Paid")
        EXPIRED = "EXPIRED", _("Expired")
        CANCELLED = "CANCELLED", _("Cancelled")
        PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED", _("Partially refunded")
        REFUNDED = "REFUNDED", _("Refunded")

    number = models.CharField(_("invoice number"), max_length=20, unique=True)
    service_code = models.CharField(_("service code"), max_length=40)
    payer_cr_number = models.CharField(
        _("paying establishment (CR)"), max_length=10, blank=True, db_index=True
    )
    payer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("paying person"),
    )
    payer_name_en = models.CharField(_("payer name (English)"), max_length=200)
    payer_name_ar = models.CharField(_("payer name (Arabic)"), max_length=200)
    amount_baisa = models.PositiveIntegerField(_("amount (baisa)"))
    refunded_baisa = models.PositiveIntegerField(_("refunded (baisa)"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UNPAID
    )
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("expired or cancelled at"), null=True, blank=True)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    receipt_code = models.CharField(_("receipt code"), max_length=16, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.CheckConstraint(
                condition=(~Q(payer_cr_number="") & Q(payer_user__isnull=True))
                | Q(payer_cr_number="", payer_user__isnull=False),
                name="invoice_exactly_one_payer",
            ),
            models.CheckConstraint(
                condition=Q(refunded_baisa__lte=models.F("amount_baisa")),
                name="invoice_refund_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(status="UNPAID", paid_at__isnull=True)
                | Q(status__in=["EXPIRED", "CANCELLED"], paid_at__isnull=True)
                | Q(status__in=["PAID", "PARTIALLY_REFUNDED", "REFUNDED"], paid_at__isnull=False),
                name="invoice_paid_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def amount_display(self) -> str:
        return format_omr(self.amount_baisa)

    @property
    def refundable_baisa(self) -> int:
        return self.amount_baisa - self.refunded_baisa


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    fee = models.ForeignKey(Fee, on_delete=models.PROTECT, related_name="+")
    description_en = models.CharField(_("description (English)"), max_length=200)
    description_ar = models.CharField(_("description (Arabic)"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_baisa = models.PositiveIntegerField(_("unit price (baisa)"))
    amount_baisa = models.PositiveIntegerField(_("amount (baisa)"))

    class Meta:
        ordering = ["invoice_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_baisa=models.F("quantity") * models.F("unit_baisa")),
                name="invoice_line_amount_is_quantity_times_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.description_en} × {self.quantity}"

    @property
    def amount_display(self) -> str:
        return format_omr(self.amount_baisa)


class PaymentSession(models.Model):
    """One attempt to pay an invoice at a gateway's hosted page."""

    class Status(models.TextChoices):
        OPEN = "OPEN", _("Waiting for the payer")
        SUCCEEDED = "SUCCEEDED", _("Paid")
        FAILED = "FAILED", _("Declined")

    token = models.CharField(max_length=32, unique=True)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="sessions")
    gateway = models.CharField(_("gateway"), max_length=20)
    amount_baisa = models.PositiveIntegerField(_("amount (baisa)"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment session")
        verbose_name_plural = _("payment sessions")

    def __str__(self) -> str:
        return f"{self.gateway} {self.token}"

    @property
    def amount_display(self) -> str:
        return format_omr(self.amount_baisa)


class Payment(models.Model):
    """Money that reached us, whatever its channel; unique on the channel's transaction id."""

    class Method(models.TextChoices):
        GATEWAY = "GATEWAY", _("Online payment")
        SANAD = "SANAD", _("Sanad service centre counter")

    class Outcome(models.TextChoices):
        APPLIED = "APPLIED", _("Applied to the invoice")
        LATE = "LATE", _("Arrived after the invoice expired or was cancelled")
        ALREADY_PAID = "ALREADY_PAID", _("The invoice was already paid")
        AMOUNT_MISMATCH = "AMOUNT_MISMATCH", _("Amount differs from the invoice")
        UNKNOWN_INVOICE = "UNKNOWN_INVOICE", _("No such invoice")

    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    channel = models.CharField(_("gateway or channel"), max_length=20)
    transaction_id = models.CharField(_("transaction id"), max_length=64)
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    invoice_number = models.CharField(_("invoice number as received"), max_length=40)
    amount_baisa = models.PositiveIntegerField(_("amount (baisa)"))
    received_at = models.DateTimeField(_("received at"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    refund_due = models.BooleanField(_("refund due"), default=False)
    sanad_centre_code = models.CharField(_("Sanad centre code"), max_length=20, blank=True)
    refund_settled_at = models.DateTimeField(_("refund settled at"), null=True, blank=True)
    refund_settled_by_user_id = models.BigIntegerField(null=True, blank=True)
    refund_reason = models.CharField(_("refund reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "transaction_id"], name="payment_once_per_transaction"
            ),
            models.UniqueConstraint(
                fields=["invoice"], condition=Q(outcome="APPLIED"), name="payment_one_applied"
            ),
            models.CheckConstraint(
                condition=Q(outcome="APPLIED", refund_due=False) | ~Q(outcome="APPLIED"),
                name="payment_applied_is_not_refund_due",
            ),
            models.CheckConstraint(
                condition=Q(refund_settled_at__isnull=True)
                | Q(refund_due=True, refund_settled_by_user_id__isnull=False),
                name="payment_only_refund_due_is_settled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.transaction_id}"


class Refund(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="refunds")
    amount_baisa = models.PositiveIntegerField(_("amount (baisa)"))
    reason = models.CharField(_("reason"), max_length=500)
    refunded_by_user_id = models.BigIntegerField()
    refunded_at = models.DateTimeField()

    class Meta:
        ordering = ["-refunded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_baisa__gt=0), name="refund_positive")
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} −{format_omr(self.amount_baisa)}"


class GatewayCallback(models.Model):
    """Every server-to-server call a gateway made, kept whatever became of it."""

    gateway = models.CharField(max_length=20)
    received_at = models.DateTimeField()
    body = models.TextField()
    signature_valid = models.BooleanField()
    transaction_id = models.CharField(max_length=64, blank=True)
    result = models.CharField(max_length=30)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.gateway} {self.transaction_id} {self.result}"


class SandboxCharge(models.Model):
    """The sandbox gateway's own ledger: what it would settle to the ministry's account."""

    transaction_id = models.CharField(max_length=64, unique=True)
    session = models.ForeignKey(PaymentSession, on_delete=models.PROTECT, related_name="+")
    invoice_number = models.CharField(max_length=40)
    amount_baisa = models.PositiveIntegerField()
    card_last4 = models.CharField(max_length=4)
    succeeded = models.BooleanField()
    charged_at = models.DateTimeField()

    class Meta:
        ordering = ["charged_at", "id"]

    def __str__(self) -> str:
        return self.transaction_id


class SettlementReport(models.Model):
    """The result of matching one gateway settlement file against our payments."""

    gateway = models.CharField(max_length=20)
    settlement_date = models.DateField()
    imported_at = models.DateTimeField()
    file_sha256 = models.CharField(max_length=64)
    matched = models.PositiveIntegerField()
    missing_ours = models.JSONField(default=list)
    missing_gateway = models.JSONField(default=list)
    amount_mismatches = models.JSONField(default=list)

    class Meta:
        ordering = ["-settlement_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "settlement_date", "file_sha256"], name="settlement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.settlement_date}"
