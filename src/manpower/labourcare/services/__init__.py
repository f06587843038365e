"""Every write of labour care, one module per use-case area. Callers write
`from manpower.labourcare import services` and find every public function and exception here.
"""

from ..storage import EvidenceTooLarge, EvidenceTypeRefused
from .cases import (
    CASE_TRANSITIONS,
    CaseStatusConflict,
    HearingConflict,
    InvalidCourtMessage,
    JudgmentAlreadyRecorded,
    case_hearing_record,
    case_judgment_record,
    complaint_refer,
)
from .complaints import (
    COMPLAINT_TRANSITIONS,
    ClaimTimeBarred,
    ComplaintStatusConflict,
    EvidenceAlreadyAttached,
    InvalidComplaint,
    InvalidMeeting,
    NoEmploymentBetweenParties,
    NotComplainant,
    NotComplaintOfficer,
    TooManyEvidenceFiles,
    complaint_assign,
    complaint_file,
    complaint_meeting_schedule,
    complaint_reject,
    complaint_settle,
    complaint_withdraw,
    evidence_attach,
)

__all__ = [
    "CASE_TRANSITIONS",
    "COMPLAINT_TRANSITIONS",
    "CaseStatusConflict",
    "ClaimTimeBarred",
    "ComplaintStatusConflict",
    "EvidenceAlreadyAttached",
    "EvidenceTooLarge",
    "EvidenceTypeRefused",
    "HearingConflict",
    "InvalidComplaint",
    "InvalidCourtMessage",
    "InvalidMeeting",
    "JudgmentAlreadyRecorded",
    "NoEmploymentBetweenParties",
    "NotComplainant",
    "NotComplaintOfficer",
    "TooManyEvidenceFiles",
    "case_hearing_record",
    "case_judgment_record",
    "complaint_assign",
    "complaint_file",
    "complaint_meeting_schedule",
    "complaint_refer",
    "complaint_reject",
    "complaint_settle",
    "complaint_withdraw",
    "evidence_attach",
]
