"""Receiving a salary file, then checking it.

Receipt is immediate (the channel answers at once with the file's status); the check runs as a
background task (`tasks.salary_file_check`) in steps that each commit, so the submitter sees the
lines checked grow: the start, one step per batch of lines, and the finish, which cross-checks
the file against the employment ledger in a few set-based queries over the whole file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from manpower.core import audit, states
from manpower.core.actor import Actor
from manpower.core.dates import MUSCAT
from manpower.core.errors import Conflict, DomainError, PermissionDenied
from manpower.registry.models import Establishment

from .. import conf, events, lines, sif, storage
from ..models import Bank, LineError, SalaryArchive, SalaryFile, SalaryLine
from .ledger import LEDGER_RULES, error_row, ledger_findings, tables

S = SalaryFile.Status
SALARY_FILE_TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.CHECKING}),
    # Back to RECEIVED: the check's worker stopped half-way (`salary_files_resume`).
    S.CHECKING: frozenset({S.CHECKED, S.REJECTED, S.RECEIVED}),
    S.CHECKED: frozenset(),
    S.REJECTED: frozenset(),
}
BATCH_LINES = 20_000


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
    establishment, bank = _employer_and_bank(
        name,
        establishments=_establishments_by_cr({name.cr}),
        banks={found.code: found for found in Bank.objects.filter(code=name.bank)},
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
            received = _new_file(
                file_name, name, stored, establishment=establishment, bank=bank, now=now,
                channel=actor.channel, label=actor.label, submitted_by_id=submitted_by_id,
            )  # fmt: skip
            received.save()
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


def _establishments_by_cr(crs: set[str]) -> dict[str, Establishment]:
    return {found.cr_number: found for found in Establishment.objects.filter(cr_number__in=crs)}


def _employer_and_bank(
    name: sif.FileName, *, establishments: dict[str, Establishment], banks: dict[str, Bank]
) -> tuple[Establishment, Bank]:
    """The establishment and bank a file's name gives; refused when either is unknown."""
    if name.cr not in establishments:
        raise EmployerUnknown(
            _("No establishment has the commercial registration %(cr)s of the file name."),
            cr=name.cr,
        )
    if name.bank not in banks:
        raise BankUnknown(
            _("The bank short code %(bank)s is not one of the banks that pay wages."),
            bank=name.bank,
        )
    return establishments[name.cr], banks[name.bank]


def _new_file(
    file_name: str,
    name: sif.FileName,
    stored: storage.Stored,
    *,
    establishment: Establishment,
    bank: Bank,
    now: dt.datetime,
    channel: str,
    label: str,
    submitted_by_id: int | None = None,
    archive: SalaryArchive | None = None,
) -> SalaryFile:
    """A salary file not saved yet, as its name and stored content give it."""
    return SalaryFile(
        establishment=establishment,
        bank=bank,
        archive=archive,
        file_name=file_name.strip(),
        name_cr=name.cr,
        name_bank=name.bank,
        name_date=name.date,
        name_serial=name.serial,
        sha256=stored.sha256,
        size_bytes=stored.size,
        stored_name=storage.archive_member_name(archive.stored_name, file_name)
        if archive
        else stored.path.name,
        channel=channel,
        submitted_by_id=submitted_by_id,
        submitted_by_label=label[:150],
        received_at=now,
    )


