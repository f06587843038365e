"""An establishment's salary files through the public API (the mobile app and the portal's
pages), read through the same selectors as the portal."""

from __future__ import annotations

from django.urls import reverse
from ninja import Router

from manpower.accounts.api_auth import api_auth
from manpower.registry import selectors as registry

from . import selectors
from .schemas import SalaryFileOut, file_answer

router = Router(auth=api_auth, tags=["wages"])


def _answer(salary_file) -> dict:
    return file_answer(
        salary_file,
        status_url=reverse("api:wages-file", kwargs={"file_id": salary_file.pk}),
        report_url=reverse(
            "wages:report",
            kwargs={"cr": salary_file.establishment.cr_number, "file_id": salary_file.pk},
        ),
    )


LIST_LIMIT = 100


@router.get("/wages/files", response=list[SalaryFileOut], url_name="wages-files")
def wages_file_list(request, cr: str):
    """The newest 100 salary files of one of the caller's establishments (`cr`)."""
    establishment = registry.establishment_for_user(user=request.user, cr_number=cr)
    files = selectors.files_of_establishment(establishment=establishment)
    return [_answer(found) for found in files.select_related("establishment")[:LIST_LIMIT]]


@router.get("/wages/files/{int:file_id}", response=SalaryFileOut, url_name="wages-file")
def wages_file(request, file_id: int):
    """One salary file: its status, progress and number of errors; another's is a 404."""
    return _answer(selectors.file_for_user(user=request.user, file_id=file_id))
