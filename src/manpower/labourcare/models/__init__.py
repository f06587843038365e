"""Labour care's tables, one module per area: complaints (and the court cases they become),
work-abandonment reports, inspections. Importing them here registers them with Django."""

from .absconding import AbscondingObjection, AbscondingReport, DisputeRecord
from .inspections import Inspection

__all__ = ["AbscondingObjection", "AbscondingReport", "DisputeRecord", "Inspection"]
