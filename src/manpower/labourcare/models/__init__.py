"""Labour care's tables, one module per area: complaints (and the court cases they become),
work-abandonment reports, inspections. Importing them here registers them with Django."""

from .complaints import (  # noqa: F401
    CaseHearing,
    Complaint,
    ComplaintCategory,
    ComplaintEvidence,
    LabourCase,
    OfficerPosting,
)
