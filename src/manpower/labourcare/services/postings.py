"""Labour-care officers posted to governorates: the complaints of workplaces in a governorate go
to the officers posted there (`selectors.complaints.posting_of`). A supervisor posts officers to
the governorates they supervise and ends those postings; an administrator managing accounts
does so anywhere, and alone posts supervisors (no one raises their own peers)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import User
from manpower.accounts.permissions import StaffAction, staff_actions
from manpower.core import audit
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, NotFound, PermissionDenied
from manpower.core.models import Governorate

from ..models import Complaint, OfficerPosting
from ..models.complaints import OPEN_COMPLAINT
from ..selectors import complaints as selectors


class PostingRefused(Conflict):
    code = "officer_posting_refused"


class GovernorateNotFound(NotFound):
    code = "governorate_not_found"


class NotPostingManager(PermissionDenied):
    code = "not_posting_manager"


def may_manage_postings(*, user: User | None, governorate_id: str, supervisor: bool) -> bool:
    """Whether `user` may post (or end the posting of) an officer — a supervisor when
    `supervisor` — in this governorate: an administrator managing accounts, or for an officer's
    posting a labour-care supervisor of the governorate."""
    if user is None:
        return False
    if StaffAction.MANAGE_ACCOUNTS in staff_actions(user):
        return True
    posting = selectors.posting_of(user=user, governorate_id=governorate_id)
    return not supervisor and posting is not None and posting.is_supervisor


def _manager(actor: Actor, governorate: Governorate, *, supervisor: bool) -> User:
    user = User.objects.filter(pk=actor.user_id).first() if actor.user_id else None
    if not may_manage_postings(user=user, governorate_id=governorate.pk, supervisor=supervisor):
        raise NotPostingManager(
            _(
                "Only an administrator managing accounts, or a labour-care supervisor of "
                "%(governorate)s for an officer, may change the postings there."
            ),
            governorate=governorate.name,
        )
    return user


def governorate_by_code(code: str) -> Governorate:
    """A governorate by its code; a code with a NUL character is no code (nor sent on to the
    database, which cannot hold one)."""
    sent = (code or "").strip()
    code = sent.replace("\x00", "")[:8]
    governorate = Governorate.objects.filter(pk=code).first() if code and code == sent else None
    if governorate is None:
        raise GovernorateNotFound(
            _("There is no governorate %(governorate)s."), governorate=code or "—"
        )
    return governorate


def _already_posted(officer: User, governorate: Governorate) -> PostingRefused:
    return PostingRefused(
        _("%(officer)s is already posted to %(governorate)s."),
        officer=officer.get_username(),
        governorate=governorate.name,
    )


def officer_post(
    *,
    actor: Actor,
    now: dt.datetime,
    officer: User,
    governorate: str,
    is_supervisor: bool = False,
) -> OfficerPosting:
    """Post a labour-care officer (or supervisor) to a governorate, by its code: from then on the
    complaints of workplaces there can be assigned to them."""
    place = governorate_by_code(governorate)
    _manager(actor, place, supervisor=is_supervisor)
    if not officer.is_active or StaffAction.HANDLE_COMPLAINT not in staff_actions(officer):
        raise PostingRefused(
            _("%(officer)s is not labour-care staff: only labour-care officers are posted."),
            officer=officer.get_username(),
            status=422,
        )
    if OfficerPosting.objects.filter(user=officer, governorate=place).exists():
        raise _already_posted(officer, place)
    try:
        with transaction.atomic():
            posting = OfficerPosting.objects.create(
                user=officer, governorate=place, is_supervisor=is_supervisor, posted_at=now
            )
            audit.record(
                actor=actor,
                action="officer_posting.created",
                obj=posting,
                at=now,
                changes={
                    "officer": [None, officer.pk],
                    "governorate": [None, place.pk],
                    "is_supervisor": [None, is_supervisor],
                },
            )
    except IntegrityError as exc:  # the same posting made concurrently
        raise _already_posted(officer, place) from exc
    return posting


def officer_unpost(*, actor: Actor, now: dt.datetime, posting: OfficerPosting) -> None:
    """End a posting. Refused while the officer still handles open complaints there: the
    supervisor assigns them to another officer first, so that none is left without one."""
    place = posting.governorate
    _manager(actor, place, supervisor=posting.is_supervisor)
    with transaction.atomic():
        found = OfficerPosting.objects.select_for_update().filter(pk=posting.pk).first()
        if found is None:
            raise PostingRefused(_("This posting has already ended."))
        handled = Complaint.objects.filter(
            officer_id=found.user_id, governorate=place, status__in=OPEN_COMPLAINT
        ).count()
        if handled:
            raise PostingRefused(
                _(
                    "%(officer)s still handles %(count)d open complaints of %(governorate)s: "
                    "assign them to another officer first."
                ),
                officer=found.user.get_username(),
                count=handled,
                governorate=place.name,
            )
        audit.record(
            actor=actor,
            action="officer_posting.ended",
            obj=found,
            at=now,
            changes={
                "officer": [found.user_id, None],
                "governorate": [place.pk, None],
                "is_supervisor": [found.is_supervisor, None],
            },
        )
        found.delete()
