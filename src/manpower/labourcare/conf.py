"""The labour-care rules that change by ministerial decision: each a setting with its default.

Complaints (online since 2016): claims lapse one year after they arise (Labour Law, RD
53/2023); evidence files are limited in type, size and number; each stage of a complaint has a
service-level time, past which it is in the supervisors' overdue queue. Work-abandonment
reports and the inspections they open: MD 270/2018.
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
ABSCONDING_MIN_DAYS_ABSENT = Setting(
    "ABSCONDING_MIN_DAYS_ABSENT",
    7,
    "A work-abandonment report is filed at least this many days after the last working day.",
)
ABSCONDING_SALARY_PROOF_MONTHS = Setting(
    "ABSCONDING_SALARY_PROOF_MONTHS",
    3,
    "Months of salaries the report's proof must cover: the complete salary months up to the "
    "last working day, as the Wage Protection System's checked files of the establishment pay "
    "them (a month not due yet, or one the WPS exempts the worker from, is not asked).",
)
ABSCONDING_PDF_PROOF_ACCEPTED = Setting(
    "ABSCONDING_PDF_PROOF_ACCEPTED",
    False,
    "Whether an uploaded PDF may prove the salaries of months missing from the Wage Protection "
    "System. False since the WPS exists (MD 270/2018: its files are the proof); True only "
    "while an establishment's banks are not yet sending salary files.",
)
ABSCONDING_PROOF_WAIVED_DAYS = Setting(
    "ABSCONDING_PROOF_WAIVED_DAYS",
    30,
    "No salary proof is asked for a worker in the country (employed) fewer days than this.",
)
ABSCONDING_PROOF_MAX_BYTES = Setting(
    "ABSCONDING_PROOF_MAX_BYTES",
    5 * 1024 * 1024,
    "Largest salary proof (a PDF) accepted, in bytes.",
)
ABSCONDING_FILE_DIR = Setting(
    "ABSCONDING_FILE_DIR", "", "Folder of the salary proofs (default: VAR_DIR/labourcare)."
)
ABSCONDING_OBJECTION_DAYS = Setting(
    "ABSCONDING_OBJECTION_DAYS", 60, "The worker may object within this many days of approval."
)
ABSCONDING_OBJECTION_FINE_MIN_BAISA = Setting(
    "ABSCONDING_OBJECTION_FINE_MIN_BAISA", 400_000, "Least fine of an unjustified objection."
)
ABSCONDING_OBJECTION_FINE_MAX_BAISA = Setting(
    "ABSCONDING_OBJECTION_FINE_MAX_BAISA", 800_000, "Largest fine of an unjustified objection."
)
INSPECTION_REPORTS_IN_MONTH = Setting(
    "INSPECTION_REPORTS_IN_MONTH",
    5,
    "This many work-abandonment reports by one establishment in 30 days open an inspection.",
)
INSPECTION_REPORTS_IN_YEAR = Setting(
    "INSPECTION_REPORTS_IN_YEAR",
    10,
    "This many work-abandonment reports by one establishment in 365 days open an inspection.",
)
INSPECTION_SANCTION_DAYS = Setting(
    "INSPECTION_SANCTION_DAYS",
    365,
    "Days an establishment's services stop when an inspection finds it non-compliant.",
)
