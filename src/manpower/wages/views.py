"""Portal pages of an establishment's salary files: the list with the upload form, a file's
status and errors, and the error report to download. Thin: each reads through a selector or
calls one service; a refusal comes back as the error by the upload field."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.registry import selectors as registry

from . import selectors, services, tasks
from .forms import SalaryFileForm
from .partner_api import report_response

ERRORS_SHOWN = 200
FILES_SHOWN = 50


def _file_of(request, cr: str, file_id: int):
    establishment = registry.establishment_for_user(user=request.user, cr_number=cr)
    found = selectors.file_of_establishment(
        user=request.user, establishment=establishment, file_id=file_id
    )
    return establishment, found


@login_required
@require_http_methods(["GET", "POST"])
def files(request, cr: str):
    establishment = registry.establishment_for_user(user=request.user, cr_number=cr)
    form = SalaryFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            received, new = services.salary_file_receive(
                actor=Actor.from_request(request, on_behalf_of=("establishment", cr)),
                file_name=upload.name,
                chunks=upload.chunks(),
                now=timezone.now(),
                establishment=establishment,
                submitted_by_id=request.user.pk,
            )
        except DomainError as refused:
            form.add_error("file", refused.text())
        else:
            if new:
                tasks.salary_file_check.enqueue(received.pk)
            return redirect("wages:file", cr=cr, file_id=received.pk)
    listed = selectors.files_of_establishment(establishment=establishment)[:FILES_SHOWN]
    return render(
        request,
        "wages/files.html",
        {"establishment": establishment, "form": form, "files": listed},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def file_detail(request, cr: str, file_id: int):
    establishment, found = _file_of(request, cr, file_id)
    errors = selectors.file_errors(salary_file=found)[:ERRORS_SHOWN]
    return render(
        request,
        "wages/file.html",
        {
            "establishment": establishment,
            "file": found,
            "errors": errors,
            "errors_shown": ERRORS_SHOWN,
        },
    )


@login_required
@require_GET
def report(request, cr: str, file_id: int):
    _establishment, found = _file_of(request, cr, file_id)
    return report_response(found)