def salary_files_receive_archived(
    *, archive: SalaryArchive, members: list[tuple[str, sif.FileName, storage.Stored]],
    now: dt.datetime,
) -> list[SalaryFile | DomainError]:  # fmt: skip
    """Keep many files taken out of `archive` (each already on disk) as its files, in a few
    statements for them all: for each member its new file, the first file when its name parts
    or content were received before (`first_received`), or why it is refused. The archive's
    sender is each file's; their receipt is audited with the archive's."""
    establishments = _establishments_by_cr({name.cr for _file, name, _stored in members})
    banks = {found.code: found for found in Bank.objects.all()}
    earlier = SalaryFile.objects.filter(
        Q(name_cr__in={name.cr for _file, name, _stored in members})
        | Q(sha256__in={stored.sha256 for _file, _name, stored in members})
    ).values_list("pk", "name_cr", "name_bank", "name_date", "name_serial", "sha256")
    seen: dict[object, int | SalaryFile] = {}
    for pk, cr, bank, date, serial, sha256 in earlier:
        seen.setdefault(sif.FileName(cr, bank, date, serial), pk)
        seen.setdefault(sha256, pk)
    answers: list[tuple[str, object]] = []
    new = []
    for file_name, name, stored in members:
        first = seen.get(name) or seen.get(stored.sha256)
        if first is not None:  # an earlier file's id, or a new one of this step
            answers.append(("first", first))
            continue
        try:
            establishment, bank = _employer_and_bank(name, establishments=establishments,
                                                     banks=banks)  # fmt: skip
        except DomainError as refusal:
            answers.append(("refused", refusal))
            continue
        received = _new_file(
            file_name, name, stored, establishment=establishment, bank=bank, now=now,
            channel=archive.channel, label=archive.submitted_by_label, archive=archive,
        )  # fmt: skip
        seen[name] = seen[stored.sha256] = received
        answers.append(("new", received))
        new.append(received)
    SalaryFile.objects.bulk_create(new)
    return [
        FirstReceived(value if isinstance(value, int) else value.pk) if kind == "first" else value
        for kind, value in answers
    ]


class FirstReceived(DomainError):
    """A member received before: the first file's result stands."""

    code = "file_already_received"
    status = 200

    def __init__(self, first_id: int):
        super().__init__(
            _("This file was received before (file %(id)d); its first result stands."),
            id=first_id,
        )


def _first_submission(*, name: sif.FileName, sha256: str = "") -> SalaryFile | None:
    same = Q(name_cr=name.cr, name_bank=name.bank, name_date=name.date, name_serial=name.serial)
    if sha256:
        same |= Q(sha256=sha256)
    return SalaryFile.objects.filter(same).order_by("id").first()


def salary_file_check(*, actor: Actor, salary_file_id: int, now: dt.datetime) -> SalaryFile:
    """Check a received file's lines, then against the ledger; CHECKED or REJECTED. The lines
    are judged at once and stored in steps that each commit, so the progress grows."""
    salary_file = _check_start(actor=actor, salary_file_id=salary_file_id, now=now)
    [checked] = salary_files_check(actor=actor, salary_files=[salary_file], now=now, steps=True)
    return checked


def salary_files_check(
    *, actor: Actor, salary_files: list[SalaryFile], now: dt.datetime, steps: bool = False
) -> list[SalaryFile]:
    """Check many files taken for checking (CHECKING) together: their lines judged column-wise in
    one DataFrame, stored in bulk, cross-checked against the ledger in one set of statements
    for the whole batch, and each file finished CHECKED or REJECTED. With `steps`, the lines
    are stored in commits of `BATCH_LINES` (one file's progress); without, the caller's
    transaction holds the whole batch."""
    banks = dict(Bank.objects.values_list("code", "bic"))
    today = now.astimezone(MUSCAT).date()
    headers: dict[int, sif.Header | None] = {}
    findings: dict[int, list[sif.Finding]] = {}
    reads = []
    for salary_file in salary_files:
        header, found, read = _read(salary_file, bank_codes=set(banks), today=today)
        headers[salary_file.pk], findings[salary_file.pk] = header, found
        reads.append((salary_file.pk, read))
    judged = lines.check(lines.rows_frame(reads), bics=set(banks.values()))
    for salary_file in salary_files:
        header, found = headers[salary_file.pk], findings[salary_file.pk]
        count, net = judged.totals.get(salary_file.pk, (0, 0))
        salary_file.lines_total = count
        if header is not None:
            found += sif.totals(header, count=count, total_net_baisa=net)
        if salary_file.establishment.status != Establishment.Status.ACTIVE:
            found.append(
                sif.Finding(
                    header.line if header else None,
                    "Employer CR-NO",
                    "employer_not_active",
                    _("The establishment %(cr)s is not active."),
                    {"cr": salary_file.establishment.cr_number},
                )
            )
    ledger_found = _store_lines(salary_files, headers, judged, steps=steps)
    with transaction.atomic():
        _insert_frame(LineError, judged.findings.sort("file_id", "line_number", "rank"))
        error_rows = [
            error_row(file_id, finding) for file_id, found in findings.items() for finding in found
        ]
        error_rows += ledger_found
        error_rows += ledger_findings(
            salary_files, headers, table=tables()["line"], rules=LEDGER_RULES[-1:]
        )
        _insert(LineError, error_rows)
        counts = dict(judged.findings.group_by("file_id").len().iter_rows())
        for row in error_rows:
            counts[row["file_id"]] = counts.get(row["file_id"], 0) + 1
        for salary_file in salary_files:
            header = headers[salary_file.pk]
            if header is not None and header.month_valid:
                salary_file.salary_year = header.salary_year
                salary_file.salary_month = header.salary_month
            salary_file.error_count = counts.get(salary_file.pk, 0)
            salary_file.lines_checked = salary_file.lines_total
            salary_file.checked_at = now
            to = S.REJECTED if findings[salary_file.pk] else S.CHECKED
            if steps:
                _check_finish(actor=actor, salary_file=salary_file, to=to)
                events.salary_file_checked(salary_file=salary_file, now=now)
            else:
                salary_file.status = to
        if not steps:
            # The batch's files are locked by the caller (an archive's check, which audits).
            _finish_many(salary_files)
            events.salary_files_checked(salary_files=salary_files, now=now)
    return salary_files


