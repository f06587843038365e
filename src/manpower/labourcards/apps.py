from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourcardsConfig(AppConfig):
    name = "manpower.labourcards"
    label = "labourcards"
    verbose_name = _("Labour cards")

    def ready(self):
        # The police endpoints live here but are served by the partner API (before its URLs
        # are built, which happens when the root URLconf is first loaded). Licensing attaches
        # its own router at the same prefix; the operations differ in path and name.
        from manpower.integration.api import api as partner_api

        from .partner_api import router

        partner_api.add_router("/police/", router)

        # A paid fee completes its request or transfer at once (the daily job is the safety net).
        from manpower.payments.signals import invoice_paid

        from .receivers import complete_paid_request

        invoice_paid.connect(complete_paid_request, dispatch_uid="labourcards.complete_paid")
