"""The labour-care rules that change by ministerial decision: each a setting with its default.

Complaints (online since 2016): claims lapse one year after they arise (Labour Law, RD
53/2023); evidence files are limited in type, size and number; each stage of a complaint has a
service-level time, past which it is in the supervisors' overdue queue.
"""

from __future__ import annotations

from manpower.core.conf import Setting

COMPLAINT_CLAIM_LIMIT_DAYS = Setting(
    "COMPLAINT_CLAIM_LIMIT_DAYS",
    365,
    "A claim that arose more than this many days before the complaint is refused (it lapsed).",
)
COMPLAINT_EVIDENCE_MAX_BYTES = Setting(
    "COMPLAINT_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024, "Largest evidence file of a complaint."
)
COMPLAINT_EVIDENCE_MAX_FILES = Setting(
    "COMPLAINT_EVIDENCE_MAX_FILES", 10, "Most evidence files one complaint may have."
)
COMPLAINT_EVIDENCE_DIR = Setting(
    "COMPLAINT_EVIDENCE_DIR",
    None,
    "Folder where evidence files are kept (None: `complaints/` under MANPOWER_VAR_DIR).",
)
COMPLAINT_STAGE_DAYS = Setting(
    "COMPLAINT_STAGE_DAYS",
    {"SUBMITTED": 3, "UNDER_REVIEW": 10, "MEETING_SCHEDULED": 21},
    "Service-level days of each open stage of a complaint, past which it is overdue.",
)
COMPLAINT_MEETING_MIN_NOTICE_HOURS = Setting(
    "COMPLAINT_MEETING_MIN_NOTICE_HOURS",
    48,
    "A meeting with both parties is set at least this many hours ahead, so both can come.",
)
CASE_AGENCY = Setting(
    "CASE_AGENCY",
    "courts",
    "The judicial agency (integration agency code) a complaint referred to court is sent to.",
)
