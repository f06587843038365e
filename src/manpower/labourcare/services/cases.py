"""A complaint referred to court becomes a labour case: the case file, with the list of its
evidence files, goes to the judicial agency as an outbox event (delivered, retried while the
agency is down); the court posts its hearings and its judgment back on the partner API, each
idempotent on the case number. A judgment for the worker that orders a transfer or dues lets the
worker move employer without the old one's consent (`selectors.judgment_frees_worker`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from manpower.core import audit, states
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError, required_reason
from manpower.core.money import format_omr

from .. import conf, events
from ..models import CaseHearing, Complaint, LabourCase
from .complaints import (
    MAX_BAISA,
    _close,
    _officer,
    message,
    notify_parties,
)

K = LabourCase.Status

CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    K.SENT: frozenset({K.IN_HEARING, K.JUDGED}),
    K.IN_HEARING: frozenset({K.JUDGED}),
    K.JUDGED: frozenset(),
}


class CaseStatusConflict(Conflict):
    code = "labour_case_status_conflict"


class JudgmentAlreadyRecorded(Conflict):
    code = "judgment_already_recorded"


class HearingConflict(Conflict):
    code = "hearing_conflict"


class InvalidCourtMessage(DomainError):
    code = "invalid_court_message"
    status = 422


def _evidence_list(complaint: Complaint) -> list[dict]:
    return [
        {
            "id": evidence.pk,
            "name": evidence.original_name,
            "content_type": evidence.content_type,
            "size": evidence.size,
            "sha256": evidence.sha256,
            "download_path": reverse(
                "partners:judicial-case-evidence",
                kwargs={"number": complaint.case.number, "evidence_id": evidence.pk},
            ),
        }
        for evidence in complaint.evidence.order_by("id")
    ]


def complaint_refer(
    *, actor: Actor, now: dt.datetime, complaint: Complaint, reason: str
) -> LabourCase:
    """The officer refers a complaint the parties did not settle to court: the complaint is
    closed as referred, and its case file is sent to the judicial agency."""
    _officer(actor, complaint)
    reason = required_reason(reason.replace("\x00", ""))
    with transaction.atomic():
        _close(
            actor=actor,
            now=now,
            complaint=complaint,
            to=Complaint.Status.REFERRED_TO_COURT,
            action="complaint.referred",
            subject=message(_("Complaint %(number)s referred to court"), number=complaint.number),
            body=message(
                _("Complaint %(number)s was referred to court: %(reason)s"),
                number=complaint.number,
                reason=reason,
            ),
            outcome_reason=reason,
        )
        case = LabourCase.objects.create(
            number=complaint.number.replace("CMP", "LC", 1),
            complaint=complaint,
            agency_code=conf.CASE_AGENCY.value,
            referred_at=now,
        )
        audit.record(
            actor=actor,
            action="labour_case.referred",
            obj=case,
            at=now,
            changes={"status": [None, case.status], "agency": [None, case.agency_code]},
        )
        complaint.refresh_from_db()
        events.labour_case_referred(case=case, evidence=_evidence_list(complaint), now=now)
    return case


def _move(case: LabourCase, to: str, **fields) -> None:
    states.transition(case, to, table=CASE_TRANSITIONS, error=CaseStatusConflict, **fields)


def case_hearing_record(
    *,
    actor: Actor,
    now: dt.datetime,
    case: LabourCase,
    reference: str,
    hearing_at: dt.datetime,
    court_name: str,
    note: str = "",
) -> tuple[CaseHearing, bool]:
    """The court sets a hearing; a retry of the same hearing (its reference) is the first one,
    and the parties are told once. Returns the hearing and whether it is new."""
    reference = reference.replace("\x00", "").strip()[:40]
    court_name = court_name.replace("\x00", "").strip()[:200]
    if not reference or not court_name:
        raise InvalidCourtMessage(_("A hearing needs the court's reference and the court."))
    found = case.hearings.filter(reference=reference).first()
    if found:
        if found.hearing_at != hearing_at or found.court_name != court_name:
            raise HearingConflict(
                _("Hearing %(reference)s was already received with other details."),
                reference=reference,
            )
        return found, False
    if case.status == K.JUDGED:
        raise CaseStatusConflict(
            _("Case %(number)s is judged; no hearing can be set."), number=case.number
        )
    try:
        with transaction.atomic():
            hearing = CaseHearing.objects.create(
                case=case,
                reference=reference,
                hearing_at=hearing_at,
                court_name=court_name,
                note=note.replace("\x00", "").strip()[:500],
                received_at=now,
            )
            if case.status == K.SENT:
                _move(case, K.IN_HEARING)
            audit.record(
                actor=actor,
                action="labour_case.hearing_set",
                obj=case,
                at=now,
                changes={"hearing": [None, f"{reference} {hearing_at.isoformat()}"]},
            )
            notify_parties(
                case.complaint,
                subject=message(_("Hearing of case %(number)s"), number=case.number),
                body=message(
                    _("%(court)s set a hearing of case %(number)s on %(when)s."),
                    court=court_name,
                    number=case.number,
                    when=hearing_at.strftime("%d/%m/%Y %H:%M"),
                ),
                now=now,
                key=f"labour_case:{case.pk}:hearing:{reference}",
            )
    except IntegrityError:  # the same hearing posted concurrently
        return case.hearings.get(reference=reference), False
    return hearing, True


def case_judgment_record(
    *,
    actor: Actor,
    now: dt.datetime,
    case: LabourCase,
    judgment_date: dt.date,
    judgment_for: str,
    orders_transfer: bool,
    dues_baisa: int,
    summary: str,
) -> tuple[LabourCase, bool]:
    """The court's judgment, once: the same judgment posted again is the first answer, another
    one for a judged case is refused. Returns the case and whether the judgment is new."""
    if judgment_for not in LabourCase.Party.values:
        raise InvalidCourtMessage(_("The judgment is for the WORKER or the EMPLOYER."))
    if not 0 <= dues_baisa <= MAX_BAISA:
        raise InvalidCourtMessage(_("The dues ordered are not a possible amount."))
    summary = summary.replace("\x00", "").strip()[:4000]
    key = hashlib.sha256(
        json.dumps(
            [judgment_date.isoformat(), judgment_for, bool(orders_transfer), dues_baisa, summary]
        ).encode()
    ).hexdigest()
    if case.status == K.JUDGED:
        if case.judgment_key == key:
            return case, False
        raise JudgmentAlreadyRecorded(
            _("A different judgment of case %(number)s was already received."), number=case.number
        )
    with transaction.atomic():
        _move(
            case,
            K.JUDGED,
            judgment_date=judgment_date,
            judgment_for=judgment_for,
            orders_transfer=bool(orders_transfer),
            dues_baisa=dues_baisa,
            judgment_summary=summary,
            judgment_key=key,
            judged_at=now,
        )
        audit.record(
            actor=actor,
            action="labour_case.judged",
            obj=case,
            at=now,
            changes={
                "status": [K.IN_HEARING, K.JUDGED],
                "judgment_for": [None, judgment_for],
                "orders_transfer": [None, bool(orders_transfer)],
                "dues_baisa": [None, dues_baisa],
            },
        )
        notify_parties(
            case.complaint,
            subject=message(_("Judgment in case %(number)s"), number=case.number),
            body=message(
                _(
                    "The court gave its judgment in case %(number)s for %(party)s; dues "
                    "ordered: %(dues)s."
                ),
                number=case.number,
                party=LabourCase.Party(judgment_for).label,
                dues=format_omr(dues_baisa),
            ),
            now=now,
            key=f"labour_case:{case.pk}:judged",
        )
    return case, True
