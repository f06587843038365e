"""The job market: vacancies of establishments, the national job seekers' register, their
candidacies to vacancies and the hiring pipeline that ends in an employment contract.

`search_text` columns hold a row's words folded as the search folds a query
(`core.selectors.normalise_search`); the full-text index over them is the database's own
(a generated `tsvector` with a GIN index on PostgreSQL, an FTS5 table on SQLite; migration 0003).
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from manpower.core.models import BilingualName, bilingual


class QualificationLevel(BilingualName):
    """A level of education, from below secondary to doctorate; `rank` orders them."""

    DIPLOMA = "DIPLOMA"

    code = models.CharField(_("code"), max_length=20, primary_key=True)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("qualification level")
        verbose_name_plural = _("qualification levels")


class Vacancy(models.Model):
    """A job an establishment offers; its status moves along `services.VACANCY_TRANSITIONS`.

    `open_posts` counts down with each hire, by a conditional update (never below zero)."""

    class Status(models.TextChoices):
        IN_REVIEW = "IN_REVIEW", _("Waiting for review")
        PUBLISHED = "PUBLISHED", _("Published")
        REJECTED = "REJECTED", _("Rejected")
        CLOSED = "CLOSED", _("Closed")
        FILLED = "FILLED", _("Filled")
        WITHDRAWN = "WITHDRAWN", _("Withdrawn")

    number = models.CharField(_("vacancy number"), max_length=16, unique=True)
    establishment = models.ForeignKey(
        "registry.Establishment",
        on_delete=models.PROTECT,
        related_name="vacancies",
        verbose_name=_("establishment"),
    )
    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    occupation = models.ForeignKey(
        "core.Occupation", on_delete=models.PROTECT, verbose_name=_("occupation")
    )
    qualification_level = models.ForeignKey(
        QualificationLevel, on_delete=models.PROTECT, verbose_name=_("required qualification")
    )
    specialisation = models.CharField(_("specialisation"), max_length=200, blank=True)
    experience_years = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    governorate = models.ForeignKey(
        "core.Governorate", on_delete=models.PROTECT, verbose_name=_("governorate")
    )
    wilayat = models.ForeignKey("core.Wilayat", on_delete=models.PROTECT, verbose_name=_("wilayat"))
    wage_min_baisa = models.PositiveBigIntegerField(_("lowest wage (baisa)"))
    wage_max_baisa = models.PositiveBigIntegerField(_("highest wage (baisa)"))
    posts = models.PositiveSmallIntegerField(_("posts"))
    open_posts = models.PositiveSmallIntegerField(_("open posts"))
    closing_date = models.DateField(_("closing date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    channel = models.CharField(_("channel"), max_length=10)
    posted_at = models.DateTimeField(_("posted at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-id"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        indexes = [
            models.Index(fields=["status", "-id"], name="jobs_vacancy_status_id"),
            models.Index(fields=["establishment", "-id"], name="jobs_vacancy_est_id"),
            models.Index(fields=["status", "closing_date"], name="jobs_vacancy_closing"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(open_posts__lte=F("posts")), name="vacancy_open_posts_at_most_posts"
            ),
            models.CheckConstraint(
                condition=Q(wage_max_baisa__gte=F("wage_min_baisa")), name="vacancy_wage_range"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def title(self) -> str:
        return bilingual(self.title_ar, self.title_en)


class JobSeeker(models.Model):
    """A national in the job seekers' register, with the profile matching reads.

    `highest_rank` and `experience_years` are kept from the qualifications and the profile so
    that the search and the matching filter in SQL. `register_status` is the Manpower Register's
    last answer (`job_seeker_status` adapter) and `register_checked_at` when it came."""

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", _("Looking for work")
        HIRED = "HIRED", _("Hired")

    class RegisterStatus(models.TextChoices):
        UNKNOWN = "UNKNOWN", _("Not known yet")
        SEEKING = "SEEKING", _("Registered job seeker")
        NOT_SEEKING = "NOT_SEEKING", _("Not a job seeker (employed)")

    person = models.OneToOneField(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="job_seeker",
        verbose_name=_("person"),
    )
    civil_number = models.CharField(_("civil number"), max_length=12, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    highest_level = models.ForeignKey(
        QualificationLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("highest qualification"),
    )
    highest_rank = models.PositiveSmallIntegerField(default=0)
    experience_years = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    experience = models.TextField(_("experience"), max_length=4000, blank=True)
    preferred_governorates = models.ManyToManyField(
        "core.Governorate", blank=True, verbose_name=_("preferred governorates")
    )
    preferred_occupations = models.ManyToManyField(
        "core.Occupation", blank=True, verbose_name=_("preferred occupations")
    )
    register_status = models.CharField(
        _("Manpower Register status"),
        max_length=12,
        choices=RegisterStatus.choices,
        default=RegisterStatus.UNKNOWN,
    )
    register_checked_at = models.DateTimeField(null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"))
    updated_at = models.DateTimeField(_("updated at"))
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-id"]
        verbose_name = _("job seeker")
        verbose_name_plural = _("job seekers")
        indexes = [models.Index(fields=["status", "-id"], name="jobs_seeker_status_id")]

    def __str__(self) -> str:
        return self.civil_number


class Qualification(models.Model):
    """One qualification of a job seeker; a graduate's comes from the college's programme."""

    seeker = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="qualifications")
    level = models.ForeignKey(QualificationLevel, on_delete=models.PROTECT, verbose_name=_("level"))
    specialisation_en = models.CharField(_("specialisation (English)"), max_length=200)
    specialisation_ar = models.CharField(_("specialisation (Arabic)"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    college_code = models.CharField(_("college"), max_length=20, blank=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            models.UniqueConstraint(
                fields=["seeker", "level", "specialisation_en", "year"],
                name="qualification_once_per_seeker",
            )
        ]

    def __str__(self) -> str:
        return f"{self.level_id} {self.specialisation_en} {self.year}"


class CurriculumVitae(models.Model):
    """A job seeker's CV, a PDF; the last upload replaces the one before."""

    seeker = models.OneToOneField(JobSeeker, on_delete=models.CASCADE, related_name="cv")
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("CV")
        verbose_name_plural = _("CVs")

    def __str__(self) -> str:
        return f"CV of {self.seeker_id}"


