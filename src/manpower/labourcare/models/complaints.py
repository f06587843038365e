"""Labour complaints filed online by a worker against the employer or by an employer against a
worker, their evidence files, the labour-care officers' postings, and the court cases that the
complaints referred to court become (with the hearings and the judgment the court sends back).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from manpower.core.models import BilingualName

OPEN_COMPLAINT = ("SUBMITTED", "UNDER_REVIEW", "MEETING_SCHEDULED")


class ComplaintCategory(BilingualName):
    """One of the reference list of complaint categories (migration 0002 loads the CSV)."""

    class Group(models.TextChoices):
        WAGES = "WAGES", _("Wages")
        END_OF_SERVICE = "END_OF_SERVICE", _("End of service")
        LEAVE = "LEAVE", _("Leave")
        CONTRACT = "CONTRACT", _("Contract")
        WORKING_CONDITIONS = "WORKING_CONDITIONS", _("Working conditions")
        HOUSING = "HOUSING", _("Housing and transport")
        DOCUMENTS = "DOCUMENTS", _("Documents held")
        SAFETY = "SAFETY", _("Health and safety")
        CONDUCT = "CONDUCT", _("Conduct and discipline")
        WORKER_OBLIGATIONS = "WORKER_OBLIGATIONS", _("The worker's obligations")

    code = models.CharField(_("code"), max_length=40, unique=True)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    for_employer = models.BooleanField(_("an employer may file it"), default=False)
    for_worker = models.BooleanField(_("a worker may file it"), default=True)

    class Meta:
        ordering = ["group", "code"]
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")


class OfficerPosting(models.Model):
    """A labour-care officer posted to a governorate: the complaints of workplaces there are
    theirs to handle; a supervisor also assigns them and watches the overdue queue."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="complaint_postings",
        verbose_name=_("officer"),
    )
    governorate = models.ForeignKey(
        "core.Governorate", on_delete=models.PROTECT, verbose_name=_("governorate")
    )
    is_supervisor = models.BooleanField(_("supervisor"), default=False)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        ordering = ["governorate_id", "user_id", "id"]
        verbose_name = _("officer posting")
        verbose_name_plural = _("officer postings")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "governorate"], name="one_posting_per_officer_governorate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.governorate_id}"


