"""Rules that change by ministerial decision are Django settings with a default (DESIGN.md §2).

Each app with rules declares them in its own `conf.py`, one `Setting` each with its default and
a line saying what it means:

    WORK_PERMIT_MONTHS = Setting(
        "LICENSING_WORK_PERMIT_MONTHS", 24, "Validity of a work permit (not renewable)."
    )

and reads `conf.WORK_PERMIT_MONTHS.value` when it applies the rule, so a deployment's settings
module (or a test's `settings` fixture) takes effect at once. The README's table of settings
is checked against every `Setting` declared (`declared_settings`).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    doc: str

    @property
    def value(self) -> Any:
        return getattr(settings, self.name, self.default)


def declared_settings() -> list[Setting]:
    """Every `Setting` of every app's `conf.py`, in the order the apps and modules declare them."""
    import manpower

    found = []
    for app in pkgutil.iter_modules(manpower.__path__):
        try:
            module = importlib.import_module(f"manpower.{app.name}.conf")
        except ModuleNotFoundError as error:
            if error.name != f"manpower.{app.name}.conf":
                raise
            continue
        found += [value for value in vars(module).values() if isinstance(value, Setting)]
    return found


# The shared kernel's own rules (this module is core's `conf`): the lengths of identifiers.
CIVIL_NUMBER_MIN_LENGTH = Setting(
    "CIVIL_NUMBER_MIN_LENGTH", 6, "Fewest digits of a civil or resident card number."
)
CIVIL_NUMBER_MAX_LENGTH = Setting(
    "CIVIL_NUMBER_MAX_LENGTH", 9, "Most digits of a civil or resident card number."
)
CR_NUMBER_MIN_LENGTH = Setting(
    "CR_NUMBER_MIN_LENGTH", 7, "Fewest digits of a commercial registration number."
)
CR_NUMBER_MAX_LENGTH = Setting(
    "CR_NUMBER_MAX_LENGTH", 10, "Most digits of a commercial registration number."
)
