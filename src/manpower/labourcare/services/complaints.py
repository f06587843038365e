"""Labour complaints, online only: filed by a worker against the employer or by an employer
against a worker, with evidence files; triaged and assigned to a labour-care officer of the
workplace's governorate; a meeting with both parties; and an outcome (settled, withdrawn,
rejected, or referred to court, in `cases.py`). Each stage has its service-level time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manpower.accounts.models import User
from manpower.accounts.permissions import StaffAction, require_staff_action
from manpower.core import audit, states
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError, PermissionDenied, required_reason
from manpower.core.money import format_omr
from manpower.notifications import services as notifications
from manpower.registry.models import Employment, Establishment, Person

from .. import conf, storage
from ..models import Complaint, ComplaintEvidence
from ..selectors import complaints as selectors

S = Complaint.Status
F = Complaint.FiledBy
MAX_BAISA = 10**12  # a billion rials: beyond is a typo
Upload = tuple[str, Iterable[bytes]]  # a file's name as sent, and its bytes

# The one table of allowed complaint status changes.
COMPLAINT_TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.UNDER_REVIEW, S.REJECTED, S.WITHDRAWN}),
    S.UNDER_REVIEW: frozenset(
        {S.MEETING_SCHEDULED, S.SETTLED, S.REFERRED_TO_COURT, S.REJECTED, S.WITHDRAWN}
    ),
    S.MEETING_SCHEDULED: frozenset({S.SETTLED, S.REFERRED_TO_COURT, S.REJECTED, S.WITHDRAWN}),
    S.SETTLED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.REFERRED_TO_COURT: frozenset(),
    S.REJECTED: frozenset(),
}


class ComplaintStatusConflict(Conflict):
    code = "complaint_status_conflict"


class InvalidComplaint(DomainError):
    code = "invalid_complaint"
    status = 422


class ClaimTimeBarred(DomainError):
    code = "claim_time_barred"
    status = 422


class NoEmploymentBetweenParties(DomainError):
    code = "no_employment_between_parties"
    status = 422


class TooManyEvidenceFiles(Conflict):
    code = "too_many_evidence_files"


class EvidenceAlreadyAttached(Conflict):
    code = "evidence_already_attached"


class NotComplaintOfficer(PermissionDenied):
    code = "not_complaint_officer"


class NotComplainant(PermissionDenied):
    code = "not_complainant"


class InvalidMeeting(DomainError):
    code = "invalid_meeting"
    status = 422


def stage_due(status: str, now: dt.datetime) -> dt.datetime:
    """When a complaint entering `status` is overdue (closed stages have no time; `now`)."""
    return now + dt.timedelta(days=conf.COMPLAINT_STAGE_DAYS.value.get(status, 0))


def move(complaint: Complaint, to: str, *, now: dt.datetime, **fields) -> None:
    states.transition(
        complaint,
        to,
        table=COMPLAINT_TRANSITIONS,
        error=ComplaintStatusConflict,
        stage_due_at=stage_due(to, now),
        **fields,
    )


def complaint_link(complaint: Complaint) -> str:
    return reverse("labourcare:complaint", args=[complaint.number])


def notify_parties(complaint: Complaint, *, subject, body, now: dt.datetime, key: str) -> None:
    """Both parties are told in the portal (and by e-mail after the commit)."""
    link = complaint_link(complaint)
    notifications.notify_household(
        household=complaint.person, subject=subject, body=body, link=link, now=now, key=key
    )
    notifications.notify_establishment(
        establishment=complaint.establishment,
        subject=subject,
        body=body,
        link=link,
        now=now,
        key=key,
    )


message = notifications.message


# --- Filing --------------------------------------------------------------------------------------


def clean_text(text: str, *, field, limit: int, error: type[DomainError] = InvalidComplaint) -> str:
    """A field a person typed, trimmed; refused (as `error`) when empty, too long or holding a
    NUL character (which PostgreSQL cannot store)."""
    text = (text or "").strip()
    if "\x00" in text:
        raise error(_("%(field)s holds a NUL character."), field=field)
    if not text:
        raise error(_("Write %(field)s."), field=field)
    if len(text) > limit:
        raise error(_("%(field)s may be at most %(limit)d characters."), field=field, limit=limit)
    return text


def _check_arose(arose_date: dt.date, now: dt.datetime) -> None:
    today = timezone.localdate(now)
    if arose_date > today:
        raise InvalidComplaint(_("The date the claim arose cannot be in the future."))
    limit = conf.COMPLAINT_CLAIM_LIMIT_DAYS.value
    if (today - arose_date).days > limit:
        raise ClaimTimeBarred(
            _(
                "The claim arose on %(date)s, more than %(days)d days ago: a labour claim "
                "lapses one year after it arises, so this complaint cannot be accepted."
            ),
            date=arose_date.strftime("%d/%m/%Y"),
            days=limit,
        )


def _employment(establishment: Establishment, person: Person) -> Employment:
    employment = (
        Employment.objects.filter(establishment=establishment, person=person)
        .order_by("-start_date", "-id")
        .first()
    )
    if employment is None:
        raise NoEmploymentBetweenParties(
            _("%(worker)s has never worked for %(employer)s, so there is nothing to complain of."),
            worker=person.civil_number,
            employer=establishment.cr_number,
        )
    return employment


def complaint_file(
    *,
    actor: Actor,
    now: dt.datetime,
    filed_by: str,
    establishment: Establishment,
    person: Person,
    category_code: str,
    description: str,
    claimed_amount_baisa: int,
    arose_date: dt.date,
    evidence: Sequence[Upload] = (),
) -> Complaint:
    """A worker's complaint against the employer, or an employer's against a worker, about an
    employment between them. A claim that arose more than a year before lapsed and is refused.
    The same complaint sent twice is the first one, not a second."""
    category = selectors.categories_for(filed_by=filed_by).filter(code=category_code).first()
    if category is None:
        raise InvalidComplaint(
            _("%(category)s is not a complaint category you can choose."),
            category=category_code[:40],
        )
    description = clean_text(description, field=_("the description"), limit=4000)
    if not 0 <= claimed_amount_baisa <= MAX_BAISA:
        raise InvalidComplaint(_("The amount claimed is not a possible amount."))
    _check_arose(arose_date, now)
    employment = _employment(establishment, person)
    received = _receive(evidence)
    key = hashlib.sha256(
        json.dumps(
            [filed_by, establishment.pk, person.pk, category.code, description,
             claimed_amount_baisa, arose_date.isoformat()]
        ).encode()
    ).hexdigest()  # fmt: skip
    found = Complaint.objects.filter(idempotency_key=key).first()
    if found:
        return found
    try:
        with transaction.atomic():
            complaint = Complaint.objects.create(
                number=key[:20],  # replaced below by the number made from the row's id
                filed_by=filed_by,
                establishment=establishment,
                person=person,
                employment=employment,
                governorate_id=establishment.governorate_id,
                category=category,
                description=description,
                claimed_amount_baisa=claimed_amount_baisa,
                arose_date=arose_date,
                channel=actor.channel,
                filed_by_user_id=actor.user_id,
                idempotency_key=key,
                submitted_at=now,
                stage_due_at=stage_due(S.SUBMITTED, now),
            )
            complaint.number = f"CMP-{timezone.localdate(now):%Y}-{complaint.pk:06d}"
            Complaint.objects.filter(pk=complaint.pk).update(number=complaint.number)
            audit.record(
                actor=actor,
                action="complaint.filed",
                obj=complaint,
                at=now,
                changes={
                    "status": [None, complaint.status],
                    "filed_by": [None, filed_by],
                    "category": [None, category.code],
                    "claimed_amount_baisa": [None, claimed_amount_baisa],
                    "arose_date": [None, arose_date.isoformat()],
                },
            )
            notify_parties(
                complaint,
                subject=message(_("Complaint %(number)s filed"), number=complaint.number),
                body=message(
                    _(
                        "Complaint %(number)s (%(category)s) between %(worker)s and %(employer)s "
                        "was filed; an officer of labour care will take it up."
                    ),
                    number=complaint.number,
                    category=category.name_en,
                    worker=person.name_en,
                    employer=establishment.name_en,
                ),
                now=now,
                key=f"complaint:{complaint.pk}:filed",
            )
            _attach(actor=actor, now=now, complaint=complaint, party=filed_by, received=received)
    except IntegrityError:  # the same complaint sent concurrently and committed first
        found = Complaint.objects.filter(idempotency_key=key).first()
        if found is None:
            raise
        return found
    return complaint


# --- Evidence ------------------------------------------------------------------------------------


def _party(actor: Actor, complaint: Complaint) -> str | None:
    user = User.objects.filter(pk=actor.user_id).first() if actor.user_id else None
    return selectors.party_of(user=user, complaint=complaint) if user else None


def _receive(files: Sequence[Upload]) -> list[tuple[str, storage.Stored]]:
    """Each file kept on disk when it is a PDF, JPEG or PNG by its content and small enough;
    the first refused file refuses them all (nothing is attached)."""
    limit = conf.COMPLAINT_EVIDENCE_MAX_FILES.value
    if len(files) > limit:
        raise _too_many(limit)
    received = []
    for file_name, chunks in files:
        name = (file_name or "").replace("\x00", "").strip().rsplit("/", 1)[-1][-200:]
        received.append((name or "evidence", storage.store(chunks)))
    return received


def _too_many(limit: int) -> TooManyEvidenceFiles:
    return TooManyEvidenceFiles(
        _("A complaint may have at most %(limit)d evidence files."), limit=limit
    )


def _attach(
    *, actor: Actor, now: dt.datetime, complaint: Complaint, party: str, received: list
) -> list[ComplaintEvidence]:
    limit = conf.COMPLAINT_EVIDENCE_MAX_FILES.value
    attached = []
    try:
        with transaction.atomic():
            # The complaint's row is locked so that two uploads at once cannot pass the limit.
            Complaint.objects.select_for_update().filter(pk=complaint.pk).first()
            if complaint.evidence.count() + len(received) > limit:
                raise _too_many(limit)
            for name, stored in received:
                attached.append(
                    ComplaintEvidence.objects.create(
                        complaint=complaint,
                        original_name=name,
                        content_type=stored.content_type,
                        size=stored.size,
                        sha256=stored.sha256,
                        uploaded_by=party,
                        uploaded_at=now,
                    )
                )
            if attached:
                audit.record(
                    actor=actor,
                    action="complaint.evidence_added",
                    obj=complaint,
                    at=now,
                    changes={"evidence": [None, [f"{n} ({s.sha256[:12]})" for n, s in received]]},
                )
    except IntegrityError as exc:
        raise EvidenceAlreadyAttached(
            _("This file is already attached to complaint %(number)s."), number=complaint.number
        ) from exc
    return attached


def evidence_attach(
    *, actor: Actor, now: dt.datetime, complaint: Complaint, files: Sequence[Upload]
) -> list[ComplaintEvidence]:
    """A party adds evidence files to an open complaint: each a PDF, JPEG or PNG by its content,
    at most COMPLAINT_EVIDENCE_MAX_BYTES, and at most COMPLAINT_EVIDENCE_MAX_FILES in all."""
    party = _party(actor, complaint)
    if party not in (F.WORKER, F.EMPLOYER):
        raise NotComplainant(_("Only the parties to a complaint may add evidence to it."))
    if not complaint.is_open:
        raise ComplaintStatusConflict(
            _("Complaint %(number)s is closed; no evidence can be added."),
            number=complaint.number,
        )
    received = _receive(files)
    return _attach(actor=actor, now=now, complaint=complaint, party=party, received=received)


# --- The officer's handling ----------------------------------------------------------------------


def _officer(actor: Actor, complaint: Complaint, *, supervisor: bool = False) -> User:
    """The acting labour-care officer, posted to the complaint's governorate (as its
    supervisor, or as the officer it is assigned to)."""
    user = require_staff_action(actor=actor, action=StaffAction.HANDLE_COMPLAINT)
    posting = selectors.posting_of(user=user, governorate_id=complaint.governorate_id)
    if posting is None or (supervisor and not posting.is_supervisor):
        raise NotComplaintOfficer(
            _("Complaint %(number)s is not of a governorate you supervise or are posted to."),
            number=complaint.number,
        )
    if not supervisor and complaint.officer_id not in (None, user.pk) and not posting.is_supervisor:
        raise NotComplaintOfficer(
            _("Complaint %(number)s is assigned to another officer."), number=complaint.number
        )
    return user


def complaint_assign(
    *, actor: Actor, now: dt.datetime, complaint: Complaint, officer: User | None = None
) -> Complaint:
    """Triage: an officer posted to the workplace's governorate takes a new complaint, or its
    supervisor assigns it (or reassigns an open one) to an officer posted there."""
    user = _officer(actor, complaint)
    officer = officer or user
    if officer.pk != user.pk:
        _officer(actor, complaint, supervisor=True)
    if selectors.posting_of(user=officer, governorate_id=complaint.governorate_id) is None:
        raise NotComplaintOfficer(
            _("%(officer)s is not a labour-care officer of this governorate."),
            officer=officer.get_username(),
        )
    before = complaint.officer_id
    with transaction.atomic():
        if complaint.status == S.SUBMITTED:
            move(complaint, S.UNDER_REVIEW, now=now, officer=officer)
        elif complaint.is_open:
            Complaint.objects.filter(pk=complaint.pk, status=complaint.status).update(
                officer=officer
            )
            complaint.refresh_from_db()
        else:
            raise ComplaintStatusConflict(
                _("Complaint %(number)s is closed."), number=complaint.number
            )
        audit.record(
            actor=actor,
            action="complaint.assigned",
            obj=complaint,
            at=now,
            changes={"officer": [before, officer.pk], "status": complaint.status},
        )
        notifications.notify_household(
            household=complaint.person,
            subject=message(_("Complaint %(number)s is being reviewed"), number=complaint.number),
            body=message(
                _("An officer of labour care is reviewing complaint %(number)s."),
                number=complaint.number,
            ),
            link=complaint_link(complaint),
            now=now,
            key=f"complaint:{complaint.pk}:assigned:{officer.pk}",
        )
    return complaint


def complaint_meeting_schedule(
    *, actor: Actor, now: dt.datetime, complaint: Complaint, meeting_at: dt.datetime, place: str
) -> Complaint:
    """The officer sets a meeting with both parties, at least COMPLAINT_MEETING_MIN_NOTICE_HOURS
    ahead; both are told in the portal and by e-mail."""
    _officer(actor, complaint)
    place = clean_text(place, field=_("the meeting place"), limit=200)
    notice = dt.timedelta(hours=conf.COMPLAINT_MEETING_MIN_NOTICE_HOURS.value)
    if meeting_at < now + notice:
        raise InvalidMeeting(
            _("A meeting is set at least %(hours)d hours ahead, so that both parties can come."),
            hours=conf.COMPLAINT_MEETING_MIN_NOTICE_HOURS.value,
        )
    if meeting_at > now + dt.timedelta(days=90):
        raise InvalidMeeting(_("A meeting is set within 90 days."))
    with transaction.atomic():
        move(complaint, S.MEETING_SCHEDULED, now=now, meeting_at=meeting_at, meeting_place=place)
        audit.record(
            actor=actor,
            action="complaint.meeting_scheduled",
            obj=complaint,
            at=now,
            changes={"meeting_at": [None, meeting_at.isoformat()], "meeting_place": [None, place]},
        )
        local = timezone.localtime(meeting_at)
        notify_parties(
            complaint,
            subject=message(_("Meeting on complaint %(number)s"), number=complaint.number),
            body=message(
                _(
                    "Both parties to complaint %(number)s are asked to a meeting on %(when)s "
                    "at %(place)s."
                ),
                number=complaint.number,
                when=local.strftime("%d/%m/%Y %H:%M"),
                place=place,
            ),
            now=now,
            key=f"complaint:{complaint.pk}:meeting:{meeting_at.isoformat()}",
        )
    return complaint


def _close(
    *, actor: Actor, now: dt.datetime, complaint: Complaint, to: str, action: str, subject, body,
    **fields,
) -> Complaint:  # fmt: skip
    before = complaint.status
    with transaction.atomic():
        move(complaint, to, now=now, closed_at=now, **fields)
        audit.record(
            actor=actor,
            action=action,
            obj=complaint,
            at=now,
            changes={"status": [before, to], **{k: [None, str(v)] for k, v in fields.items()}},
        )
        notify_parties(
            complaint, subject=subject, body=body, now=now, key=f"complaint:{complaint.pk}:{to}"
        )
    return complaint


def complaint_settle(
    *,
    actor: Actor,
    now: dt.datetime,
    complaint: Complaint,
    amount_baisa: int,
    due_date: dt.date,
    note: str = "",
) -> Complaint:
    """The parties agreed: the officer records the amount settled and the date it is paid by."""
    _officer(actor, complaint)
    if not 0 <= amount_baisa <= MAX_BAISA:
        raise InvalidComplaint(_("The amount settled is not a possible amount."))
    if due_date < timezone.localdate(now):
        raise InvalidComplaint(_("The date the amount is paid by cannot be in the past."))
    return _close(
        actor=actor,
        now=now,
        complaint=complaint,
        to=S.SETTLED,
        action="complaint.settled",
        subject=message(_("Complaint %(number)s settled"), number=complaint.number),
        body=message(
            _("Complaint %(number)s was settled: %(amount)s to be paid by %(date)s."),
            number=complaint.number,
            amount=format_omr(amount_baisa),
            date=due_date.strftime("%d/%m/%Y"),
        ),
        settled_amount_baisa=amount_baisa,
        settlement_due_date=due_date,
        outcome_reason=(note or "").replace("\x00", "").strip()[:500],
    )


def complaint_reject(
    *, actor: Actor, now: dt.datetime, complaint: Complaint, reason: str
) -> Complaint:
    """The officer rejects the complaint, saying why (the parties read the reason)."""
    _officer(actor, complaint)
    reason = required_reason(reason.replace("\x00", ""))
    return _close(
        actor=actor,
        now=now,
        complaint=complaint,
        to=S.REJECTED,
        action="complaint.rejected",
        subject=message(_("Complaint %(number)s rejected"), number=complaint.number),
        body=message(
            _("Complaint %(number)s was rejected: %(reason)s"),
            number=complaint.number,
            reason=reason,
        ),
        outcome_reason=reason,
    )


def complaint_withdraw(*, actor: Actor, now: dt.datetime, complaint: Complaint) -> Complaint:
    """The complainant withdraws an open complaint."""
    if _party(actor, complaint) != complaint.filed_by:
        raise NotComplainant(_("Only the complainant may withdraw a complaint."))
    return _close(
        actor=actor,
        now=now,
        complaint=complaint,
        to=S.WITHDRAWN,
        action="complaint.withdrawn",
        subject=message(_("Complaint %(number)s withdrawn"), number=complaint.number),
        body=message(_("The complainant withdrew complaint %(number)s."), number=complaint.number),
    )
