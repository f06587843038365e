"""Salary files from banks and the central bank on the partner API (scope `wps`).

`POST /wps/files` takes the CSV itself as the body (`Content-Type: text/csv`), its SIF name in
the `X-File-Name` header or the `name` query parameter; the body is read in pieces straight to
disk. The answer is immediate, 202 with the file's status URL; the check runs in the background.
A replay (same name parts or same content) answers 200 with the first file.

`POST /wps/archives` takes a zip of many SIFs the same way (`Content-Type: application/zip`,
the name optional); its status counts the files and lines checked, and lists the members that
could not be taken as files; `/files` lists the files taken out, each with its own status.
"""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from manpower.core.actor import Actor
from manpower.core.problems import Problem
from manpower.integration.api import PartnerKey

from . import selectors, services, tasks
from .schemas import SalaryArchiveOut, SalaryFileOut, archive_answer, file_answer
from .sif import FileNameInvalid

router = Router(tags=["wps"], auth=PartnerKey({"wps"}))  # integration.models.Scope.WPS
ERRORS = {
    400: Problem, 401: Problem, 403: Problem, 404: Problem, 413: Problem, 422: Problem,
    429: Problem,
}  # fmt: skip
CHUNK_BYTES = 64 * 1024


def _answer(request, salary_file) -> dict:
    status_url = reverse("partners:wps-file", kwargs={"file_id": salary_file.pk})
    return file_answer(
        salary_file,
        status_url=request.build_absolute_uri(status_url),
        report_url=request.build_absolute_uri(f"{status_url}/report"),
    )


def _body_chunks(request):
    while chunk := request.read(CHUNK_BYTES):
        yield chunk


@router.post(
    "/files",
    response={200: SalaryFileOut, 202: SalaryFileOut, **ERRORS},
    summary="Send one salary information file (SIF) as the CSV body (scope: wps)",
    operation_id="wps_file_submit",
    url_name="wps-files",
    openapi_extra={
        "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}
    },
)
def wps_file_submit(request, name: str = ""):
    file_name = request.headers.get("X-File-Name", "") or name
    if not file_name:
        raise FileNameInvalid(
            _("Give the file's SIF name in the X-File-Name header or the name parameter.")
        )
    received, new = services.salary_file_receive(
        actor=Actor.for_partner(request),
        file_name=file_name,
        chunks=_body_chunks(request),
        now=timezone.now(),
    )
    if new:
        tasks.salary_file_check.enqueue(received.pk)
        received.refresh_from_db()
    return Status(202 if new else 200, _answer(request, received))


@router.get(
    "/files/{int:file_id}",
    response={200: SalaryFileOut, **ERRORS},
    summary="A salary file you sent: its status and progress (scope: wps)",
    operation_id="wps_file_status",
    url_name="wps-file",
)
def wps_file_status(request, file_id: int):
    found = selectors.file_for_partner(label=Actor.for_partner(request).label, file_id=file_id)
    return _answer(request, found)


@router.get(
    "/files/{int:file_id}/report",
    response={200: None, **ERRORS},
    summary="The per-line error report of a salary file you sent, CSV (scope: wps)",
    operation_id="wps_file_report",
    url_name="wps-file-report",
    openapi_extra={"responses": {200: {"content": {"text/csv": {}}}}},
)
def wps_file_report(request, file_id: int):
    found = selectors.file_for_partner(label=Actor.for_partner(request).label, file_id=file_id)
    return report_response(found)


def _archive_answer(request, archive) -> dict:
    status_url = reverse("partners:wps-archive", kwargs={"archive_id": archive.pk})
    return archive_answer(archive, status_url=request.build_absolute_uri(status_url))


@router.post(
    "/archives",
    response={200: SalaryArchiveOut, 202: SalaryArchiveOut, **ERRORS},
    summary="Send a zip archive of many salary files, e.g. a month's national batch (scope: wps)",
    operation_id="wps_archive_submit",
    url_name="wps-archives",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
def wps_archive_submit(request, name: str = ""):
    received, new = services.salary_archive_receive(
        actor=Actor.for_partner(request),
        file_name=request.headers.get("X-File-Name", "") or name,
        chunks=_body_chunks(request),
        now=timezone.now(),
    )
    if new:
        tasks.salary_archive_check.enqueue(received.pk)
        received.refresh_from_db()
    return Status(202 if new else 200, _archive_answer(request, received))


@router.get(
    "/archives/{int:archive_id}",
    response={200: SalaryArchiveOut, **ERRORS},
    summary="An archive you sent: its progress (files and lines checked) and refused members",
    operation_id="wps_archive_status",
    url_name="wps-archive",
)
def wps_archive_status(request, archive_id: int):
    found = selectors.archive_for_partner(
        label=Actor.for_partner(request).label, archive_id=archive_id
    )
    return _archive_answer(request, found)


class Page(Schema):
    offset: int = Field(0, ge=0, le=10_000_000)
    limit: int = Field(100, ge=1, le=1000)


@router.get(
    "/archives/{int:archive_id}/files",
    response={200: list[SalaryFileOut], **ERRORS},
    summary="The salary files taken out of an archive you sent, each with its status (scope: wps)",
    operation_id="wps_archive_files",
    url_name="wps-archive-files",
)
def wps_archive_files(request, archive_id: int, page: Query[Page]):
    found = selectors.archive_for_partner(
        label=Actor.for_partner(request).label, archive_id=archive_id
    )
    files = selectors.archive_files(archive=found)[page.offset : page.offset + page.limit]
    return [_answer(request, salary_file) for salary_file in files]


def report_response(salary_file) -> StreamingHttpResponse:
    """The error report as a CSV download (for the portal too)."""
    response = StreamingHttpResponse(
        selectors.error_report_csv(salary_file=salary_file), content_type="text/csv; charset=utf-8"
    )
    stem = salary_file.file_name.rsplit(".", 1)[0]
    response["Content-Disposition"] = f'attachment; filename="{stem}_errors.csv"'
    return response
