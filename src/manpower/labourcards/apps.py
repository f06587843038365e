from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourcardsConfig(AppConfig):
    name = "manpower.labourcards"
    label = "labourcards"
    verbose_name = _("Labour cards")

    def ready(self):
        # A paid fee completes its request or transfer at once (the daily job is the safety net).
        from manpower.payments.signals import invoice_paid

        from .receivers import complete_paid_request

        invoice_paid.connect(complete_paid_request, dispatch_uid="labourcards.complete_paid")