def _read(
    salary_file: SalaryFile, *, bank_codes: set[str], today: dt.date
) -> tuple[sif.Header | None, list[sif.Finding], lines.ReadFile]:
    """A file's employer row checked, its findings, and its other rows (unjudged)."""
    try:
        with storage.open_text(salary_file.stored_name) as text:
            read = lines.read_text(text.read())
    except (UnicodeDecodeError, OSError):
        read = lines.ReadFile(None, unreadable=True)
    header, found = None, []
    if read.header is not None:
        header, found = sif.check_header(
            *read.header,
            name=sif.parse_file_name(salary_file.file_name),
            bank_codes=bank_codes,
            payment_types=conf.PAYMENT_TYPES.value,
            today=today,
        )
    if read.unreadable:
        found.append(sif.Finding(None, "file", "file_unreadable", _("The file could not be read.")))
    if header is None:
        found.append(
            sif.Finding(None, "header", "header_missing", _("The file has no employer row."))
        )
    return header, found, read


def _check_start(*, actor: Actor, salary_file_id: int, now: dt.datetime) -> SalaryFile:
    """CHECKING: the file is taken by this worker (another worker's take fails)."""
    with transaction.atomic():
        salary_file = SalaryFile.objects.select_related("establishment", "bank").get(
            pk=salary_file_id
        )
        states.transition(
            salary_file,
            S.CHECKING,
            table=SALARY_FILE_TRANSITIONS,
            error=SalaryFileStatusChange,
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


def _columns(model) -> list:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def _insert(model, rows: list[dict]) -> None:
    """Insert `rows` (each with every column but the id) in one prepared statement run over
    them all: the ORM's bulk_create builds each row's SQL anew."""
    if rows:
        fields = _columns(model)
        _insert_tuples(
            model, fields, [tuple(row[field.attname] for field in fields) for row in rows]
        )


def _insert_tuples(model, fields: list, rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _insert_frame(model, frame: pl.DataFrame) -> None:
    """Insert a DataFrame's rows (columns named as the model's fields, the others taking their
    defaults): COPY on PostgreSQL, fed the frame as CSV; a prepared statement elsewhere."""
    if not frame.height:
        return
    fields = _columns(model)
    frame = frame.with_columns(
        pl.lit(DEFAULTS[model][field.attname]).alias(field.attname)
        for field in fields
        if field.attname not in frame.columns
    )
    _copy(model._meta.db_table, [field.column for field in fields], frame)


def _copy(table: str, columns: list[str], frame: pl.DataFrame) -> None:
    frame = frame.select(columns)
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            values = ", ".join(["%s"] * len(columns))
            dates = [name for name, kind in frame.schema.items() if kind == pl.Date]
            rows = frame.with_columns(pl.col(dates).cast(pl.String)).rows()
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({values})", rows)
            return
        sql = f"COPY {quote(table)} ({names}) FROM STDIN WITH (FORMAT csv)"
        with cursor.cursor.copy(sql) as copy:  # the psycopg cursor under Django's wrapper
            # Non-numeric values quoted: an empty text is "", a missing value (NULL) is nothing.
            for block in frame.iter_slices(100_000):
                copy.write(block.write_csv(include_header=False, quote_style="non_numeric"))


# Each model's column defaults, for the columns a frame does not carry.
DEFAULTS = {
    model: {field.attname: None if field.null else field.get_default() for field in _columns(model)}
    for model in (SalaryLine, LineError)
}


def _store_lines(
    salary_files: list[SalaryFile],
    headers: dict[int, sif.Header | None],
    judged: lines.Checked,
    *,
    steps: bool,
) -> list[dict]:
    """Store the lines, each with its worker and employment found in the ledger as it is
    written, and count them checked: in steps that each commit (one file's progress), or at
    once in the caller's transaction. The ledger's findings about the lines, as error rows."""
    months = []
    for salary_file in salary_files:
        header = headers[salary_file.pk]
        first = last = None
        if header is not None and header.month_valid:
            first, last = sif.month_bounds(header.salary_year, header.salary_month)
        months.append((salary_file.pk, salary_file.establishment_id, first, last))
    of_file = pl.DataFrame(
        months,
        schema={"file_id": pl.Int64, "establishment_id": pl.Int64, "month_first": pl.Date,
                "month_last": pl.Date},
        orient="row",
    )  # fmt: skip
    staged = judged.lines.join(of_file, on="file_id", how="left")
    if steps:
        for salary_file in salary_files:
            SalaryFile.objects.filter(pk=salary_file.pk).update(lines_total=salary_file.lines_total)
    found = []
    for chunk in staged.iter_slices(BATCH_LINES) if steps else [staged]:
        with transaction.atomic():
            _stage(chunk)
            found += ledger_findings(salary_files, headers, table=STAGE, rules=LEDGER_RULES[:-1])
            _stage_insert(chunk)
            if steps:
                for file_id, count in chunk.group_by("file_id").len().iter_rows():
                    SalaryFile.objects.filter(pk=file_id).update(
                        lines_checked=F("lines_checked") + count
                    )
    return found


STAGE = "wages_line_stage"
STAGE_EXTRA = ("establishment_id", "month_first", "month_last", "passport_person_id")


def _stage(staged: pl.DataFrame) -> None:
    """Put lines in a temporary table and look each well formed ID up in the ledger, for a
    file with a valid month: the person by civil or resident number (unique, indexed) or by
    passport (looked up beforehand in one statement for the batch, as the registry indexes
    passports by nationality), then their employment at the file's establishment in the
    month. Set-based statements over the whole batch; the table has no index to maintain."""
    names = tables()
    columns = _stage_columns(staged)
    staged = staged.join(_passport_persons(staged), on="employee_id", how="left")
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} AS SELECT {', '.join(columns)}, "
            "CAST(NULL AS bigint) AS establishment_id, CAST(NULL AS date) AS month_first, "
            "CAST(NULL AS date) AS month_last, CAST(NULL AS bigint) AS passport_person_id, "
            "person_id, employment_id "
            f"FROM {names['line']} WHERE 1 = 0"
        )
        cursor.execute(f"DELETE FROM {STAGE}")
    _copy(STAGE, [*columns, *STAGE_EXTRA], staged)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {STAGE} SET person_id = CASE id_type WHEN 'C' THEN (SELECT p.id "
            f"FROM {names['person']} p WHERE p.civil_number = {STAGE}.employee_id) "
            "ELSE passport_person_id END WHERE id_ok AND month_first IS NOT NULL"
        )
        # PostgreSQL joins (a hash join over the batch's employers' employments); SQLite
        # looks each person's employments up through its index.
        cursor.execute(
            f"UPDATE {STAGE} AS s SET employment_id = e.id FROM {names['employment']} AS e "
            "WHERE s.person_id IS NOT NULL AND e.person_id = s.person_id "
            "AND e.establishment_id = s.establishment_id AND e.start_date <= s.month_last "
            "AND (e.end_date IS NULL OR e.end_date >= s.month_first)"
            if connection.vendor == "postgresql"
            else f"UPDATE {STAGE} SET employment_id = (SELECT e.id FROM {names['employment']} e "
            f"WHERE e.person_id = {STAGE}.person_id AND e.establishment_id = "
            f"{STAGE}.establishment_id AND e.start_date <= {STAGE}.month_last AND "
            f"(e.end_date IS NULL OR e.end_date >= {STAGE}.month_first) "
            "ORDER BY e.start_date DESC, e.id DESC LIMIT 1) WHERE person_id IS NOT NULL"
        )


