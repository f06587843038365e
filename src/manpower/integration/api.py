"""The inbound partner API at /api/partners/v1/: bearer keys, scopes, problem-details errors."""

from __future__ import annotations

import datetime as dt
import logging

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Schema, Status, UploadedFile
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from manpower.core.actor import Actor
from manpower.core.problems import Problem, ProblemAPI, problem_response

from . import files, selectors, services
from .models import FileExchange, Scope

logger = logging.getLogger(__name__)


class PartnerKey(HttpBearer):
    """`Authorization: Bearer <key>`: a live key within its rate limit and, when `scopes` are
    given, with one of them. Checked before the body is read, so a key without the scope gets
    the 403 whatever it sent."""

    def __init__(self, scopes: set[str] | None = None):
        super().__init__()
        self.scopes = scopes

    def authenticate(self, request, token):
        now = timezone.now()
        credential = services.credential_for_key(key=token, now=now)
        request.partner_credential = credential
        services.rate_limit_check(credential=credential, now=now)
        if self.scopes:
            services.require_scope(credential, self.scopes)
        return credential


api = ProblemAPI(
    title="Manpower partner API",
    version="1",
    description="Read access for partner agencies. See docs/integration.md.",
    urls_namespace="partners",
    docs_url="/docs",
    auth=PartnerKey(),
    extra_errors=(429,),
)


@api.exception_handler(AuthenticationError)
def on_missing_key(request, exc):
    return problem_response(
        request, services.InvalidCredential(_("Send the API key as: Authorization: Bearer <key>."))
    )


@api.exception_handler(services.RateLimited)
def on_rate_limited(request, exc: services.RateLimited):
    response = problem_response(request, exc)
    response["Retry-After"] = str(60 - timezone.now().second)
    return response


class Workforce(Schema):
    active: int
    nationals: int
    non_nationals: int


class EstablishmentOut(Schema):
    cr_number: str
    name_ar: str
    name_en: str
    status: str
    legal_form: str
    size: str
    activity_code: str
    governorate_code: str
    wilayat_code: str
    chamber_number: str
    chamber_expiry_date: dt.date | None
    registered_at: dt.datetime
    workforce: Workforce


class EmploymentItem(Schema):
    establishment_cr: str | None = None
    establishment_name_ar: str | None = None
    establishment_name_en: str | None = None
    occupation_code: str | None = None
    start_date: dt.date | None = None
    basic_wage_baisa: int | None = None


class EmploymentStatusOut(Schema):
    """Only the fields that the key's scopes allow are present (see the partner guide)."""

    civil_number: str | None = None
    name_ar: str | None = None
    name_en: str | None = None
    nationality: str | None = None
    is_national: bool | None = None
    employed: bool | None = None
    employments: list[EmploymentItem] | None = None


EMPLOYMENT_SCOPES = {Scope.REGISTRY, Scope.SOCIAL_INSURANCE}
ERRORS = {401: Problem, 403: Problem, 404: Problem, 429: Problem}
# The police's operations (licensing's and labour cards'): a key with the police scope, and what
# they may answer besides success.
POLICE_KEY = PartnerKey({Scope.POLICE})
# Social insurance's operations (contracts').
SOCIAL_INSURANCE_KEY = PartnerKey({Scope.SOCIAL_INSURANCE})
# Licensing's operations on establishments (the Omanisation certificate): the registry scope.
REGISTRY_KEY = PartnerKey({Scope.REGISTRY})
POLICE_ERRORS = {
    400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem,
    429: Problem,
}  # fmt: skip


@api.get(
    "/establishments/{cr_number}",
    response={200: EstablishmentOut, **ERRORS},
    summary="An establishment by commercial registration number (scope: registry)",
    auth=PartnerKey({Scope.REGISTRY}),
)
def establishment(request, cr_number: str):
    return selectors.establishment_by_cr(cr_number=cr_number)


@api.get(
    "/persons/{civil_number}/employment",
    response={200: EmploymentStatusOut, **ERRORS},
    exclude_unset=True,
    summary="A person's employment status (scope: registry or social-insurance)",
    auth=PartnerKey(EMPLOYMENT_SCOPES),
)
def person_employment(request, civil_number: str):
    scopes = services.require_scope(request.auth, EMPLOYMENT_SCOPES)
    return selectors.person_employment(civil_number=civil_number, scopes=scopes)


