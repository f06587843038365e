"""Labour care's part of the demo: a labour-care officer (who decides work-abandonment reports
and their objections, and opens and assigns inspections); the demo's inspector records the
visits. Called by one line of `load_demo`."""

from __future__ import annotations

from manpower.accounts.models import Department, Role, User

# username, role, department, English name, Arabic name (load_demo's account row)
CARE_OFFICER = (
    "careofficer",
    Role.OFFICER,
    Department.LABOUR_CARE,
    "Demo Labour-Care Officer",
    "موظف رعاية عمالية تجريبي",
)


def load(command, users: dict[str, User]) -> None:
    """Add the labour-care officer to the demo's accounts (made, and printed, like the others)."""
    username, *rest = CARE_OFFICER
    users[username] = command.account(username, *rest)
