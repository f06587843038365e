"""Who may keep a college's records: its own registrar, and no one else."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import User
from manpower.accounts.permissions import StaffAction, require_staff_action
from manpower.core.actor import Actor
from manpower.core.errors import PermissionDenied

from ..models import College


class OtherCollege(PermissionDenied):
    code = "other_college"


def registrar_of(*, actor: Actor, college: College) -> User:
    """The acting registrar, when `college` is theirs."""
    user = require_staff_action(actor=actor, action=StaffAction.MANAGE_COLLEGE_RECORDS)
    if user.college_code != college.code:
        raise OtherCollege(
            _("You keep the records of another college, not of %(college)s."),
            college=college.code,
        )
    return user
