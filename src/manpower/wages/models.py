"""Salary information files (SIF) sent by banks for an establishment's month, their employee
lines, and what the checks found in them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from manpower.core.actor import Channel
from manpower.core.models import BilingualName, Upload
from manpower.registry.models import Employment, Establishment, Person


class Bank(BilingualName):
    """A bank regulated by the Central Bank through which wages are paid (migration 0002)."""

    code = models.CharField(_("short code"), max_length=4, unique=True)
    bic = models.CharField(_("BIC"), max_length=11, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("bank")
        verbose_name_plural = _("banks")
        constraints = [
            models.CheckConstraint(
                condition=Q(bic__regex=r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$"),
                name="bank_bic_format",
            ),
        ]


class CheckedFile(models.Model):
    """A file taken whole and checked afterwards, a SIF or an archive of them: the sender is
    answered at once and reads the outcome (CHECKED or REJECTED) and the progress later; its
    content's hash answers a second sending with the first one's result."""

    class Status(models.TextChoices):
        RECEIVED = "RECEIVED", _("Received")
        CHECKING = "CHECKING", _("Being checked")
        CHECKED = "CHECKED", _("Checked")
        REJECTED = "REJECTED", _("Rejected")

    sha256 = models.CharField(_("SHA-256 of the content"), max_length=64, unique=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    lines_total = models.PositiveIntegerField(_("lines"), default=0)
    lines_checked = models.PositiveIntegerField(_("lines checked"), default=0)
    submitted_by_label = models.CharField(_("submitted by (label)"), max_length=150)
    check_started_at = models.DateTimeField(_("check started at"), null=True, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.file_name

    @property
    def done(self) -> bool:
        return self.status in (self.Status.CHECKED, self.Status.REJECTED)


class SalaryArchive(CheckedFile):
    """A zip of many SIFs: the central bank's batch of a month for the whole country. Each
    member becomes a SalaryFile judged on its own; a member that cannot be one (a bad name,
    not UTF-8, too big, a path or a nested archive) is listed in `refused` and the others go
    on. The counts are the progress the sender sees."""

    file_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(_("stored as"), max_length=100)
    members_total = models.PositiveIntegerField(_("members"), default=0)
    # Members taken out of the zip so far, in its order: a resumed check goes on from there.
    members_read = models.PositiveIntegerField(_("members read"), default=0)
    files_total = models.PositiveIntegerField(_("files"), default=0)
    files_checked = models.PositiveIntegerField(_("files checked"), default=0)
    refused = models.JSONField(_("refused members"), default=list, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("salary file archive")
        verbose_name_plural = _("salary file archives")
        constraints = [
            models.CheckConstraint(
                condition=Q(files_checked__lte=F("files_total"))
                & Q(lines_checked__lte=F("lines_total"))
                & Q(members_read__lte=F("members_total")),
                name="salaryarchive_progress_within_total",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["RECEIVED", "CHECKING", "CHECKED", "REJECTED"]),
                name="salaryarchive_status_known",
            ),
        ]


class SalaryFile(Upload, CheckedFile):
    """One SIF: one establishment's payroll for one month, as its bank (or the establishment,
    or the central bank) sent it. Its name's parts and its content's hash are the natural keys
    that make a second submission answer with the first one's result."""

    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="salary_files",
        verbose_name=_("establishment"),
    )
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, verbose_name=_("bank"))
    archive = models.ForeignKey(
        SalaryArchive,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("archive"),
    )
    file_name = models.CharField(_("file name"), max_length=100)
    name_cr = models.CharField(_("CR number in the name"), max_length=17)
    name_bank = models.CharField(_("bank code in the name"), max_length=4)
    name_date = models.DateField(_("date in the name"))
    name_serial = models.PositiveSmallIntegerField(_("serial in the name"))
    # `<sha256>.csv`, or for a file left in its archive `<archive's sha256>.zip/<file name>`.
    stored_name = models.CharField(_("stored as"), max_length=200)
    salary_year = models.PositiveSmallIntegerField(_("salary year"), null=True, blank=True)
    salary_month = models.PositiveSmallIntegerField(_("salary month"), null=True, blank=True)
    error_count = models.PositiveIntegerField(_("errors"), default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("salary file")
        verbose_name_plural = _("salary files")
        indexes = [
            models.Index(fields=["establishment", "-received_at", "-id"], name="salaryfile_by_est")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["name_cr", "name_bank", "name_date", "name_serial"],
                name="salaryfile_unique_name",
            ),
            models.CheckConstraint(
                condition=Q(name_serial__gte=1, name_serial__lte=999),
                name="salaryfile_serial_range",
            ),
            models.CheckConstraint(
                condition=Q(salary_month__isnull=True)
                | Q(salary_month__gte=1, salary_month__lte=12),
                name="salaryfile_month_range",
            ),
            models.CheckConstraint(
                condition=Q(lines_checked__lte=F("lines_total")),
                name="salaryfile_checked_within_total",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["RECEIVED", "CHECKING", "CHECKED", "REJECTED"]),
                name="salaryfile_status_known",
            ),
        ]


