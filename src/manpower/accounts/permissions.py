"""Who among ministry staff may do what: one table of role × department → actions, read by the
services (segregation of duties, DESIGN.md §3). An inspector does not decide licences; an
administrator manages accounts and settings but decides no case.

Services call `require_staff_action(actor=…, action=…)`; the admin shows a staff member's
actions from the same table. A new kind of decision adds a `StaffAction` and its rows here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from manpower.core.actor import Actor
from manpower.core.errors import PermissionDenied

from .models import Department, Role, User


class StaffAction(models.TextChoices):
    DECIDE_LICENCE_APPLICATION = "DECIDE_LICENCE_APPLICATION", _("decide licence applications")
    CANCEL_LICENCE = "CANCEL_LICENCE", _("cancel licences")
    DECIDE_LABOUR_CARD = "DECIDE_LABOUR_CARD", _("decide labour-card requests")
    DECIDE_CONTRACT = "DECIDE_CONTRACT", _("accept or reject employment contracts")
    MANAGE_ESTABLISHMENT_STATUS = (
        "MANAGE_ESTABLISHMENT_STATUS",
        _("suspend, reactivate or close establishments"),
    )
    CORRECT_PERSON = "CORRECT_PERSON", _("correct a person's registry record")
    MANAGE_REPRESENTATION = "MANAGE_REPRESENTATION", _("grant or revoke representations")
    MANAGE_ACCOUNTS = "MANAGE_ACCOUNTS", _("manage staff accounts and roles")
    MANAGE_SETTINGS = "MANAGE_SETTINGS", _("manage fees, partners and settings")
    TAKE_COUNTER_PAYMENT = "TAKE_COUNTER_PAYMENT", _("take payments at a counter")
    INSPECT = "INSPECT", _("inspect establishments")
    REVIEW_VACANCY = "REVIEW_VACANCY", _("review job vacancies before publication")
    SEARCH_JOB_SEEKERS = "SEARCH_JOB_SEEKERS", _("search the job seekers' register")
    HANDLE_COMPLAINT = "HANDLE_COMPLAINT", _("handle labour complaints")
    RECORD_WPS_EXEMPTION = "RECORD_WPS_EXEMPTION", _("record wage protection exemptions")
    MANAGE_COLLEGE_RECORDS = (
        "MANAGE_COLLEGE_RECORDS",
        _("import, change and graduate the students of your college"),
    )
    VIEW_COLLEGE_REPORTS = "VIEW_COLLEGE_REPORTS", _("see the technical colleges' reports")
    DECIDE_ABSCONDING_REPORT = (
        "DECIDE_ABSCONDING_REPORT",
        _("decide work-abandonment reports and their objections"),
    )
    MANAGE_INSPECTIONS = "MANAGE_INSPECTIONS", _("open inspections and assign inspectors")


A = StaffAction
# (role, department) → what that staff member may do; a department of "" matches any.
STAFF_PERMISSIONS: dict[tuple[str, str], frozenset[str]] = {
    (Role.OFFICER, Department.LICENSING): frozenset(
        {A.DECIDE_LICENCE_APPLICATION, A.CANCEL_LICENCE, A.DECIDE_LABOUR_CARD}
    ),
    (Role.OFFICER, Department.EMPLOYMENT): frozenset(
        {
            A.DECIDE_LABOUR_CARD,
            A.DECIDE_CONTRACT,
            A.REVIEW_VACANCY,
            A.SEARCH_JOB_SEEKERS,
            A.VIEW_COLLEGE_REPORTS,
        }
    ),
    (Role.OFFICER, Department.LABOUR_CARE): frozenset(
        {A.HANDLE_COMPLAINT, A.DECIDE_ABSCONDING_REPORT, A.MANAGE_INSPECTIONS}
    ),
    (Role.OFFICER, Department.WAGE_PROTECTION): frozenset({A.RECORD_WPS_EXEMPTION}),
    (Role.INSPECTOR, ""): frozenset({A.INSPECT}),
    (Role.ADMINISTRATOR, ""): frozenset(
        {
            A.MANAGE_ACCOUNTS,
            A.MANAGE_SETTINGS,
            A.MANAGE_ESTABLISHMENT_STATUS,
            A.CORRECT_PERSON,
            A.MANAGE_REPRESENTATION,
        }
    ),
    # A college's registrar is not ministry staff: the colleges app scopes these to the
    # registrar's own college (`User.college_code`).
    (Role.COLLEGE_REGISTRAR, ""): frozenset({A.MANAGE_COLLEGE_RECORDS, A.VIEW_COLLEGE_REPORTS}),
}


class StaffActionNotPermitted(PermissionDenied):
    code = "staff_action_not_permitted"


def staff_actions(user: User) -> frozenset[str]:
    """What `user` may do as ministry staff (nothing for a non-staff user)."""
    if not (user.is_ministry_staff or user.role == Role.COLLEGE_REGISTRAR):
        return frozenset()
    return STAFF_PERMISSIONS.get((user.role, user.department)) or STAFF_PERMISSIONS.get(
        (user.role, ""), frozenset()
    )


def require_staff_action(*, actor: Actor, action: str) -> User:
    """The acting staff member, when the table lets their role and department do `action`."""
    user = User.objects.filter(pk=actor.user_id).first() if actor.user_id else None
    if user is None or action not in staff_actions(user):
        raise StaffActionNotPermitted(
            _("Your role and department do not allow you to %(action)s."),
            action=StaffAction(action).label,
        )
    return user
