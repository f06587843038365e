from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensingConfig(AppConfig):
    name = "manpower.licensing"
    label = "licensing"
    verbose_name = _("Licensing")

    def ready(self):
        # A paid licence fee issues the licence at once (the polling task is the safety net).
        from manpower.payments.signals import invoice_paid

        from .receivers import issue_paid_licence

        invoice_paid.connect(issue_paid_licence, dispatch_uid="licensing.issue_paid_licence")
