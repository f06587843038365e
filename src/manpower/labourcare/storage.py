"""Evidence files of complaints on disk, outside the database rows: written as they arrive,
refused on the way when too big, and kept only when their first bytes say PDF, JPEG or PNG
(the name a browser sends proves nothing: a renamed program is refused)."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from manpower.core.errors import DomainError

from . import conf

# Magic numbers → the type each stands for.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


class EvidenceTooLarge(DomainError):
    code = "evidence_too_large"
    status = 413


class EvidenceTypeRefused(DomainError):
    code = "evidence_type_refused"
    status = 415


def evidence_dir() -> Path:
    folder = Path(conf.COMPLAINT_EVIDENCE_DIR.value or Path(settings.VAR_DIR) / "complaints")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    content_type: str


def content_type_of(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def store(chunks: Iterable[bytes]) -> Stored:
    """Keep `chunks` under their SHA-256; nothing is kept when they pass the size limit or are
    not a PDF, JPEG or PNG by their content."""
    limit = conf.COMPLAINT_EVIDENCE_MAX_BYTES.value
    folder = evidence_dir()
    partial = folder / f".incoming-{uuid.uuid4().hex}"
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with open(partial, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise EvidenceTooLarge(
                        _("An evidence file may be at most %(limit)s MB."),
                        limit=f"{limit / (1024 * 1024):g}",
                    )
                if len(head) < 16:
                    head += chunk[:16]
                digest.update(chunk)
                out.write(chunk)
        kind = content_type_of(head)
        if kind is None:
            raise EvidenceTypeRefused(
                _("Only PDF, JPEG and PNG files are accepted as evidence; this file is not one.")
            )
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, folder / digest.hexdigest())
    return Stored(sha256=digest.hexdigest(), size=size, content_type=kind)


def open_evidence(sha256: str):
    return open(evidence_dir() / sha256, "rb")
