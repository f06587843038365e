"""Received salary files on disk: written as they stream in, never held whole in memory, and
refused on the way when they are too big, carry a NUL byte or are not UTF-8 text."""

from __future__ import annotations

import codecs
import functools
import hashlib
import io
import os
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from manpower.core.errors import DomainError

from . import conf


class FileTooLarge(DomainError):
    code = "file_too_large"
    status = 413


class FileUnreadable(DomainError):
    code = "file_unreadable"
    status = 422


def file_dir() -> Path:
    folder = Path(conf.FILE_DIR.value or Path(settings.VAR_DIR) / "wages")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class Stored:
    path: Path
    sha256: str
    size: int


def store(chunks: Iterable[bytes], *, archive: bool = False, keep: bool = True) -> Stored:
    """Write `chunks` to the files folder under their SHA-256; refused (and nothing kept) when
    they pass `WAGES_MAX_FILE_BYTES`, hold a NUL byte, are not UTF-8 or are empty. An
    `archive` (a zip) is held to `WAGES_ARCHIVE_MAX_BYTES` and not read as text: its members
    are held to the rest as they are taken out, without `keep`ing them (they stay in the zip,
    read with `archive_member_name`)."""
    limit = (conf.ARCHIVE_MAX_BYTES if archive else conf.MAX_FILE_BYTES).value
    folder = file_dir()
    partial = folder / f".incoming-{uuid.uuid4().hex}" if keep else Path(os.devnull)
    digest, size = hashlib.sha256(), 0
    decoder = None if archive else codecs.getincrementaldecoder("utf-8")()
    try:
        with open(partial, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise FileTooLarge(
                        _("The file is larger than %(limit)d MB."), limit=limit // (1024 * 1024)
                    )
                if decoder is not None:
                    _check_text(decoder, chunk)
                digest.update(chunk)
                out.write(chunk)
        if decoder is not None:
            _check_text(decoder, b"", final=True)
        if size == 0:
            raise FileUnreadable(_("The file is empty."), code="file_empty")
    except BaseException:
        if keep:
            partial.unlink(missing_ok=True)
        raise
    path = folder / f"{digest.hexdigest()}.{'zip' if archive else 'csv'}"
    if keep:
        os.replace(partial, path)
    return Stored(path=path, sha256=digest.hexdigest(), size=size)


def _check_text(decoder, chunk: bytes, *, final: bool = False) -> None:
    if b"\x00" in chunk:
        raise FileUnreadable(
            _("The file holds a NUL byte; a salary file is plain text."),
            code="invalid_characters",
            status=400,
        )
    try:
        decoder.decode(chunk, final=final)
    except UnicodeDecodeError:
        raise _not_utf8() from None


def _not_utf8() -> FileUnreadable:
    return FileUnreadable(
        _(
            "The file is not UTF-8 text. Save it as CSV UTF-8 (Arabic names need it) and "
            "send it again."
        ),
        code="file_not_utf8",
    )


def stored_path(stored_name: str) -> Path:
    return file_dir() / stored_name


def archive_member_name(archive_name: str, member: str) -> str:
    """How a file left in its archive is named: `<archive>/<member>` (a member's name has no
    folder in it)."""
    return f"{archive_name}/{member}"


@functools.lru_cache(maxsize=4)
def _opened_archive(stored_name: str) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    """An archive opened once (its directory of up to 250,000 members read once) for the many
    files read from it, with the first entry of each name: the one taken as a file (a later
    one of the same name is refused, and `ZipFile.open(name)` would read the last).
    Kept archives never change, their name being their hash."""
    opened = zipfile.ZipFile(file_dir() / stored_name)
    first: dict[str, zipfile.ZipInfo] = {}
    for info in opened.infolist():
        first.setdefault(info.filename, info)
    return opened, first


def open_text(stored_name: str):
    """The kept file as text (a BOM, which Excel writes, is skipped), on disk or in its
    archive."""
    if "/" in stored_name:
        archive, member = stored_name.split("/", 1)
        opened, first = _opened_archive(archive)
        return io.TextIOWrapper(opened.open(first[member]), encoding="utf-8-sig", newline="")
    return open(file_dir() / stored_name, encoding="utf-8-sig", newline="")
