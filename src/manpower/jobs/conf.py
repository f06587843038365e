"""The job market's rules that change by ministerial decision: each a setting with its default.

The national minimum wage is the project-wide `NATIONAL_MINIMUM_WAGE_BAISA` (as in contracts);
it is read here, not declared.
"""

from __future__ import annotations

from django.conf import settings

from manpower.core.conf import Setting

VACANCY_REVIEW = Setting(
    "JOBS_VACANCY_REVIEW",
    False,
    "A posted vacancy waits for an officer's review before it is published (else at once).",
)
ABOVE_DIPLOMA_RULE = Setting(
    "JOBS_ABOVE_DIPLOMA_RULE",
    True,
    "A vacancy requiring more than a diploma takes applications only from seekers holding "
    "its level or higher.",
)
CV_MAX_BYTES = Setting("JOBS_CV_MAX_BYTES", 2_000_000, "Largest CV (a PDF) a job seeker uploads.")
REGISTER_STATUS_MAX_AGE_HOURS = Setting(
    "JOBS_REGISTER_STATUS_MAX_AGE_HOURS",
    24,
    "Age after which the Manpower Register's job-seeker status is asked again (older is stale).",
)
MAX_POSTS = Setting("JOBS_MAX_POSTS", 500, "Most posts one vacancy may offer.")
HIRE_PROBATION_MONTHS = Setting(
    "JOBS_HIRE_PROBATION_MONTHS", 3, "Probation of the contract a hire registers."
)
HIRE_WEEKLY_HOURS = Setting(
    "JOBS_HIRE_WEEKLY_HOURS", 40, "Working hours a week of the contract a hire registers."
)
MATCH_LIMIT = Setting("JOBS_MATCH_LIMIT", 50, "Job seekers a vacancy's matching shows.")


def minimum_wage_baisa() -> int:
    """The national minimum basic wage: the lowest wage a vacancy may offer."""
    return settings.NATIONAL_MINIMUM_WAGE_BAISA
