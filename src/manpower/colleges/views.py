"""Portal pages of the technical colleges: the registrar's college (students, imports, the
upload form), its catalogue (the programmes, intakes and courses the registrar adds), a
student's record (grades, GPA, status and graduation), the reports per college for the
registrar and ministry staff, and a student's or graduate's own records with the consent to
the job seekers' register. Thin: each reads through a selector or calls one service; a refusal
comes back as the error on the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from manpower.accounts.models import Role
from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.core.forms import add_refusal

from . import selectors, services
from .forms import CourseForm, ImportForm, IntakeForm, ProgrammeForm, StatusForm

SHOWN = 100


@login_required
@require_GET
def home(request):
    """A registrar goes to their college; staff see every college's figures; anyone else
    (the catalogue's audience: students and graduates) sees their own student records."""
    colleges = selectors.colleges_visible_to(request.user)
    if request.user.role == Role.COLLEGE_REGISTRAR and colleges:
        return redirect("colleges:college", code=colleges[0].code)
    if not colleges:
        return mine(request)
    today = timezone.localdate()
    reports = [selectors.college_report(college=found, today=today) for found in colleges]
    return render(request, "colleges/home.html", {"reports": reports})


@login_required
@require_http_methods(["GET", "POST"])
def college(request, code: str):
    found = selectors.college_for_user(user=request.user, code=code)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch, _new = services.records_import(
                actor=Actor.from_request(request, on_behalf_of=("college", code)),
                college=found,
                kind=form.cleaned_data["kind"],
                file_name=upload.name,
                content=upload.read(),
                now=timezone.now(),
            )
        except DomainError as refused:
            form.add_error("file", refused.text())
        else:
            return redirect("colleges:import", code=code, batch_id=batch.pk)
    search = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "colleges/college.html",
        {
            "college": found,
            "form": form,
            "search": search,
            "students": selectors.students_of_college(college=found, search=search)[:SHOWN],
            "imports": selectors.imports_of_college(college=found)[:20],
            "registrar": request.user.role == Role.COLLEGE_REGISTRAR,
        },
        status=400 if form.errors else 200,
    )


# What each catalogue form adds: its form and its service.
CATALOGUE = {
    "programme": (ProgrammeForm, services.programme_add),
    "intake": (IntakeForm, services.intake_add),
    "course": (CourseForm, services.course_add),
}
CATALOGUE_FIELDS = {
    "catalogue_code_taken": "code",
    "invalid_catalogue_code": "code",
    "invalid_start_date": "start_date",
}


@login_required
@require_http_methods(["GET", "POST"])
def catalogue(request, code: str):
    """The college's programmes, intakes and courses; its registrar adds to them here."""
    found = selectors.college_for_user(user=request.user, code=code)
    forms = {kind: form_class(prefix=kind) for kind, (form_class, _add) in CATALOGUE.items()}
    status = 200
    if request.method == "POST":
        status = 400  # a form of the page not named, or its fields not valid
        adding = request.POST.get("add", "")
        if adding in CATALOGUE:
            form_class, add = CATALOGUE[adding]
            form = forms[adding] = form_class(request.POST, prefix=adding)
            if form.is_valid():
                try:
                    entry = add(
                        actor=Actor.from_request(request, on_behalf_of=("college", code)),
                        college=found,
                        now=timezone.now(),
                        **form.cleaned_data,
                    )
                except DomainError as refused:
                    add_refusal(form, refused, CATALOGUE_FIELDS)
                    status = refused.status
                else:
                    messages.success(request, _("%(entry)s was added.") % {"entry": entry.code})
                    return redirect("colleges:catalogue", code=code)
    return render(
        request,
        "colleges/catalogue.html",
        {
            "college": found,
            "catalogue": selectors.catalogue_of_college(college=found),
            "forms": forms,
            "registrar": request.user.role == Role.COLLEGE_REGISTRAR,
        },
        status=status,
    )


@login_required
@require_GET
def import_detail(request, code: str, batch_id: int):
    found = selectors.college_for_user(user=request.user, code=code)
    batch = selectors.import_of_college(college=found, batch_id=batch_id)
    return render(
        request,
        "colleges/import.html",
        {
            "college": found,
            "batch": batch,
            "errors": selectors.import_errors(batch=batch)[:SHOWN],
            "shown": SHOWN,
        },
    )


@login_required
@require_GET
def report_csv(request, code: str, batch_id: int):
    found = selectors.college_for_user(user=request.user, code=code)
    batch = selectors.import_of_college(college=found, batch_id=batch_id)
    response = StreamingHttpResponse(
        selectors.error_report_csv(batch=batch), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-errors.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def student(request, code: str, civil_number: str):
    found = selectors.college_for_user(user=request.user, code=code)
    record = selectors.student_of_college(college=found, civil_number=civil_number)
    form = StatusForm(request.POST or None) if "status" in request.POST else StatusForm()
    refusal = ""
    if request.method == "POST":
        actor, now = Actor.from_request(request, on_behalf_of=("college", code)), timezone.now()
        try:
            if "graduate" in request.POST:
                services.student_graduate(actor=actor, student=record, now=now)
                return redirect("colleges:student", code=code, civil_number=civil_number)
            if form.is_valid():
                services.student_status_change(
                    actor=actor,
                    student=record,
                    to=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                    now=now,
                )
                return redirect("colleges:student", code=code, civil_number=civil_number)
        except DomainError as refused:
            refusal = refused.text()
    return render(
        request,
        "colleges/student.html",
        {
            "college": found,
            "student": record,
            "standing": selectors.student_standing(student=record),
            "grades": selectors.student_grades(student=record),
            "form": form,
            "refusal": refusal,
            "registrar": request.user.role == Role.COLLEGE_REGISTRAR,
        },
        status=400 if refusal or form.errors else 200,
    )


@login_required
@require_GET
def report(request, code: str):
    found = selectors.college_for_user(user=request.user, code=code)
    return render(
        request,
        "colleges/report.html",
        {"report": selectors.college_report(college=found, today=timezone.localdate())},
    )


@login_required
@require_GET
def mine(request):
    records = [
        (found, selectors.student_standing(student=found))
        for found in selectors.students_of_person(user=request.user)
    ]
    return render(request, "colleges/mine.html", {"records": records})


@login_required
@require_POST
def consent(request, student_id: int):
    record = selectors.student_of_person(user=request.user, student_id=student_id)
    try:
        services.graduate_consent(
            actor=Actor.from_request(request), student=record, now=timezone.now()
        )
    except DomainError as refused:
        return render(
            request,
            "colleges/mine.html",
            {
                "records": [(record, selectors.student_standing(student=record))],
                "refusal": refused.text(),
            },
            status=refused.status,
        )
    return redirect("colleges:mine")