def _stage_columns(staged: pl.DataFrame) -> list[str]:
    return [field.column for field in _columns(SalaryLine) if field.attname in staged.columns]


def _stage_insert(staged: pl.DataFrame) -> None:
    """Write the staged lines, with what the ledger matched, once each."""
    listed = ", ".join(_stage_columns(staged))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {tables()['line']} ({listed}, person_id, employment_id) "
            f"SELECT {listed}, person_id, employment_id FROM {STAGE}"
        )


def _passport_persons(staged: pl.DataFrame) -> pl.DataFrame:
    """The first person with each passport number of the batch's passport lines."""
    wanted = staged.filter(pl.col("id_ok") & (pl.col("id_type") == "P"))["employee_id"].unique()
    found = []
    if len(wanted):
        with connection.cursor() as cursor:
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500].to_list()
                cursor.execute(
                    f"SELECT passport_number, MIN(id) FROM {tables()['person']} "
                    f"WHERE passport_number IN ({', '.join(['%s'] * len(part))}) "
                    "GROUP BY passport_number",
                    part,
                )
                found += cursor.fetchall()
    return pl.DataFrame(
        found, schema={"employee_id": pl.String, "passport_person_id": pl.Int64}, orient="row"
    )


FINISHED_FIELDS = [
    "status", "error_count", "checked_at", "lines_total", "lines_checked", "salary_year",
    "salary_month",
]  # fmt: skip


