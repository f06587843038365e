"""Receiving a salary file, then checking it.

Receipt is immediate (the channel answers at once with the file's status); the check runs as a
background task (`tasks.salary_file_check`) in steps that each commit, so the submitter sees the
lines checked grow: the start, one step per batch of lines, and the finish, which cross-checks
the file against the employment ledger in a few set-based queries over the whole file.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Greatest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from manpower.core import audit, states
from manpower.core.actor import Actor
from manpower.core.dates import MUSCAT
from manpower.core.errors import Conflict, DomainError, PermissionDenied
from manpower.registry.models import Employment, Establishment, Person

from .. import conf, events, sif, storage
from ..models import Bank, LineError, SalaryFile, SalaryLine
from .compliance import late_payment_findings, not_exempt_lines
from .exemptions import exempt_in

S = SalaryFile.Status
SALARY_FILE_TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.CHECKING}),
    # Back to RECEIVED: the check's worker stopped half-way (`salary_files_resume`).
    S.CHECKING: frozenset({S.CHECKED, S.REJECTED, S.RECEIVED}),
    S.CHECKED: frozenset(),
    S.REJECTED: frozenset(),
}
BATCH_LINES = 2000


class SalaryFileStatusChange(Conflict):
    code = "salary_file_status_change"


class EmployerUnknown(DomainError):
    code = "employer_unknown"
    status = 422


class BankUnknown(DomainError):
    code = "bank_unknown"
    status = 422


class OtherEmployersFile(PermissionDenied):
    code = "other_employers_file"


def salary_file_receive(
    *,
    actor: Actor,
    file_name: str,
    chunks: Iterable[bytes],
    now: dt.datetime,
    establishment: Establishment | None = None,
    submitted_by_id: int | None = None,
) -> tuple[SalaryFile, bool]:
    """Keep a salary file and answer it as received; `(file, True)` for a new one. A file
    whose name parts or content were sent before answers with that first file, `False`.

    `establishment` is the one a portal user acts for: a file of another employer is refused.
    Banks and the central bank (the partner API) send for any employer.
    """
    name = sif.parse_file_name(file_name)
    if establishment is not None and name.cr != establishment.cr_number:
        raise OtherEmployersFile(
            _("The file is for CR %(cr)s, not for this establishment (%(own)s)."),
            cr=name.cr,
            own=establishment.cr_number,
        )
    establishment = Establishment.objects.filter(cr_number=name.cr).first()
    if establishment is None:
        raise EmployerUnknown(
            _("No establishment has the commercial registration %(cr)s of the file name."),
            cr=name.cr,
        )
    bank = Bank.objects.filter(code=name.bank).first()
    if bank is None:
        raise BankUnknown(
            _("The bank short code %(bank)s is not one of the banks that pay wages."),
            bank=name.bank,
        )
    first = _first_submission(name=name)
    if first:
        return first, False
    stored = storage.store(chunks)
    first = _first_submission(name=name, sha256=stored.sha256)
    if first:
        return first, False
    try:
        with transaction.atomic():
            received = SalaryFile.objects.create(
                establishment=establishment,
                bank=bank,
                file_name=file_name.strip(),
                name_cr=name.cr,
                name_bank=name.bank,
                name_date=name.date,
                name_serial=name.serial,
                sha256=stored.sha256,
                size_bytes=stored.size,
                stored_name=stored.path.name,
                channel=actor.channel,
                submitted_by_id=submitted_by_id,
                submitted_by_label=actor.label[:150],
                received_at=now,
            )
            audit.record(
                actor=actor,
                action="salary_file.received",
                obj=received,
                at=now,
                changes={"status": [None, received.status], "sha256": [None, stored.sha256]},
            )
    except IntegrityError:
        # The same file sent twice at once: the other request's row is the first result.
        return _first_submission(name=name, sha256=stored.sha256), False
    return received, True


def _first_submission(*, name: sif.FileName, sha256: str = "") -> SalaryFile | None:
    same = Q(name_cr=name.cr, name_bank=name.bank, name_date=name.date, name_serial=name.serial)
    if sha256:
        same |= Q(sha256=sha256)
    return SalaryFile.objects.filter(same).order_by("id").first()


def salary_file_check(*, actor: Actor, salary_file_id: int, now: dt.datetime) -> SalaryFile:
    """Check a received file line by line, then against the ledger; CHECKED or REJECTED."""
    salary_file = _check_start(actor=actor, salary_file_id=salary_file_id, now=now)
    banks = dict(Bank.objects.values_list("code", "bic"))
    today = now.astimezone(MUSCAT).date()
    header, findings = None, []
    checker = sif.LineChecker(bics=set(banks.values()))
    batch: list[tuple[dict, list[sif.Finding]]] = []
    try:
        with storage.open_text(salary_file.stored_name) as text:
            for line, row in sif.rows(text):
                if header is None:
                    header, findings = sif.check_header(
                        line,
                        row,
                        name=sif.parse_file_name(salary_file.file_name),
                        bank_codes=set(banks),
                        payment_types=conf.PAYMENT_TYPES.value,
                        today=today,
                    )
                    continue
                batch.append(checker.check(line, row))
                if len(batch) == BATCH_LINES:
                    _check_batch(salary_file, batch)
                    batch = []
    except (UnicodeDecodeError, OSError, csv.Error):
        findings.append(
            sif.Finding(None, "file", "file_unreadable", _("The file could not be read."))
        )
    _check_batch(salary_file, batch)
    if header is None:
        findings.append(
            sif.Finding(None, "header", "header_missing", _("The file has no employer row."))
        )
    else:
        findings += checker.totals(header)
    if salary_file.establishment.status != Establishment.Status.ACTIVE:
        findings.append(
            sif.Finding(
                header.line if header else None,
                "Employer CR-NO",
                "employer_not_active",
                _("The establishment %(cr)s is not active."),
                {"cr": salary_file.establishment.cr_number},
            )
        )
    return _check_finish(
        actor=actor, salary_file=salary_file, header=header, findings=findings, now=now
    )


def _check_start(*, actor: Actor, salary_file_id: int, now: dt.datetime) -> SalaryFile:
    """CHECKING, with the number of lines to check, so the progress has its total."""
    with transaction.atomic():
        salary_file = SalaryFile.objects.select_related("establishment", "bank").get(
            pk=salary_file_id
        )
        with storage.open_text(salary_file.stored_name) as text:
            try:
                total = max(sum(1 for _row in sif.rows(text)) - 1, 0)
            except (UnicodeDecodeError, csv.Error):
                total = 0
        states.transition(
            salary_file,
            S.CHECKING,
            table=SALARY_FILE_TRANSITIONS,
            error=SalaryFileStatusChange,
            lines_total=total,
            check_started_at=now,
        )
        audit.record(
            actor=actor,
            action="salary_file.checking",
            obj=salary_file,
            at=now,
            changes={"status": [S.RECEIVED, S.CHECKING]},
        )
    return salary_file


def _error_row(salary_file: SalaryFile, finding: sif.Finding) -> dict:
    def said(language):
        with translation.override(language):
            text = str(finding.message)
            return (text % finding.params if finding.params else text)[:300]

    return {
        "file_id": salary_file.pk,
        "line_number": finding.line,
        "field": finding.field[:40],
        "code": finding.code,
        "employee_id": finding.employee_id[:17],
        "message_ar": said("ar"),
        "message_en": said("en"),
    }


def _insert(model, rows: list[dict]) -> None:
    """Insert `rows` (each with every column but the id) in one prepared statement run over
    them all: a file's lines are many, and the ORM's bulk_create builds each row's SQL anew."""
    if not rows:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [tuple(row[field.attname] for field in fields) for row in rows])


