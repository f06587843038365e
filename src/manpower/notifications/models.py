"""Notices to people who sign in: what a service told them, in both languages."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from manpower.core.models import bilingual


class Notification(models.Model):
    """One notice to one user, rendered in Arabic and English when it was sent, so it reads the
    same later whatever the wording of the catalogue then."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    subject_ar = models.CharField(_("subject (Arabic)"), max_length=200)
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_ar = models.TextField(_("text (Arabic)"))
    body_en = models.TextField(_("text (English)"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    # A notice with a key reaches a recipient once, however often its sender runs (the daily
    # renewal reminder's key names the employer and the day).
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("sent at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The recipient's list, newest first.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            # The unread count of the navigation badge, on every page.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="notification_once_per_key",
            ),
            # A path of this site only: a notice never sends anyone elsewhere.
            models.CheckConstraint(
                condition=Q(link="") | (Q(link__startswith="/") & ~Q(link__startswith="//")),
                name="notification_link_is_a_site_path",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.subject_en}"

    @property
    def subject(self) -> str:
        return bilingual(self.subject_ar, self.subject_en)

    @property
    def body(self) -> str:
        return bilingual(self.body_ar, self.body_en)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
