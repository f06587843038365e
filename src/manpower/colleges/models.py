"""The technical colleges' records: the seven colleges, their programmes, intakes and courses,
the students with their grades per term, and the CSV files their registrars import."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from manpower.core.models import BilingualName, Upload, bilingual


class College(BilingualName):
    """One of the seven technical colleges (migration 0002)."""

    code = models.CharField(_("code"), max_length=8, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("technical college")
        verbose_name_plural = _("technical colleges")


class Programme(models.Model):
    """A programme of study of a college: a diploma or a bachelor in a specialisation, which
    is what its graduates bring to the job seekers' register."""

    class Level(models.TextChoices):
        DIPLOMA = "DIPLOMA", _("Diploma")
        BACHELOR = "BACHELOR", _("Bachelor")

    college = models.ForeignKey(
        College, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("college")
    )
    code = models.CharField(_("code"), max_length=16)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    specialisation_ar = models.CharField(_("specialisation (Arabic)"), max_length=200)
    specialisation_en = models.CharField(_("specialisation (English)"), max_length=200)
    credits_required = models.PositiveSmallIntegerField(_("credits to graduate"))

    class Meta:
        ordering = ["college_id", "code", "id"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(fields=["college", "code"], name="programme_unique_code"),
            models.CheckConstraint(
                condition=Q(level__in=["DIPLOMA", "BACHELOR"]), name="programme_level_known"
            ),
            models.CheckConstraint(
                condition=Q(credits_required__gt=0), name="programme_credits_positive"
            ),
        ]

    @property
    def specialisation(self) -> str:
        return bilingual(self.specialisation_ar, self.specialisation_en)

    def __str__(self) -> str:
        return f"{self.code} {self.specialisation}"


class Intake(models.Model):
    """The students a college admitted at one start (`2025-FALL`)."""

    college = models.ForeignKey(
        College, on_delete=models.PROTECT, related_name="intakes", verbose_name=_("college")
    )
    code = models.CharField(_("code"), max_length=16)
    start_date = models.DateField(_("start date"))

    class Meta:
        ordering = ["college_id", "-start_date", "id"]
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        constraints = [
            models.UniqueConstraint(fields=["college", "code"], name="intake_unique_code"),
        ]

    def __str__(self) -> str:
        return self.code


class Course(models.Model):
    college = models.ForeignKey(
        College, on_delete=models.PROTECT, related_name="courses", verbose_name=_("college")
    )
    code = models.CharField(_("code"), max_length=16)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    credits = models.PositiveSmallIntegerField(_("credits"))

    class Meta:
        ordering = ["college_id", "code", "id"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(fields=["college", "code"], name="course_unique_code"),
            models.CheckConstraint(condition=Q(credits__gt=0), name="course_credits_positive"),
        ]

    @property
    def title(self) -> str:
        return bilingual(self.title_ar, self.title_en)

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Student(models.Model):
    """A student of a college, by civil number: one record per college."""

    class Status(models.TextChoices):
        ENROLLED = "ENROLLED", _("Enrolled")
        SUSPENDED = "SUSPENDED", _("Suspended")
        WITHDRAWN = "WITHDRAWN", _("Withdrawn")
        GRADUATED = "GRADUATED", _("Graduated")

    # Indexed by the unique (college, civil number) that leads with it.
    college = models.ForeignKey(
        College,
        on_delete=models.PROTECT,
        related_name="students",
        verbose_name=_("college"),
        db_index=False,
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="students", verbose_name=_("programme")
    )
    intake = models.ForeignKey(
        Intake, on_delete=models.PROTECT, related_name="students", verbose_name=_("intake")
    )
    civil_number = models.CharField(_("civil number"), max_length=12)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ENROLLED
    )
    graduated_date = models.DateField(_("graduation date"), null=True, blank=True)
    job_seeker_consent_at = models.DateTimeField(
        _("consented to the job seekers' register at"), null=True, blank=True
    )

    class Meta:
        ordering = ["college_id", "civil_number", "id"]
        verbose_name = _("student")
        verbose_name_plural = _("students")
        indexes = [models.Index(fields=["civil_number"], name="student_by_civil_number")]
        constraints = [
            models.UniqueConstraint(
                fields=["college", "civil_number"], name="student_unique_per_college"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["ENROLLED", "SUSPENDED", "WITHDRAWN", "GRADUATED"]),
                name="student_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="GRADUATED", graduated_date__isnull=False)
                | (~Q(status="GRADUATED") & Q(graduated_date__isnull=True)),
                name="student_graduated_has_date",
            ),
            models.CheckConstraint(
                condition=Q(job_seeker_consent_at__isnull=True) | Q(status="GRADUATED"),
                name="student_consent_only_graduated",
            ),
        ]

    @property
    def name(self) -> str:
        return bilingual(self.name_ar, self.name_en)

    def __str__(self) -> str:
        return self.civil_number


class Grade(models.Model):
    """A student's grade in a course in one term (`2025-1`); `points` is the grade on the
    4-point scale in hundredths (A = 400, F = 0), so the GPA is an exact integer sum."""

    # Two indexes only (the key and the unique triple, which serves the student's grades):
    # a grades import loads hundreds of thousands of rows, and each index costs it.
    student = models.ForeignKey(
        Student,
        on_delete=models.CASCADE,
        related_name="grades",
        verbose_name=_("student"),
        db_index=False,
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        related_name="grades",
        verbose_name=_("course"),
        db_index=False,
    )
    term = models.CharField(_("term"), max_length=6)
    letter = models.CharField(_("grade"), max_length=2)
    points = models.PositiveSmallIntegerField(_("grade points (1/100)"))

    class Meta:
        ordering = ["student_id", "term", "course_id", "id"]
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "course", "term"], name="grade_unique_per_term"
            ),
            models.CheckConstraint(condition=Q(points__lte=400), name="grade_points_range"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.course_id} {self.term} {self.letter}"


class ImportBatch(Upload):
    """One CSV file a registrar imported: its content's hash makes a second upload answer with
    the first one's result. A file with any bad line loads nothing (REJECTED) and its errors,
    in both languages, are the downloadable report."""

    class Kind(models.TextChoices):
        STUDENTS = "STUDENTS", _("Students")
        GRADES = "GRADES", _("Grades")

    class Status(models.TextChoices):
        IMPORTED = "IMPORTED", _("Imported")
        REJECTED = "REJECTED", _("Rejected")

    college = models.ForeignKey(
        College, on_delete=models.PROTECT, related_name="imports", verbose_name=_("college")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256 of the content"), max_length=64)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    lines_total = models.PositiveIntegerField(_("lines"))
    lines_loaded = models.PositiveIntegerField(_("lines loaded"))
    error_count = models.PositiveIntegerField(_("errors"))

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [
            models.Index(fields=["college", "-received_at", "-id"], name="import_by_college")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["college", "kind", "sha256"], name="import_unique_content"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["IMPORTED", "REJECTED"]), name="import_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name}"


class ImportLineError(models.Model):
    """One thing wrong at a line (and column) of an imported file, said in both languages."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="errors")
    line_number = models.PositiveIntegerField(_("line"))
    field = models.CharField(_("field"), max_length=40)
    code = models.CharField(_("code"), max_length=40)
    value = models.CharField(_("value"), max_length=100)
    message_ar = models.CharField(_("message (Arabic)"), max_length=300)
    message_en = models.CharField(_("message (English)"), max_length=300)

    class Meta:
        ordering = ["batch_id", "line_number", "id"]
        verbose_name = _("import error")
        verbose_name_plural = _("import errors")

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line_number} {self.code}"
