from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    name = "manpower.integration"
    label = "integration"
    verbose_name = _("Integration")
