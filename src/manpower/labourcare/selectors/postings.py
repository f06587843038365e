"""Reads of the officers' postings to governorates, for who manages them: an administrator
managing accounts sees every governorate, a labour-care supervisor those they supervise."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import User
from manpower.accounts.permissions import StaffAction, staff_actions
from manpower.core.errors import NotFound
from manpower.core.models import Governorate

from ..models import OfficerPosting
from .complaints import governorates_of_officer


class PostingNotFound(NotFound):
    code = "officer_posting_not_found"


class OfficerNotFound(NotFound):
    code = "officer_not_found"


def is_administrator(user) -> bool:
    return StaffAction.MANAGE_ACCOUNTS in staff_actions(user)


def managed_governorates(*, user) -> QuerySet[Governorate]:
    """The governorates whose postings `user` manages (none: the page is not theirs)."""
    if is_administrator(user):
        return Governorate.objects.order_by("code")
    return governorates_of_officer(user=user, supervising=True)


def require_manager(user) -> QuerySet[Governorate]:
    governorates = managed_governorates(user=user)
    if not governorates.exists():
        raise NotFound(_("This page is for labour-care supervisors and administrators."))
    return governorates


def postings_by_governorate(*, user) -> list[tuple[Governorate, list[OfficerPosting]]]:
    """Each managed governorate with its officers, supervisors first."""
    governorates = list(require_manager(user))
    postings: dict[str, list[OfficerPosting]] = {g.pk: [] for g in governorates}
    for posting in (
        OfficerPosting.objects.filter(governorate__in=governorates)
        .select_related("user")
        .order_by("governorate_id", "-is_supervisor", "user__username", "id")
    ):
        postings[posting.governorate_id].append(posting)
    return [(g, postings[g.pk]) for g in governorates]


def posting_for_manager(*, user, posting_id: int) -> OfficerPosting:
    posting = (
        OfficerPosting.objects.filter(pk=posting_id, governorate__in=require_manager(user))
        .select_related("user", "governorate")
        .first()
    )
    if posting is None:
        raise PostingNotFound(_("There is no such posting in your governorates."))
    return posting


def officer_by_username(*, username: str) -> User:
    """The account a manager types the user name of (whether it may be posted is the
    service's rule)."""
    username = (username or "").replace("\x00", "").strip()[:150]
    user = User.objects.filter(username=username).first() if username else None
    if user is None:
        raise OfficerNotFound(
            _("There is no account with the user name %(username)s."), username=username
        )
    return user
