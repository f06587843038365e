from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "manpower.contracts"
    label = "contracts"
    verbose_name = _("Employment contracts")

    def ready(self):
        # Social insurance back after an outage decides the contracts that waited for it.
        from manpower.integration.signals import queued_check_answered

        from .receivers import settle_waiting_contracts

        queued_check_answered.connect(
            settle_waiting_contracts, dispatch_uid="contracts.settle_waiting"
        )
