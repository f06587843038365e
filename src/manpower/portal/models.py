"""The service catalogue: what the ministry offers, to whom, through which channels, at what fee."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from manpower.core.models import bilingual


class Audience(models.TextChoices):
    """Who may use a service; each has a boolean field `for_<field>` on `Service`."""

    ESTABLISHMENT = "ESTABLISHMENT", _("Establishments")
    INDIVIDUAL = "INDIVIDUAL", _("Individuals and households")
    JOB_SEEKER = "JOB_SEEKER", _("Job seekers")
    STUDENT = "STUDENT", _("Students")
    AGENCY = "AGENCY", _("Government agencies")


class Channel(models.TextChoices):
    """Where a service can be requested; each has a boolean field `channel_<field>`."""

    WEB = "WEB", _("Web portal")
    MOBILE = "MOBILE", _("Mobile app")
    SANAD = "SANAD", _("Sanad centres")


AUDIENCE_FIELDS = {
    Audience.ESTABLISHMENT: "for_establishments",
    Audience.INDIVIDUAL: "for_individuals",
    Audience.JOB_SEEKER: "for_job_seekers",
    Audience.STUDENT: "for_students",
    Audience.AGENCY: "for_agencies",
}
CHANNEL_FIELDS = {
    Channel.WEB: "channel_web",
    Channel.MOBILE: "channel_mobile",
    Channel.SANAD: "channel_sanad",
}


class Service(models.Model):
    class Category(models.TextChoices):
        LICENSING = "LICENSING", _("Recruitment licences")
        LABOUR_CARDS = "LABOUR_CARDS", _("Labour cards")
        CONTRACTS = "CONTRACTS", _("Employment contracts")
        JOBS = "JOBS", _("Jobs")
        LABOUR_CARE = "LABOUR_CARE", _("Labour care")
        WAGES = "WAGES", _("Wage protection")
        ACCOUNT = "ACCOUNT", _("Sign-in and payment")
        COLLEGES = "COLLEGES", _("Technical colleges")
        INFORMATION = "INFORMATION", _("Information and feedback")

    code = models.CharField(
        _("code"),
        max_length=40,
        primary_key=True,
        validators=[
            RegexValidator(
                r"^[A-Z][A-Z0-9_]*$",
                _("Use capital letters, digits and underscores, starting with a letter."),
            )
        ],
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_ar = models.TextField(_("description (Arabic)"))
    description_en = models.TextField(_("description (English)"))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    for_establishments = models.BooleanField(_("for establishments"), default=False)
    for_individuals = models.BooleanField(_("for individuals and households"), default=False)
    for_job_seekers = models.BooleanField(_("for job seekers"), default=False)
    for_students = models.BooleanField(_("for students"), default=False)
    for_agencies = models.BooleanField(_("for government agencies"), default=False)
    required_data_ar = models.TextField(_("required data (Arabic)"), blank=True)
    required_data_en = models.TextField(_("required data (English)"), blank=True)
    # None means the service is free; a fee that depends on the case is explained in the note.
    fee_baisa = models.PositiveIntegerField(_("fee (baisa)"), null=True, blank=True)
    fee_note_ar = models.TextField(_("fee note (Arabic)"), blank=True)
    fee_note_en = models.TextField(_("fee note (English)"), blank=True)
    channel_web = models.BooleanField(_("web portal"), default=True)
    channel_mobile = models.BooleanField(_("mobile app"), default=False)
    channel_sanad = models.BooleanField(_("Sanad centres"), default=False)
    expected_time_ar = models.CharField(_("expected time (Arabic)"), max_length=120, blank=True)
    expected_time_en = models.CharField(_("expected time (English)"), max_length=120, blank=True)
    is_online = models.BooleanField(_("available online"), default=True)
    # Where an online service starts: a page of the portal (or its API), as a path.
    start_url = models.CharField(_("start address"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(condition=Q(code=Upper("code")), name="service_code_upper"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return bilingual(self.name_ar, self.name_en)

    @property
    def description(self) -> str:
        return bilingual(self.description_ar, self.description_en)

    @property
    def required_data(self) -> str:
        return bilingual(self.required_data_ar, self.required_data_en)

    @property
    def expected_time(self) -> str:
        return bilingual(self.expected_time_ar, self.expected_time_en)

    @property
    def fee_note(self) -> str:
        return bilingual(self.fee_note_ar, self.fee_note_en)

    @property
    def is_free(self) -> bool:
        return self.fee_baisa is None and not (self.fee_note_ar or self.fee_note_en)

    @property
    def audiences(self) -> list[Audience]:
        return [audience for audience, field in AUDIENCE_FIELDS.items() if getattr(self, field)]

    @property
    def channels(self) -> list[Channel]:
        return [channel for channel, field in CHANNEL_FIELDS.items() if getattr(self, field)]