class Complaint(models.Model):
    """A complaint between a worker and an employer about one employment.

    Its status moves only along `services.COMPLAINT_TRANSITIONS`; each move sets the time the
    new stage is due (`stage_due_at`), from which the supervisors' overdue queue is read.
    """

    class FiledBy(models.TextChoices):
        WORKER = "WORKER", _("The worker")
        EMPLOYER = "EMPLOYER", _("The employer")

    class Status(models.TextChoices):
        SUBMITTED = "SUBMITTED", _("Submitted, waiting for an officer")
        UNDER_REVIEW = "UNDER_REVIEW", _("Under review by an officer")
        MEETING_SCHEDULED = "MEETING_SCHEDULED", _("Meeting scheduled")
        SETTLED = "SETTLED", _("Settled")
        WITHDRAWN = "WITHDRAWN", _("Withdrawn")
        REFERRED_TO_COURT = "REFERRED_TO_COURT", _("Referred to court")
        REJECTED = "REJECTED", _("Rejected")

    number = models.CharField(_("complaint number"), max_length=20, unique=True)
    filed_by = models.CharField(_("filed by"), max_length=10, choices=FiledBy.choices)
    establishment = models.ForeignKey(
        "registry.Establishment",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("employer"),
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("worker"),
    )
    employment = models.ForeignKey(
        "registry.Employment",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("employment"),
    )
    # The workplace's governorate when filed: whose officers handle it.
    governorate = models.ForeignKey(
        "core.Governorate", on_delete=models.PROTECT, verbose_name=_("governorate")
    )
    category = models.ForeignKey(
        ComplaintCategory, on_delete=models.PROTECT, verbose_name=_("category")
    )
    description = models.TextField(_("description"), max_length=4000)
    claimed_amount_baisa = models.PositiveBigIntegerField(_("amount claimed (baisa)"), default=0)
    arose_date = models.DateField(_("date the claim arose"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    channel = models.CharField(_("channel"), max_length=10)
    filed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by user"),
    )
    # The complaint as sent, hashed: the same complaint sent twice is found, not made twice.
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    stage_due_at = models.DateTimeField(_("current stage due at"))
    meeting_at = models.DateTimeField(_("meeting at"), null=True, blank=True)
    meeting_place = models.CharField(_("meeting place"), max_length=200, blank=True)
    settled_amount_baisa = models.PositiveBigIntegerField(
        _("amount settled (baisa)"), null=True, blank=True
    )
    settlement_due_date = models.DateField(_("to be paid by"), null=True, blank=True)
    outcome_reason = models.CharField(_("reason"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["person", "-id"], name="complaint_by_person"),
            models.Index(fields=["establishment", "-id"], name="complaint_by_establishment"),
            models.Index(fields=["governorate", "status", "stage_due_at"], name="complaint_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(settled_amount_baisa__isnull=True) | Q(status="SETTLED"),
                name="complaint_settlement_only_when_settled",
            ),
            models.CheckConstraint(
                condition=Q(officer__isnull=False)
                | Q(status__in=["SUBMITTED", "WITHDRAWN"])
                | Q(status="REJECTED"),
                name="complaint_officer_once_reviewed",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_COMPLAINT


class ComplaintEvidence(models.Model):
    """A file a party attached to a complaint. The bytes are on disk (`storage.py`), named by
    their SHA-256; the row keeps what they are and who sent them."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("complaint")
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.CharField(_("sent by"), max_length=10, choices=Complaint.FiledBy.choices)
    uploaded_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["complaint_id", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "sha256"], name="one_copy_of_evidence_per_complaint"
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class LabourCase(models.Model):
    """A complaint referred to court: the case file sent to the judicial agency, and what the
    court sent back. Its status moves only along `services.CASE_TRANSITIONS`."""

    class Status(models.TextChoices):
        SENT = "SENT", _("Sent to court")
        IN_HEARING = "IN_HEARING", _("Hearings set")
        JUDGED = "JUDGED", _("Judgment given")

    class Party(models.TextChoices):
        WORKER = "WORKER", _("The worker")
        EMPLOYER = "EMPLOYER", _("The employer")

    number = models.CharField(_("case number"), max_length=20, unique=True)
    complaint = models.OneToOneField(
        Complaint, on_delete=models.PROTECT, related_name="case", verbose_name=_("complaint")
    )
    agency_code = models.CharField(_("judicial agency"), max_length=40)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SENT
    )
    referred_at = models.DateTimeField(_("referred at"))
    judgment_date = models.DateField(_("judgment date"), null=True, blank=True)
    judgment_for = models.CharField(
        _("judgment for"), max_length=10, choices=Party.choices, blank=True
    )
    orders_transfer = models.BooleanField(_("orders a transfer to another employer"), default=False)
    dues_baisa = models.PositiveBigIntegerField(_("dues ordered (baisa)"), default=0)
    judgment_summary = models.TextField(_("judgment"), max_length=4000, blank=True)
    # The judgment as the court sent it, hashed: a replay is recognised, a different one refused.
    judgment_key = models.CharField(_("judgment fingerprint"), max_length=64, blank=True)
    judged_at = models.DateTimeField(_("judgment received at"), null=True, blank=True)

    class Meta:
        ordering = ["-referred_at", "-id"]
        verbose_name = _("labour case")
        verbose_name_plural = _("labour cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="JUDGED", judged_at__isnull=False)
                | (~Q(status="JUDGED") & Q(judged_at__isnull=True)),
                name="labour_case_judged_at_matches_status",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def frees_the_worker(self) -> bool:
        """A judgment for the worker that orders a transfer or dues lets the worker move."""
        return (
            self.status == self.Status.JUDGED
            and self.judgment_for == self.Party.WORKER
            and (self.orders_transfer or self.dues_baisa > 0)
        )


class CaseHearing(models.Model):
    """A hearing the court set, as the court posted it (its own reference is the natural key)."""

    case = models.ForeignKey(
        LabourCase, on_delete=models.PROTECT, related_name="hearings", verbose_name=_("case")
    )
    reference = models.CharField(_("court's reference"), max_length=40)
    hearing_at = models.DateTimeField(_("hearing at"))
    court_name = models.CharField(_("court"), max_length=200)
    note = models.CharField(_("note"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        ordering = ["case_id", "hearing_at", "id"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        constraints = [
            models.UniqueConstraint(fields=["case", "reference"], name="one_hearing_per_reference")
        ]

    def __str__(self) -> str:
        return self.reference
