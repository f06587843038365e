from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourcareConfig(AppConfig):
    name = "manpower.labourcare"
    label = "labourcare"
    verbose_name = _("Labour care")
