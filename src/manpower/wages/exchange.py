"""The central bank's salary file archives sent through the integration file exchange (kind
`wps-archive`): integration hands the upload here as it streams (`STREAMED_IMPORTS`), and
reads the kept zip back here for its download (`STREAMED_CONTENT`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import BinaryIO

from django.urls import reverse

from manpower.core.actor import Actor
from manpower.integration.files import StreamedImport

from . import selectors, services, storage, tasks


def archive_import(
    *, actor: Actor, name: str, chunks: Iterable[bytes], now: dt.datetime
) -> StreamedImport:
    """Receive the archive as the partner API does, and enqueue its check when it is new."""
    archive, new = services.salary_archive_receive(
        actor=actor, file_name=name, chunks=chunks, now=now
    )
    if new:
        tasks.salary_archive_check.enqueue(archive.pk)
    return StreamedImport(
        sha256=archive.sha256,
        size=archive.size_bytes,
        new=new,
        status_path=reverse("partners:wps-archive", kwargs={"archive_id": archive.pk}),
    )


def archive_content(*, sha256: str) -> BinaryIO:
    """The kept zip of these bytes, open to stream: the one copy the ministry keeps, whoever
    of the agencies that sent it downloads it."""
    return open(storage.stored_path(selectors.archive_by_sha256(sha256).stored_name), "rb")
