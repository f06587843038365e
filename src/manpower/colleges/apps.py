from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollegesConfig(AppConfig):
    name = "manpower.colleges"
    label = "colleges"
    verbose_name = _("Technical colleges")
