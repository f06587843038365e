"""Labour care's tables, one module per area: complaints (and the court cases they become),
work-abandonment reports, inspections. Importing them here registers them with Django."""

from .absconding import AbscondingObjection, AbscondingReport, DisputeRecord
from .complaints import (
    CaseHearing,
    Complaint,
    ComplaintCategory,
    ComplaintEvidence,
    LabourCase,
    OfficerPosting,
)
from .inspections import Inspection

__all__ = [
    "AbscondingObjection",
    "AbscondingReport",
    "CaseHearing",
    "Complaint",
    "ComplaintCategory",
    "ComplaintEvidence",
    "DisputeRecord",
    "Inspection",
    "LabourCase",
    "OfficerPosting",
]
