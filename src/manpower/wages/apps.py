from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagesConfig(AppConfig):
    name = "manpower.wages"
    label = "wages"
    verbose_name = _("Wage protection")

    def ready(self):
        # A paid fine is recorded at once and may lift the establishment's suspension.
        from manpower.payments.signals import invoice_paid

        from .receivers import fine_paid

        invoice_paid.connect(fine_paid, dispatch_uid="wages.fine_paid")