def _file_kinds(credential) -> set[str]:
    """The kinds of file this key may see: those whose scopes it has, and events."""
    return {
        kind
        for kind, needed in files.KIND_SCOPES.items()
        if not needed or needed & set(credential.scopes)
    }


class FileOut(Schema):
    id: int
    direction: str
    kind: str
    name: str
    sha256: str
    row_count: int
    accepted_count: int
    rejected_count: int
    since_at: dt.datetime | None
    created_at: dt.datetime


class RejectedField(Schema):
    line: int
    field: str
    code: str
    message_ar: str
    message_en: str


class ImportReport(Schema):
    """What became of an imported file; line 1 is the header, so data starts on line 2. A file
    checked in the background (a salary file archive) has the URL of its progress instead."""

    file: FileOut
    accepted: int
    rejected: list[RejectedField]
    status_url: str | None = None


def _report(imported) -> dict:
    return {
        "file": imported,
        "accepted": imported.accepted_count,
        "rejected": imported.report.get("rejected", []),
        "status_url": imported.report.get("status_path"),
    }


UPLOAD_KINDS = [*files.IMPORT_COLUMNS, *files.STREAMED_IMPORTS]


@api.get(
    "/files",
    response={200: list[FileOut], **ERRORS},
    summary="Your agency's files: exports to download and imports you sent (newest first)",
)
def file_list(request, direction: str | None = None, kind: str | None = None):
    found = selectors.files_of_agency(agency=request.auth.agency, kinds=_file_kinds(request.auth))
    if direction:
        found = found.filter(direction=direction)
    if kind:
        found = found.filter(kind=kind)
    return list(found[:200])


@api.get(
    "/files/{file_id}",
    response={200: None, **ERRORS},
    summary="Download one of your agency's files (CSV, or the zip of a wps-archive it sent)",
    openapi_extra={"responses": {200: {"content": {"text/csv": {}, "application/zip": {}}}}},
)
def file_download(request, file_id: int):
    exchanged = selectors.file_of_agency(agency=request.auth.agency, file_id=file_id)
    services.require_scope(request.auth, files.KIND_SCOPES[exchanged.kind] or request.auth.scopes)
    body, content_type = selectors.file_body(exchanged)
    if isinstance(body, bytes):
        response = HttpResponse(body, content_type=content_type)
    else:  # a large kept file, streamed from disk
        response = FileResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exchanged.name}"'
    response["X-Content-SHA256"] = exchanged.sha256
    return response


@api.get(
    "/files/{file_id}/report",
    response={200: ImportReport, **ERRORS},
    summary="The line-by-line report of a file you sent",
)
def file_report(request, file_id: int):
    exchanged = selectors.file_of_agency(agency=request.auth.agency, file_id=file_id)
    services.require_scope(request.auth, files.KIND_SCOPES[exchanged.kind] or request.auth.scopes)
    return _report(exchanged)


@api.post(
    "/files",
    response={200: ImportReport, 201: ImportReport, 202: ImportReport, **ERRORS, 422: Problem},
    summary="Send a file: a CSV of kind chamber-renewals (scope: chamber), answered with its "
    "report; or a zip of kind wps-archive (scope: wps), answered 202 with its status URL",
    auth=PartnerKey(set().union(*(files.KIND_SCOPES[kind] for kind in UPLOAD_KINDS))),
)
def file_upload(
    request, file: File[UploadedFile], kind: Form[str] = FileExchange.Kind.CHAMBER_RENEWALS
):
    if kind not in UPLOAD_KINDS:
        raise files.FileInvalid(
            _("Files of kind %(kind)s cannot be sent; send one of: %(kinds)s."),
            kind=kind,
            kinds=", ".join(UPLOAD_KINDS),
        )
    services.require_scope(request.auth, files.KIND_SCOPES[kind])
    if kind in files.STREAMED_IMPORTS:  # Django spooled the upload to disk; read in chunks
        imported, new = services.partner_import_streamed(
            actor=Actor.for_partner(request),
            agency=request.auth.agency,
            kind=kind,
            name=file.name or "upload.zip",
            chunks=file.chunks(),
            now=timezone.now(),
        )
        return Status(202 if new else 200, _report(imported))
    imported, new = services.partner_import(
        actor=Actor.for_partner(request),
        agency=request.auth.agency,
        kind=kind,
        name=file.name or "upload.csv",
        content=file.read(),
        now=timezone.now(),
    )
    return Status(201 if new else 200, _report(imported))
