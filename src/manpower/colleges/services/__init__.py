"""Every write of the technical colleges, one module per use-case area: the registrars' CSV
imports, a college's catalogue (programmes, intakes, courses), and a student's record (status,
graduation, the graduate's consent). Callers write `from manpower.colleges import services`."""

from .catalogue import (
    CatalogueCodeTaken,
    InvalidCatalogueEntry,
    course_add,
    intake_add,
    programme_add,
)
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
    "CatalogueCodeTaken",
    "ImportRaced",
    "ImportRefused",
    "ImportTooLarge",
    "InvalidCatalogueEntry",
    "NotGraduated",
    "NotYourRecord",
    "OtherCollege",
    "RequirementsNotMet",
    "StudentStatusChange",
    "course_add",
    "graduate_consent",
    "intake_add",
    "programme_add",
    "records_import",
    "registrar_of",
    "student_graduate",
    "student_status_change",
]