# A line's columns when the row could not be read into them.
LINE_DEFAULTS = {
    field.attname: None if field.null else field.get_default()
    for field in SalaryLine._meta.concrete_fields
    if not field.primary_key
}


def _check_batch(salary_file: SalaryFile, batch: list[tuple[dict, list[sif.Finding]]]) -> None:
    """Store a batch of lines and their findings, and count them checked."""
    if not batch:
        return
    with transaction.atomic():
        _insert(
            SalaryLine,
            [{**LINE_DEFAULTS, "file_id": salary_file.pk, **values} for values, _found in batch],
        )
        _insert(
            LineError,
            [_error_row(salary_file, finding) for _values, found in batch for finding in found],
        )
        SalaryFile.objects.filter(pk=salary_file.pk).update(
            lines_checked=F("lines_checked") + len(batch),
            lines_total=Greatest("lines_total", F("lines_checked") + len(batch)),
        )


def _check_finish(
    *,
    actor: Actor,
    salary_file: SalaryFile,
    header: sif.Header | None,
    findings: list[sif.Finding],
    now: dt.datetime,
) -> SalaryFile:
    """The ledger cross-check, the file's own findings, and CHECKED (REJECTED when the employer
    row is wrong), with its audit event and domain event."""
    with transaction.atomic():
        _insert(LineError, [_error_row(salary_file, found) for found in findings])
        month = {}
        if header is not None and header.month_valid:
            month = {"salary_year": header.salary_year, "salary_month": header.salary_month}
            _ledger_check(salary_file, *sif.month_bounds(header.salary_year, header.salary_month))
            found = late_payment_findings(salary_file, header.salary_year, header.salary_month)
            _insert(LineError, [_error_row(salary_file, finding) for finding in found])
        to = S.REJECTED if findings else S.CHECKED
        states.transition(
            salary_file,
            to,
            table=SALARY_FILE_TRANSITIONS,
            error=SalaryFileStatusChange,
            error_count=LineError.objects.filter(file=salary_file).count(),
            checked_at=now,
            **month,
        )
        audit.record(
            actor=actor,
            action="salary_file.checked",
            obj=salary_file,
            at=now,
            changes={"status": [S.CHECKING, to], "error_count": [0, salary_file.error_count]},
        )
        events.salary_file_checked(salary_file=salary_file, now=now)
    return salary_file


