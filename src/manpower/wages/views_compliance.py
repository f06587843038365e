"""Portal pages of the monthly compliance: an establishment's months, errors and what to fix;
the wage protection officers' non-compliant establishments; a worker's own salary history.
Thin: each reads through the selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from manpower.core import selectors as reference
from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.registry import selectors as registry
from manpower.registry.models import Establishment

from . import selectors, services
from .forms import ExemptionForm

PER_PAGE = 25
ERRORS_SHOWN = 100


def _month(value: str | None) -> tuple[int, int] | None:
    """`YYYY-MM` from the query string; None when absent or malformed."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
    except ValueError:
        return None
    return (year, month) if 2000 <= year <= 2999 and 1 <= month <= 12 else None


@login_required
@require_GET
def establishment_compliance(request, cr: str):
    establishment = registry.establishment_for_user(user=request.user, cr_number=cr)
    months = selectors.months_of_establishment(establishment=establishment)
    page = Paginator(months, PER_PAGE).get_page(request.GET.get("page"))
    chosen = _month(request.GET.get("month"))
    shown = (
        months.filter(salary_year=chosen[0], salary_month=chosen[1]).first()
        if chosen
        else months.first()
    )
    return render(
        request,
        "wages/compliance.html",
        {
            "establishment": establishment,
            "page": page,
            "months": page.object_list,
            "shown": shown,
            "summary": selectors.month_error_summary(compliance=shown) if shown else [],
            "errors": selectors.month_errors(compliance=shown)[:ERRORS_SHOWN] if shown else [],
            "errors_shown": ERRORS_SHOWN,
            "sanctions": selectors.sanctions_of_establishment(establishment=establishment)[:20],
        },
    )


@login_required
@require_GET
def officers_compliance(request):
    selectors.require_wps_officer(request.user)
    chosen = _month(request.GET.get("month")) or selectors.latest_judged_month()
    filters = {key: request.GET.get(key, "")[:20] for key in ("size", "governorate", "sector")}
    context = {"chosen": chosen, "filters": filters, "sizes": Establishment.Size.choices}
    if chosen:
        year, month = chosen
        rows = selectors.non_compliant_for_officer(
            user=request.user, year=year, month=month, **filters
        )
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            page=page,
            rows=page.object_list,
            by_size=selectors.non_compliant_counts(
                user=request.user, year=year, month=month, by="size"
            ),
            by_governorate=selectors.non_compliant_counts(
                user=request.user, year=year, month=month, by="governorate"
            ),
            by_sector=selectors.non_compliant_counts(
                user=request.user, year=year, month=month, by="sector"
            ),
            governorates=reference.governorates(),
        )
    return render(request, "wages/officers_compliance.html", context)


@login_required
@require_GET
def my_salary(request):
    lines = selectors.salary_history(user=request.user)
    page = Paginator(lines, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "wages/my_salary.html", {"page": page, "lines": page.object_list})


@login_required
@require_http_methods(["GET", "POST"])
def exemptions(request):
    """Wage protection officers record an exemption (the service checks the rules)."""
    selectors.require_wps_officer(request.user)
    form = ExemptionForm(request.POST or None)
    recorded = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            employment = selectors.employment_to_exempt(
                user=request.user, cr_number=data["cr_number"], civil_number=data["civil_number"]
            )
            recorded = services.exemption_record(
                actor=Actor.from_request(request),
                employment=employment,
                reason=data["reason"],
                note=data["note"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                now=timezone.now(),
            )
        except DomainError as refused:
            form.add_error(None, refused.text())
        else:
            form = ExemptionForm()
    listed = selectors.exemptions_recorded(user=request.user)[:PER_PAGE]
    return render(
        request,
        "wages/exemptions.html",
        {"form": form, "exemptions": listed, "recorded": recorded},
        status=400 if form.errors else 200,
    )
