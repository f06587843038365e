"""Files of labour care on disk, outside the database rows (complaints' evidence, the salary
proofs of work-abandonment reports): written as they arrive, refused on the way when too big,
and kept only when their first bytes say an accepted type (the name a browser sends proves
nothing: a renamed program is refused)."""

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


def keep(
    chunks: Iterable[bytes],
    *,
    folder: Path,
    limit: int,
    accepted: frozenset[str],
    too_large: DomainError,
    refused: DomainError,
) -> Stored:
    """Keep `chunks` in `folder` under their SHA-256; nothing is kept (`too_large` or `refused`
    is raised) when they pass `limit` bytes or their content is not of an `accepted` type."""
    partial = folder / f".incoming-{uuid.uuid4().hex}"
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with open(partial, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise too_large
                if len(head) < 16:
                    head += chunk[:16]
                digest.update(chunk)
                out.write(chunk)
        kind = content_type_of(head)
        if kind not in accepted:
            raise refused
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, folder / digest.hexdigest())
    return Stored(sha256=digest.hexdigest(), size=size, content_type=kind)


def store(chunks: Iterable[bytes]) -> Stored:
    """A complaint's evidence file: a PDF, JPEG or PNG of at most the evidence size limit."""
    limit = conf.COMPLAINT_EVIDENCE_MAX_BYTES.value
    return keep(
        chunks,
        folder=evidence_dir(),
        limit=limit,
        accepted=frozenset(kind for _magic, kind in SIGNATURES),
        too_large=EvidenceTooLarge(
            _("An evidence file may be at most %(limit)s MB."),
            limit=f"{limit / (1024 * 1024):g}",
        ),
        refused=EvidenceTypeRefused(
            _("Only PDF, JPEG and PNG files are accepted as evidence; this file is not one.")
        ),
    )


def open_evidence(sha256: str):
    return open(evidence_dir() / sha256, "rb")
