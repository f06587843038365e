"""Inspections of establishments: opened by a trigger (too many work-abandonment reports) or by
an officer, visited by an assigned inspector, and closed with a result; a non-compliant result
on the reports rule stops the establishment's services for a while."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Inspection(models.Model):
    """Its status moves only along `services.inspections.INSPECTION_TRANSITIONS`."""

    class Reason(models.TextChoices):
        ABSCONDING_REPORTS = "ABSCONDING_REPORTS", _("Many work-abandonment reports")
        OFFICER = "OFFICER", _("Opened by an officer")

    class Status(models.TextChoices):
        OPEN = "OPEN", _("Waiting for an inspector")
        ASSIGNED = "ASSIGNED", _("Inspector assigned")
        COMPLETED = "COMPLETED", _("Completed")

    class Result(models.TextChoices):
        COMPLIANT = "COMPLIANT", _("Compliant")
        NON_COMPLIANT = "NON_COMPLIANT", _("Non-compliant")

    number = models.CharField(_("inspection number"), max_length=16, unique=True)
    establishment = models.ForeignKey(
        "registry.Establishment",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("establishment"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    opened_at = models.DateTimeField(_("opened at"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inspector"),
    )
    visit_date = models.DateField(_("visit date"), null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    result = models.CharField(_("result"), max_length=14, choices=Result.choices, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    services_stopped_until = models.DateField(_("services stopped until"), null=True, blank=True)
    services_restored_at = models.DateTimeField(_("services restored at"), null=True, blank=True)
    # The establishment's suspension is this sanction's to lift: it suspended the establishment,
    # or took over the suspension of an earlier sanction still running. False when it found the
    # establishment suspended otherwise (by hand): that suspension is not the sanction's.
    suspension_held = models.BooleanField(_("holds the suspension"), default=False)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        constraints = [
            # The reports trigger opens one inspection at a time, however many reports race.
            models.UniqueConstraint(
                fields=["establishment"],
                condition=Q(reason="ABSCONDING_REPORTS", status__in=["OPEN", "ASSIGNED"]),
                name="one_open_reports_inspection_per_establishment",
            ),
            models.CheckConstraint(
                condition=Q(status="OPEN") | Q(inspector__isnull=False, visit_date__isnull=False),
                name="inspection_assigned_has_inspector_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="COMPLETED") | ~Q(result=""),
                name="inspection_completed_has_result",
            ),
        ]

    def __str__(self) -> str:
        return self.number
