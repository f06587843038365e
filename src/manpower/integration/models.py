"""Other agencies: who they are, their keys, what we exchanged with them, what we owe them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from manpower.core.models import BilingualName


class Scope(models.TextChoices):
    """What a partner key may read. An endpoint names the scopes that open it."""

    REGISTRY = "registry", _("Registry (establishments, employment)")
    POLICE = "police", _("Police")
    SOCIAL_INSURANCE = "social-insurance", _("Social insurance")
    WPS = "wps", _("Wage protection")
    STATISTICS = "statistics", _("Statistics")
    JUDICIAL = "judicial", _("Prosecution and courts")
    CHAMBER = "chamber", _("Chamber of commerce (membership)")


class Agency(BilingualName):
    """A government agency or body we exchange data with (seeded by migration 0002)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    base_url = models.URLField(
        _("base URL of its services"),
        blank=True,
        help_text=_("Empty: the partner simulator is used."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")


class PartnerCredential(models.Model):
    """An API key of an agency. Only its SHA-256 is stored; the key is shown once."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="credentials", verbose_name=_("agency")
    )
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    rate_limit_per_minute = models.PositiveIntegerField(
        _("requests per minute"),
        null=True,
        blank=True,
        help_text=_("Empty: the default limit applies."),
    )
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")

    def __str__(self) -> str:
        return f"{self.agency.code} {self.prefix}…"


class RateWindow(models.Model):
    """Requests of one key in one fixed minute; shared by every server through the database."""

    credential = models.ForeignKey(PartnerCredential, on_delete=models.CASCADE)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["credential_id", "window_start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "window_start"], name="one_rate_window_per_minute"
            )
        ]

    def __str__(self) -> str:
        return f"{self.credential_id} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class MessageLog(models.Model):
    """One exchange with an agency, in or out, successful or not."""

    class Direction(models.TextChoices):
        INBOUND = "IN", _("Inbound")
        OUTBOUND = "OUT", _("Outbound")

    agency = models.ForeignKey(  # indexed by message_by_agency
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        verbose_name=_("agency"),
    )
    credential = models.ForeignKey(
        PartnerCredential, on_delete=models.SET_NULL, null=True, blank=True
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    method = models.CharField(_("method"), max_length=8)
    endpoint = models.CharField(_("endpoint"), max_length=500)
    request_id = models.CharField(_("request id"), max_length=64)
    occurred_at = models.DateTimeField(_("time"))
    payload_hash = models.CharField(_("payload SHA-256"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    request_body = models.TextField(_("request body"), blank=True)
    response_body = models.TextField(_("response body"), blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    bodies_purged_at = models.DateTimeField(_("bodies purged at"), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("message log entry")
        verbose_name_plural = _("message log")
        indexes = [
            models.Index(fields=["agency", "occurred_at"], name="message_by_agency"),
            models.Index(fields=["occurred_at"], name="message_by_time"),
            models.Index(fields=["request_id"], name="message_by_request_id"),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.method} {self.endpoint} {self.status_code}"


class OutboxEvent(models.Model):
    """A domain event written in the same transaction as the change it reports."""

    subject = models.CharField(_("subject"), max_length=120, db_index=True)
    event_type = models.CharField(_("event type"), max_length=80)
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")

    def __str__(self) -> str:
        return f"{self.event_type} {self.subject} #{self.pk}"


class Subscription(models.Model):
    """An agency's webhook: the event types it wants, where, and the secret we sign with."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="subscriptions", verbose_name=_("agency")
    )
    event_types = models.JSONField(_("event types"), default=list)
    url = models.URLField(_("URL"))
    secret = models.CharField(_("signing secret"), max_length=128)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["agency_id", "id"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return f"{self.agency.code} → {self.url}"


class Delivery(models.Model):
    """One event owed to one subscription; claimed by a worker under a lease."""

    class Status(models.TextChoices):
        PENDING = "PENDING", _("Pending")
        DELIVERED = "DELIVERED", _("Delivered")
        DEAD = "DEAD", _("Dead-lettered")

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    # Copied from the event so that "an earlier event of this subject is pending" is one index.
    subject = models.CharField(_("subject"), max_length=120)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    lease_owner = models.CharField(_("worker"), max_length=64, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "subscription"], name="one_delivery_per_subscription"
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "next_attempt_at", "id"],
                name="delivery_due",
                condition=Q(status="PENDING"),
            ),
            models.Index(
                fields=["subscription", "subject", "status", "event"], name="delivery_by_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscription_id} ({self.status})"


class CircuitBreaker(models.Model):
    """The health of one agency's services, shared by every worker through the database."""

    class State(models.TextChoices):
        CLOSED = "CLOSED", _("Closed (calls go through)")
        OPEN = "OPEN", _("Open (calls are not made)")

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="breaker")
    state = models.CharField(max_length=8, choices=State.choices, default=State.CLOSED)
    failures = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agency_id"]
        verbose_name = _("circuit breaker")
        verbose_name_plural = _("circuit breakers")

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.state}"


class CachedAnswer(models.Model):
    """The last good answer of an outbound check, used while the agency is unreachable."""

    check_name = models.CharField(max_length=40)
    key = models.CharField(max_length=40)
    answer = models.JSONField()
    fetched_at = models.DateTimeField()

    class Meta:
        ordering = ["check_name", "key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["check_name", "key"], name="one_cached_answer")
        ]

    def __str__(self) -> str:
        return f"{self.check_name} {self.key}"


class QueuedCheck(models.Model):
    """A check that may wait, put aside while its agency was down; completed later."""

    class Status(models.TextChoices):
        PENDING = "PENDING", _("Pending")
        DONE = "DONE", _("Done")

    check_name = models.CharField(_("check"), max_length=40)
    key = models.CharField(_("key"), max_length=40)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    result = models.JSONField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("queued check")
        verbose_name_plural = _("queued checks")
        constraints = [
            models.UniqueConstraint(
                fields=["check_name", "key"],
                condition=Q(status="PENDING"),
                name="one_pending_check_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.check_name} {self.key} ({self.status})"


class FileExchange(models.Model):
    """A file exchanged with an agency: an export we made for it, or an import it sent us.

    An import is identified by its SHA-256 per agency: sending the same bytes again returns the
    first report instead of applying the file twice.
    """

    class Direction(models.TextChoices):
        EXPORT = "OUT", _("Export (to the agency)")
        IMPORT = "IN", _("Import (from the agency)")

    class Kind(models.TextChoices):
        EVENTS = "events", _("Events of its subscriptions")
        ESTABLISHMENTS = "establishments", _("Establishments")
        CHAMBER_RENEWALS = "chamber-renewals", _("Chamber membership renewals")
        WPS_ARCHIVE = "wps-archive", _("Salary file archives (wage protection)")

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="files", verbose_name=_("agency")
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("content"))
    since_at = models.DateTimeField(_("records since"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("lines"), default=0)
    accepted_count = models.PositiveIntegerField(_("accepted lines"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected lines"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("file exchange")
        verbose_name_plural = _("file exchanges")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "sha256"],
                condition=Q(direction="IN"),
                name="one_import_per_file",
            )
        ]
        indexes = [
            models.Index(
                fields=["agency", "direction", "kind", "created_at"], name="file_by_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.direction} {self.name}"