class Candidacy(models.Model):
    """A job seeker's application to a vacancy (one per seeker and vacancy) and its way
    through the employer's pipeline (`services.CANDIDACY_TRANSITIONS`)."""

    class Status(models.TextChoices):
        SUBMITTED = "SUBMITTED", _("Submitted")
        WITHDRAWN = "WITHDRAWN", _("Withdrawn")
        SHORTLISTED = "SHORTLISTED", _("Shortlisted")
        INTERVIEW = "INTERVIEW", _("Invited to an interview")
        INTERVIEW_ACCEPTED = "INTERVIEW_ACCEPTED", _("Interview accepted")
        INTERVIEW_DECLINED = "INTERVIEW_DECLINED", _("Interview declined")
        OFFERED = "OFFERED", _("Offered the job")
        HIRED = "HIRED", _("Hired")
        NOT_SELECTED = "NOT_SELECTED", _("Not selected")

    number = models.CharField(_("application number"), max_length=16, unique=True)
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="candidacies")
    seeker = models.ForeignKey(JobSeeker, on_delete=models.PROTECT, related_name="candidacies")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    channel = models.CharField(_("channel"), max_length=10)
    applied_at = models.DateTimeField(_("applied at"))
    interview_at = models.DateTimeField(_("interview at"), null=True, blank=True)
    interview_place = models.CharField(_("interview place"), max_length=300, blank=True)
    offer_wage_baisa = models.PositiveBigIntegerField(_("offered wage (baisa)"), null=True)
    offer_start_date = models.DateField(_("start date offered"), null=True, blank=True)
    contract_number = models.CharField(_("contract number"), max_length=16, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "seeker"], name="candidacy_once"),
        ]

    def __str__(self) -> str:
        return self.number