def _finish_many(salary_files: list[SalaryFile]) -> None:
    """Each file's final fields, in one prepared statement run over the batch."""
    table, quote = tables()["file"], connection.ops.quote_name
    assignments = ", ".join(f"{quote(name)} = %s" for name in FINISHED_FIELDS)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE id = %s",
            [
                (
                    *(
                        SalaryFile._meta.get_field(name).get_db_prep_save(
                            getattr(salary_file, name), connection
                        )
                        for name in FINISHED_FIELDS
                    ),
                    salary_file.pk,
                )
                for salary_file in salary_files
            ],
        )


def _check_finish(*, actor: Actor, salary_file: SalaryFile, to: str) -> None:
    """CHECKED (REJECTED when the employer row is wrong), audited."""
    states.transition(
        salary_file,
        to,
        table=SALARY_FILE_TRANSITIONS,
        error=SalaryFileStatusChange,
        **{name: getattr(salary_file, name) for name in FINISHED_FIELDS if name != "status"},
    )
    audit.record(
        actor=actor,
        action="salary_file.checked",
        obj=salary_file,
        at=salary_file.checked_at,
        changes={"status": [S.CHECKING, to], "error_count": [0, salary_file.error_count]},
    )


def salary_files_resume(*, actor: Actor, now: dt.datetime) -> list[int]:
    """The files to check (again): those whose check stopped half-way, longer ago than
    `WAGES_CHECK_STALE_MINUTES`, are put back to RECEIVED without what they had stored; with
    those received as long ago and never checked (their task was lost), their ids, for the
    caller to enqueue."""
    stale_before = now - dt.timedelta(minutes=conf.CHECK_STALE_MINUTES.value)
    # An archive's files are checked, and resumed, with their archive.
    alone = SalaryFile.objects.filter(archive__isnull=True)
    stale = alone.filter(status=S.CHECKING, check_started_at__lt=stale_before)
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
    received = alone.filter(status=S.RECEIVED, received_at__lt=stale_before)
    return list(received.order_by("id").values_list("id", flat=True))
