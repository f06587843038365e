"""Receiving a zip archive of salary files (the central bank's batch of a month for the whole
country), then checking it in the background: its members are taken out one by one, each
becoming a salary file of its own (or a refusal listed in the archive), and the files are then
checked many at a time, each batch one transaction that also counts the archive's progress.

A stopped check goes on where it was: the members already taken out are counted
(`members_read`), and a batch of files is committed whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import zipfile
import zlib
from collections.abc import Iterable, Iterator

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext_lazy as _

from manpower.core import audit, states
from manpower.core.actor import Actor
from manpower.core.errors import Conflict, DomainError

from .. import conf, events, sif, storage
from ..models import SalaryArchive, SalaryFile
from .files import S as FILE
from .files import salary_files_check, salary_files_receive_archived

A = SalaryArchive.Status
SALARY_ARCHIVE_TRANSITIONS: dict[str, frozenset[str]] = {
    A.RECEIVED: frozenset({A.CHECKING}),
    A.CHECKING: frozenset({A.CHECKED, A.REJECTED}),
    A.CHECKED: frozenset(),
    A.REJECTED: frozenset(),
}
MEMBERS_PER_STEP = 200
CHUNK_BYTES = 64 * 1024
ZIP_MAGIC = b"PK\x03\x04"


class SalaryArchiveStatusChange(Conflict):
    code = "salary_archive_status_change"


class MemberRefused(DomainError):
    code = "member_refused"
    status = 422


def salary_archive_receive(
    *, actor: Actor, file_name: str, chunks: Iterable[bytes], now: dt.datetime
) -> tuple[SalaryArchive, bool]:
    """Keep an archive as it streams in and answer it as received; `(archive, True)` for a new
    one. The same bytes sent again answer with the first archive, `False`."""
    stored = storage.store(chunks, archive=True)
    if first := SalaryArchive.objects.filter(sha256=stored.sha256).first():
        return first, False
    try:
        with transaction.atomic():
            received = SalaryArchive.objects.create(
                file_name=(file_name.strip() or "archive.zip")[:200],
                sha256=stored.sha256,
                size_bytes=stored.size,
                stored_name=stored.path.name,
                channel=actor.channel,
                submitted_by_label=actor.label[:150],
                received_at=now,
            )
            audit.record(
                actor=actor,
                action="salary_archive.received",
                obj=received,
                at=now,
                changes={"status": [None, received.status], "sha256": [None, stored.sha256]},
            )
    except IntegrityError:  # the same archive sent twice at once
        return SalaryArchive.objects.get(sha256=stored.sha256), False
    return received, True


def salary_archive_check(*, actor: Actor, archive_id: int, now: dt.datetime) -> SalaryArchive:
    """Take the archive's members out as salary files, then check the files in batches;
    CHECKED, or REJECTED when the zip itself cannot be read or passes the limits. Called
    again for an archive being checked (its worker stopped), it goes on where that one was."""
    archive = _start(actor=actor, archive_id=archive_id, now=now)
    try:
        with zipfile.ZipFile(storage.stored_path(archive.stored_name)) as opened:
            members = [info for info in opened.infolist() if not info.is_dir()]
            if refusal := _archive_refusal(members):
                return _finish(actor=actor, archive=archive, now=now, refusal=refusal)
            if archive.members_total == 0:
                archive.members_total = len(members)
                SalaryArchive.objects.filter(pk=archive.pk).update(members_total=len(members))
            repeated = _repeated(members)
            for start in range(archive.members_read, len(members), MEMBERS_PER_STEP):
                _take_members(
                    actor=actor,
                    archive=archive,
                    opened=opened,
                    members=members[start : start + MEMBERS_PER_STEP],
                    repeated=repeated,
                    now=now,
                )
    except (zipfile.BadZipFile, OSError, EOFError):
        return _finish(
            actor=actor,
            archive=archive,
            now=now,
            refusal=MemberRefused(
                _("The archive is not a zip file that can be read."), code="archive_unreadable"
            ),
        )
    while batch := _next_batch(archive):
        with transaction.atomic():
            taken = list(
                SalaryFile.objects.select_for_update()
                .select_related("establishment", "bank")
                .filter(pk__in=batch, status=FILE.RECEIVED)
                .order_by("pk")
            )
            SalaryFile.objects.filter(pk__in=[found.pk for found in taken]).update(
                status=FILE.CHECKING, check_started_at=now
            )
            for found in taken:
                found.status = FILE.CHECKING
            checked = salary_files_check(actor=actor, salary_files=taken, now=now)
            SalaryArchive.objects.filter(pk=archive.pk).update(
                files_checked=F("files_checked") + len(checked),
                lines_total=F("lines_total") + sum(found.lines_total for found in checked),
                lines_checked=F("lines_checked") + sum(found.lines_total for found in checked),
            )
    return _finish(actor=actor, archive=archive, now=now)


def _start(*, actor: Actor, archive_id: int, now: dt.datetime) -> SalaryArchive:
    """CHECKING; an archive already being checked is resumed as it is."""
    with transaction.atomic():
        archive = SalaryArchive.objects.select_for_update().get(pk=archive_id)
        if archive.status == A.CHECKING:
            SalaryArchive.objects.filter(pk=archive.pk).update(check_started_at=now)
            return archive
        states.transition(
            archive,
            A.CHECKING,
            table=SALARY_ARCHIVE_TRANSITIONS,
            error=SalaryArchiveStatusChange,
            check_started_at=now,
        )
        audit.record(
            actor=actor,
            action="salary_archive.checking",
            obj=archive,
            at=now,
            changes={"status": [A.RECEIVED, A.CHECKING]},
        )
    return archive


def _archive_refusal(members: list[zipfile.ZipInfo]) -> MemberRefused | None:
    """Why the whole archive is not opened: too many members, or more bytes uncompressed than
    allowed, as its directory declares them."""
    if len(members) > conf.ARCHIVE_MAX_MEMBERS.value:
        return MemberRefused(
            _("The archive holds %(count)d files; at most %(max)d are accepted."),
            code="archive_too_many_files",
            count=len(members),
            max=conf.ARCHIVE_MAX_MEMBERS.value,
        )
    declared = sum(info.file_size for info in members)
    if declared > conf.ARCHIVE_MAX_UNCOMPRESSED_BYTES.value:
        return MemberRefused(
            _("The archive's files add up to %(size)d MB uncompressed; at most %(max)d MB."),
            code="archive_too_large",
            size=declared // (1024 * 1024),
            max=conf.ARCHIVE_MAX_UNCOMPRESSED_BYTES.value // (1024 * 1024),
        )
    return None


def _repeated(members: list[zipfile.ZipInfo]) -> set[int]:
    """The members (by the offset of their entry) whose name an earlier member has: a zip
    can hold two entries of one name, which read by name are both the later one."""
    first: dict[str, zipfile.ZipInfo] = {}
    return {
        info.header_offset for info in members if first.setdefault(info.filename, info) is not info
    }


def _take_members(
    *,
    actor: Actor,
    archive: SalaryArchive,
    opened: zipfile.ZipFile,
    members: list[zipfile.ZipInfo],
    repeated: set[int],
    now: dt.datetime,
) -> None:
    """Take a step of members out as salary files, in one transaction with the count of
    members read, so that a resumed check neither loses nor repeats one."""
    refused, taken = [], []
    with transaction.atomic():
        read = SalaryArchive.objects.select_for_update().values_list("members_read", flat=True)
        if read.get(pk=archive.pk) != archive.members_read:
            archive.refresh_from_db()
            return  # another worker took these members meanwhile
        for info in members:
            try:
                _member_refusal(info, repeated=info.header_offset in repeated)
                name = sif.parse_file_name(info.filename)
                stored = storage.store(_member_chunks(opened, info), keep=False)
                taken.append((info.filename, name, stored))
            except DomainError as refusal:
                refused.append(_refused(info.filename, refusal))
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
                damaged = MemberRefused(
                    _("The file is truncated or damaged in the archive."),
                    code="member_unreadable",
                )
                refused.append(_refused(info.filename, damaged))
        answers = salary_files_receive_archived(archive=archive, members=taken, now=now)
        new = 0
        for (file_name, _name, _stored), answer in zip(taken, answers, strict=True):
            if isinstance(answer, DomainError):
                refused.append(_refused(file_name, answer))
            else:
                new += 1
        archive.refused += refused
        archive.members_read += len(members)
        archive.files_total += new
        SalaryArchive.objects.filter(pk=archive.pk).update(
            refused=archive.refused,
            members_read=archive.members_read,
            files_total=F("files_total") + new,
        )


def _member_refusal(info: zipfile.ZipInfo, *, repeated: bool) -> None:
    """Refuse a member that is not a plain salary file before reading it: the name of an
    earlier member (`repeated`; the first is the file), a name with a folder (or a way out of
    one), an encrypted or nested archive, or a declared size above `WAGES_MAX_FILE_BYTES`."""
    name = info.filename
    if repeated:
        raise MemberRefused(
            _("The archive holds another file named %(name)s before this one; only the first "
              "is taken."),
            code="duplicate_member",
            name=name[:100],
        )  # fmt: skip
    if "/" in name or "\\" in name or ".." in name or ":" in name:
        raise MemberRefused(
            _("The file name %(name)s has a folder in it; archive files sit at the top level."),
            code="member_path_invalid",
            name=name[:100],
        )
    if name.casefold().endswith(".zip"):
        raise _nested()
    if info.flag_bits & 0x1:
        raise MemberRefused(_("The file is encrypted in the archive."), code="member_encrypted")
    if info.file_size > conf.MAX_FILE_BYTES.value:
        raise storage.FileTooLarge(
            _("The file is larger than %(limit)d MB."),
            limit=conf.MAX_FILE_BYTES.value // (1024 * 1024),
        )


def _nested() -> MemberRefused:
    return MemberRefused(
        _("The file is itself an archive; send the salary files in one zip, not nested."),
        code="member_nested_archive",
    )


def _member_chunks(opened: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes as they are uncompressed; never more than its declared size (the
    zip module stops there and checks the CRC), which storage holds to the file limit."""
    with opened.open(info) as member:
        first = member.read(CHUNK_BYTES)
        if first.startswith(ZIP_MAGIC):
            raise _nested()
        yield first
        while chunk := member.read(CHUNK_BYTES):
            yield chunk