# The pay columns compared with the ledger's basic wage: (line column, SIF field, code, message).
BELOW_WAGE = (
    (
        "net_baisa",
        "Net Salary",
        "net_below_wage",
        _("The net salary is below the basic wage of %(wage)s rials in the ledger."),
    ),
    (
        "basic_baisa",
        "Basic Salary",
        "basic_below_wage",
        _("The basic salary is below the basic wage of %(wage)s rials in the ledger."),
    ),
)


def _working_in(first: dt.date, last: dt.date) -> Q:
    """Employments that cover some of the month."""
    return Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))


def _match_ledger(salary_file: SalaryFile, first: dt.date, last: dt.date) -> None:
    """Set each line's person (by civil or resident number, or passport) and its employment at
    the file's establishment in the month, in three statements over the whole file.

    Each database gets the form it plans as one pass: PostgreSQL a join (UPDATE … FROM; a
    correlated subquery there may scan the establishment's employments once per line), SQLite
    a correlated subquery through the unique indexes (its UPDATE … FROM may loop the other way
    round)."""
    if connection.vendor == "postgresql":
        _match_ledger_joined(salary_file, first, last)
        return
    lines = SalaryLine.objects.filter(file=salary_file, id_ok=True)
    for id_type, column in (("C", "civil_number"), ("P", "passport_number")):
        lines.filter(id_type=id_type).update(
            person=Subquery(
                Person.objects.filter(**{column: OuterRef("employee_id")})
                .order_by("pk")
                .values("pk")[:1]
            )
        )
    lines.filter(person__isnull=False).update(
        employment=Subquery(
            Employment.objects.filter(
                _working_in(first, last),
                establishment_id=salary_file.establishment_id,
                person_id=OuterRef("person_id"),
            )
            .order_by("-start_date", "-id")
            .values("pk")[:1]
        )
    )


