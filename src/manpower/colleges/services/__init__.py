"""Every write of the technical colleges, one module per use-case area: the registrars' CSV
imports, and a student's record (status, graduation, the graduate's consent). Callers write
`from manpower.colleges import services`."""

from .imports import GRADE_POINTS, ImportRaced, ImportRefused, ImportTooLarge, records_import
from .registrars import OtherCollege, registrar_of
from .students import (
    STUDENT_TRANSITIONS,
    NotGraduated,
    NotYourRecord,
    RequirementsNotMet,
    StudentStatusChange,
    graduate_consent,
    student_graduate,
    student_status_change,
)

__all__ = [
    "GRADE_POINTS",
    "STUDENT_TRANSITIONS",
    "ImportRaced",
    "ImportRefused",
    "ImportTooLarge",
    "NotGraduated",
    "NotYourRecord",
    "OtherCollege",
    "RequirementsNotMet",
    "StudentStatusChange",
    "graduate_consent",
    "records_import",
    "registrar_of",
    "student_graduate",
    "student_status_change",
]