def _refused(name: str, refusal: DomainError) -> dict:
    said = refusal.bilingual()
    return {
        "name": name[:200],
        "code": refusal.code,
        "message_ar": said["ar"][:300],
        "message_en": said["en"][:300],
    }


def _next_batch(archive: SalaryArchive) -> list[int]:
    """The next files of the archive to check, about `WAGES_ARCHIVE_BATCH_BYTES` of them."""
    budget, batch = conf.ARCHIVE_BATCH_BYTES.value, []
    waiting = SalaryFile.objects.filter(archive=archive, status=FILE.RECEIVED).order_by("pk")
    for file_id, size in waiting.values_list("pk", "size_bytes")[:5000]:
        if batch and budget - size < 0:
            break
        batch.append(file_id)
        budget -= size
    return batch


def _finish(
    *,
    actor: Actor,
    archive: SalaryArchive,
    now: dt.datetime,
    refusal: DomainError | None = None,
) -> SalaryArchive:
    """CHECKED with the final counts, or REJECTED with why; audited and published."""
    to = A.REJECTED if refusal else A.CHECKED
    refused = [*archive.refused, _refused(archive.file_name, refusal)] if refusal else None
    with transaction.atomic():
        files = SalaryFile.objects.filter(archive=archive)
        counted = files.aggregate(lines=Sum("lines_total"))
        fields = {"checked_at": now, "lines_total": counted["lines"] or 0}
        if refused is not None:
            fields["refused"] = refused
        archive.refresh_from_db()
        states.transition(
            archive,
            to,
            table=SALARY_ARCHIVE_TRANSITIONS,
            error=SalaryArchiveStatusChange,
            **fields,
        )
        audit.record(
            actor=actor,
            action="salary_archive.checked",
            obj=archive,
            at=now,
            changes={
                "status": [A.CHECKING, to],
                "files": [0, archive.files_total],
                "refused": [0, len(archive.refused)],
            },
        )
        events.salary_archive_checked(archive=archive, now=now)
    return archive


def salary_archives_resume(*, actor: Actor, now: dt.datetime) -> list[int]:
    """The archives whose check was lost or stopped (being checked, or received and never
    taken, longer ago than `WAGES_CHECK_STALE_MINUTES`), for the caller to enqueue again."""
    stale_before = now - dt.timedelta(minutes=conf.CHECK_STALE_MINUTES.value)
    lost = SalaryArchive.objects.filter(
        status__in=[A.CHECKING, A.RECEIVED], received_at__lt=stale_before
    ).exclude(check_started_at__gte=stale_before)
    return list(lost.order_by("pk").values_list("pk", flat=True))