def _match_ledger_joined(salary_file: SalaryFile, first: dt.date, last: dt.date) -> None:
    quote = connection.ops.quote_name
    line, person, employment = (
        quote(model._meta.db_table) for model in (SalaryLine, Person, Employment)
    )
    by_id = (
        f"UPDATE {line} AS l SET person_id = p.id FROM {person} AS p "
        "WHERE l.file_id = %s AND l.id_ok AND l.id_type = %s AND p.{column} = l.employee_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(by_id.format(column="civil_number"), [salary_file.pk, "C"])
        cursor.execute(by_id.format(column="passport_number"), [salary_file.pk, "P"])
        cursor.execute(
            f"UPDATE {line} AS l SET employment_id = e.id FROM {employment} AS e "
            "WHERE l.file_id = %s AND l.person_id IS NOT NULL AND e.person_id = l.person_id "
            "AND e.establishment_id = %s AND e.start_date <= %s "
            "AND (e.end_date IS NULL OR e.end_date >= %s)",
            [salary_file.pk, salary_file.establishment_id, last, first],
        )


def _ledger_check(salary_file: SalaryFile, first: dt.date, last: dt.date) -> None:
    """Match the file's workers with the ledger and record what disagrees, each rule one query
    over the whole file: unknown workers, another employer's or nobody's workers, pay below the
    ledger's basic wage, and the establishment's workers whom the file does not pay."""
    _match_ledger(salary_file, first, last)
    lines = SalaryLine.objects.filter(file=salary_file, id_ok=True)
    working = Employment.objects.filter(_working_in(first, last))
    own = working.filter(establishment_id=salary_file.establishment_id).exclude(
        exempt_in(first, last)
    )
    found: list[sif.Finding] = []

    def each(rows, code, message, field="Employee ID"):
        """A finding for each (line number, employee ID[, ledger wage]) of `rows`."""
        for line_number, employee_id, *wage in rows:
            params = {"wage": sif.rials(wage[0])} if wage else {}
            found.append(sif.Finding(line_number, field, code, message, params, employee_id))

    each(
        lines.filter(person__isnull=True).values_list("line_number", "employee_id"),
        "worker_unknown",
        _("No worker with this ID is in the registry."),
    )
    elsewhere = working.filter(person_id=OuterRef("person_id")).exclude(
        establishment_id=salary_file.establishment_id
    )
    not_here = lines.filter(person__isnull=False, employment__isnull=True)
    each(
        not_here.filter(Exists(elsewhere)).values_list("line_number", "employee_id"),
        "worker_other_employer",
        _("This worker works for another employer in the salary month, not for yours."),
    )
    each(
        not_here.exclude(Exists(elsewhere)).values_list("line_number", "employee_id"),
        "worker_not_employed",
        _("This worker is not employed by your establishment in the salary month."),
    )
    paid = not_exempt_lines(lines, first, last).filter(employment__basic_wage_baisa__gt=0)
    for column, field, code, message in BELOW_WAGE:
        each(
            paid.filter(**{f"{column}__lt": F("employment__basic_wage_baisa")}).values_list(
                "line_number", "employee_id", "employment__basic_wage_baisa"
            ),
            code,
            message,
            field=field,
        )
    paid_persons = SalaryLine.objects.filter(file=salary_file, person_id=OuterRef("person_id"))
    each(
        (
            (None, civil_number)
            for civil_number in own.exclude(Exists(paid_persons))
            .order_by("person__civil_number")
            .values_list("person__civil_number", flat=True)
        ),
        "worker_missing",
        _("This worker of your establishment is not paid in the file."),
    )
    _insert(LineError, [_error_row(salary_file, finding) for finding in found])


def salary_files_resume(*, actor: Actor, now: dt.datetime) -> list[int]:
    """The files to check (again): those whose check stopped half-way, longer ago than
    `WAGES_CHECK_STALE_MINUTES`, are put back to RECEIVED without what they had stored; with
    those received as long ago and never checked (their task was lost), their ids, for the
    caller to enqueue."""
    stale_before = now - dt.timedelta(minutes=conf.CHECK_STALE_MINUTES.value)
    stale = SalaryFile.objects.filter(status=S.CHECKING, check_started_at__lt=stale_before)
    for salary_file in stale.order_by("id"):
        with transaction.atomic():
            try:
                states.transition(
                    salary_file,
                    S.RECEIVED,
                    table=SALARY_FILE_TRANSITIONS,
                    error=SalaryFileStatusChange,
                    lines_checked=0,
                    lines_total=0,
                    error_count=0,
                )
            except SalaryFileStatusChange:
                continue  # finished meanwhile
            SalaryLine.objects.filter(file=salary_file).delete()
            LineError.objects.filter(file=salary_file).delete()
            audit.record(
                actor=actor,
                action="salary_file.check_restarted",
                obj=salary_file,
                at=now,
                changes={"status": [S.CHECKING, S.RECEIVED]},
            )
    received = SalaryFile.objects.filter(status=S.RECEIVED, received_at__lt=stale_before)
    return list(received.order_by("id").values_list("id", flat=True))