class SalaryLine(models.Model):
    """One employee row of a file, as read (money in baisa, extra hours in hundredths); a value
    that could not be read is empty and its error is in `LineError`. `person` and `employment`
    are what the ledger check found for the row's worker."""

    class IdType(models.TextChoices):
        CIVIL = "C", _("Civil or resident card number")
        PASSPORT = "P", _("Passport")

    # Indexed by salaryline_unique_line (file, line number).
    file = models.ForeignKey(
        SalaryFile, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    line_number = models.PositiveIntegerField(_("line"))
    id_type = models.CharField(_("ID type"), max_length=1, blank=True)
    employee_id = models.CharField(_("employee ID"), max_length=17, blank=True)
    # The ID passed its format checks, so the ledger is asked about it.
    id_ok = models.BooleanField(_("ID well formed"), default=False)
    reference = models.CharField(_("reference number"), max_length=40, blank=True)
    employee_name = models.CharField(_("employee name"), max_length=70, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    account = models.CharField(_("account"), max_length=30, blank=True)
    frequency = models.CharField(_("salary frequency"), max_length=1, blank=True)
    working_days = models.PositiveSmallIntegerField(_("working days"), null=True, blank=True)
    net_baisa = models.BigIntegerField(_("net salary (baisa)"), null=True, blank=True)
    basic_baisa = models.BigIntegerField(_("basic salary (baisa)"), null=True, blank=True)
    extra_hours_centi = models.BigIntegerField(_("extra hours (1/100)"), null=True, blank=True)
    extra_income_baisa = models.BigIntegerField(_("extra income (baisa)"), null=True, blank=True)
    deductions_baisa = models.BigIntegerField(_("deductions (baisa)"), null=True, blank=True)
    social_security_baisa = models.BigIntegerField(
        _("social security deductions (baisa)"), null=True, blank=True
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    # Found by the ledger match in the statement that writes the line. The foreign keys keep
    # their database constraints although their checks at commit are a large part of a
    # national batch's time (docs/benchmarks.md): the lines' integrity is not traded for speed.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    employment = models.ForeignKey(  # not indexed: nothing looks lines up by employment
        Employment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["file_id", "line_number"]
        verbose_name = _("salary line")
        verbose_name_plural = _("salary lines")
        constraints = [
            models.UniqueConstraint(fields=["file", "line_number"], name="salaryline_unique_line"),
        ]
        indexes = [models.Index(fields=["file", "person"], name="salaryline_by_person")]

    def __str__(self) -> str:
        return f"{self.file_id}:{self.line_number}"


class LineError(models.Model):
    """One thing wrong in a file: at a line and field, or (no line) the whole file, such as a
    worker of the ledger whom the file does not pay. The message is kept in both languages as
    it was said, for the downloadable report."""

    file = models.ForeignKey(
        SalaryFile, on_delete=models.CASCADE, related_name="errors", db_index=False
    )
    line_number = models.PositiveIntegerField(_("line"), null=True, blank=True)
    field = models.CharField(_("field"), max_length=40)
    code = models.CharField(_("code"), max_length=40)
    employee_id = models.CharField(_("employee ID"), max_length=17, blank=True)
    message_ar = models.CharField(_("message (Arabic)"), max_length=300)
    message_en = models.CharField(_("message (English)"), max_length=300)

    class Meta:
        ordering = ["file_id", "line_number", "id"]
        verbose_name = _("line error")
        verbose_name_plural = _("line errors")
        indexes = [models.Index(fields=["file", "line_number", "id"], name="lineerror_by_line")]

    def __str__(self) -> str:
        return f"{self.file_id}:{self.line_number} {self.code}"


class Exemption(models.Model):
    """A worker whom the month's checks leave out for a period, recorded by a wage protection
    officer with the reason (new hires in their first days are left out without one)."""

    class Reason(models.TextChoices):
        DISPUTE = "DISPUTE", _("A labour dispute stopping work")
        SUSPENSION = "SUSPENSION", _("Work suspended outside the employer's control")
        ABSCONDING = "ABSCONDING", _("An approved absconding report")
        UNPAID_LEAVE = "UNPAID_LEAVE", _("Unpaid leave")
        COMMITTEE = "COMMITTEE", _("Decided by the committee")

    employment = models.ForeignKey(
        Employment,
        on_delete=models.PROTECT,
        related_name="wps_exemptions",
        verbose_name=_("employment"),
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.CharField(_("officer's note"), max_length=300)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        indexes = [
            models.Index(fields=["employment", "start_date", "end_date"], name="exemption_by_emp")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="exemption_period_order"
            ),
            models.CheckConstraint(
                condition=Q(
                    reason__in=["DISPUTE", "SUSPENSION", "ABSCONDING", "UNPAID_LEAVE", "COMMITTEE"]
                ),
                name="exemption_reason_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employment_id} {self.reason} {self.start_date}..{self.end_date}"


class MonthlyCompliance(models.Model):
    """An establishment's month as the Wage Protection System judged it: of its ledger workers
    (the exempt left out), how many were paid correctly and on time. Recomputed for every
    establishment at once (`services.compliance_compute`)."""

    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.CASCADE,
        related_name="wps_months",
        verbose_name=_("establishment"),
    )
    salary_year = models.PositiveSmallIntegerField(_("salary year"))
    salary_month = models.PositiveSmallIntegerField(_("salary month"))
    workers = models.PositiveIntegerField(_("workers to pay"))
    paid_ok = models.PositiveIntegerField(_("paid correctly and on time"))
    exempt = models.PositiveIntegerField(_("exempt workers"))
    # paid_ok / workers in hundredths of a percent, rounded down.
    share_permyriad = models.PositiveSmallIntegerField(_("share paid (1/10000)"))
    compliant = models.BooleanField(_("compliant"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["establishment_id", "-salary_year", "-salary_month", "-id"]
        verbose_name = _("monthly compliance")
        verbose_name_plural = _("monthly compliance")
        indexes = [
            models.Index(
                fields=["salary_year", "salary_month", "compliant", "establishment"],
                name="compliance_by_month",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "salary_year", "salary_month"],
                name="compliance_one_per_month",
            ),
            models.CheckConstraint(
                condition=Q(paid_ok__lte=F("workers")) & Q(share_permyriad__lte=10000),
                name="compliance_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.establishment_id} {self.salary_year}-{self.salary_month:02d}"

    @property
    def unpaid(self) -> int:
        return self.workers - self.paid_ok

    @property
    def share_percent(self) -> str:
        return f"{self.share_permyriad / 100:.2f}"


class Sanction(models.Model):
    """One step of the escalation ladder taken against an establishment for a non-compliant
    month: a warning, the suspension of new work-permit services (until lifted), or a fine
    billed through payments."""

    class Action(models.TextChoices):
        WARNING = "WARNING", _("Warning")
        SUSPENSION = "SUSPENSION", _("Suspension of new work-permit services")
        FINE = "FINE", _("Fine")

    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="wps_sanctions",
        verbose_name=_("establishment"),
    )
    salary_year = models.PositiveSmallIntegerField(_("salary year"))
    salary_month = models.PositiveSmallIntegerField(_("salary month"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    unpaid_workers = models.PositiveIntegerField(_("workers not paid correctly"))
    repeat = models.BooleanField(_("repeat within 12 months"), default=False)
    amount_baisa = models.PositiveBigIntegerField(_("fine (baisa)"), default=0)
    invoice_number = models.CharField(_("invoice"), max_length=20, blank=True)
    paid_at = models.DateTimeField(_("fine paid at"), null=True, blank=True)
    taken_at = models.DateTimeField(_("taken at"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        ordering = ["establishment_id", "-taken_at", "-id"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "salary_year", "salary_month", "action"],
                name="sanction_one_step_per_month",
            ),
            models.CheckConstraint(
                condition=Q(action__in=["WARNING", "SUSPENSION", "FINE"]),
                name="sanction_action_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.establishment_id} {self.salary_year}-{self.salary_month:02d} {self.action}"
