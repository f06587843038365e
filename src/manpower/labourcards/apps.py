from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourcardsConfig(AppConfig):
    name = "manpower.labourcards"
    label = "labourcards"
    verbose_name = _("Labourcards")
