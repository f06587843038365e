from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Synthetic data and the demo commands (`seed`, `load_demo`, `run_demo`): beside the domain
    apps, which never import it."""

    name = "manpower.demo"
    label = "demo"
    verbose_name = _("Demo")
