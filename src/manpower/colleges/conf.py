"""The technical colleges' settings: what an import file may be and what graduation asks."""

from manpower.core.conf import Setting

IMPORT_MAX_BYTES = Setting(
    "COLLEGES_IMPORT_MAX_BYTES",
    20 * 1024 * 1024,
    "Largest students or grades CSV file a registrar may import (bytes); a bigger one is "
    "refused unread.",
)
GRADUATION_MIN_GPA = Setting(
    "COLLEGES_GRADUATION_MIN_GPA",
    "2.00",
    "Lowest cumulative GPA (4-point scale) with which a student graduates.",
)
EMPLOYED_WITHIN_MONTHS = Setting(
    "COLLEGES_EMPLOYED_WITHIN_MONTHS",
    [6, 12],
    "Months after graduation within which the reports count graduates in employment.",
)
