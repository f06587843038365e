"""Portal pages of the job market: the vacancy search and a vacancy (anyone; applying needs a
register entry), the job seeker's profile and applications, the employer's vacancies with their
candidates, matches and pipeline, and the officers' review queue, register search and monthly
counts. Thin: each reads through a selector or calls one service; a refused rule comes back as
a message on the page. A Sanad operator authorised for the establishment uses the employer's
pages; the channel is theirs (`Actor.from_request`)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from manpower.core.actor import Actor
from manpower.core.errors import DomainError
from manpower.core.forms import render_form
from manpower.core.middleware import refusal
from manpower.core.money import rials_to_baisa

from . import conf, selectors, services
from .forms import (
    CvForm,
    InterviewForm,
    OfferForm,
    ProfileForm,
    QualificationForm,
    ReviewForm,
    SearchForm,
    VacancyForm,
)


def _seeker_actor(request) -> Actor:
    return Actor.from_request(request, on_behalf_of=("person", request.user.civil_number))


def _employer_actor(request, cr: str) -> Actor:
    return Actor.from_request(request, on_behalf_of=("establishment", cr))


def _search_args(form: SearchForm) -> dict:
    data = form.cleaned_data
    return {
        "text": data["q"] or "",
        "occupation_code": data["occupation"].code if data["occupation"] else "",
        "governorate_code": data["governorate"].code if data["governorate"] else "",
        "qualification_code": data["qualification"].code if data["qualification"] else "",
        "after": data["after"],
    }


@require_GET
def index(request):
    """The vacancy search, open to everyone."""
    form = SearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        wage = form.cleaned_data["wage"]
        try:
            page = selectors.vacancies_search(
                **_search_args(form), wage_baisa=rials_to_baisa(wage) if wage else None
            )
        except DomainError as error:
            form.add_error(None, error.text())
    elif not form.is_bound:
        page = selectors.vacancies_search()
    query = request.GET.copy()
    query.pop("after", None)
    return render_form(
        request,
        "jobs/index.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "seeker": selectors.seeker_of_user(user=request.user),
            "establishments": selectors.establishments_of_user(user=request.user)[:50],
        },
        form,
    )


@require_GET
def vacancy(request, number: str):
    return render(
        request,
        "jobs/vacancy.html",
        {
            "vacancy": selectors.published_vacancy(number=number),
            "seeker": selectors.seeker_of_user(user=request.user),
        },
    )


@login_required
@require_POST
def apply(request, number: str):
    found = selectors.published_vacancy(number=number)
    seeker = selectors.my_seeker(user=request.user)
    try:
        candidacy = services.candidacy_apply(
            actor=_seeker_actor(request), now=timezone.now(), seeker=seeker, vacancy=found
        )
    except DomainError as error:
        messages.error(request, error.text())
        return redirect("jobs:vacancy", number=number)
    messages.success(
        request,
        _("Your application %(number)s is sent to the employer.") % {"number": candidacy.number},
    )
    return redirect("jobs:my-applications")


# --- The job seeker's pages ----------------------------------------------------------------------


@login_required
@require_GET
def profile(request):
    seeker = selectors.seeker_of_user(user=request.user)
    if seeker is not None:
        seeker = services.job_seeker_status_refresh(
            actor=_seeker_actor(request), now=timezone.now(), seeker=seeker
        )
    return _profile_page(request, seeker)


def _profile_page(request, seeker, *, profile_form=None, qualification_form=None, cv_form=None):
    context = {"seeker": seeker}
    if seeker is not None:
        context |= {
            "profile_form": profile_form
            or ProfileForm(
                initial={
                    "experience_years": seeker.experience_years,
                    "experience": seeker.experience,
                    "governorates": list(seeker.preferred_governorates.all()),
                    "occupations": " ".join(
                        seeker.preferred_occupations.values_list("code", flat=True)
                    ),
                }
            ),
            "qualification_form": qualification_form or QualificationForm(),
            "cv_form": cv_form or CvForm(),
            "qualifications": seeker.qualifications.select_related("level"),
            "stale": services.register_status_is_stale(seeker, now=timezone.now()),
            "suggested": selectors.suggested_vacancies(seeker=seeker),
            "cv_max_kb": conf.CV_MAX_BYTES.value // 1000,
        }
    bad = any(f is not None and f.errors for f in (profile_form, qualification_form, cv_form))
    return render(request, "jobs/profile.html", context, status=400 if bad else 200)


@login_required
@require_POST
def register(request):
    """Enter the register, or (for one already in it) save the profile."""
    seeker = selectors.seeker_of_user(user=request.user)
    actor, now = _seeker_actor(request), timezone.now()
    if seeker is None:
        try:
            services.job_seeker_register(
                actor=actor, now=now, civil_number=request.user.civil_number or ""
            )
        except DomainError as error:
            messages.error(request, error.text())
        return redirect("jobs:profile")
    form = ProfileForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.job_seeker_profile_update(
                actor=actor,
                now=now,
                seeker=seeker,
                experience_years=data["experience_years"],
                experience=data["experience"],
                governorate_codes=[g.code for g in data["governorates"]],
                occupation_codes=data["occupations"],
            )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            return redirect("jobs:profile")
    return _profile_page(request, seeker, profile_form=form)


@login_required
@require_POST
def qualification_add(request):
    seeker = selectors.my_seeker(user=request.user)
    form = QualificationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.qualification_add(
                actor=_seeker_actor(request),
                now=timezone.now(),
                seeker=seeker,
                level_code=data["level"].code,
                specialisation_en=data["specialisation_en"],
                specialisation_ar=data["specialisation_ar"],
                year=data["year"],
            )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            return redirect("jobs:profile")
    return _profile_page(request, seeker, qualification_form=form)


@login_required
@require_POST
def cv_upload(request):
    seeker = selectors.my_seeker(user=request.user)
    form = CvForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["cv"]
        most = conf.CV_MAX_BYTES.value
        try:
            services.cv_upload(
                actor=_seeker_actor(request),
                now=timezone.now(),
                seeker=seeker,
                content=upload.read(most + 1),
                content_type=upload.content_type or "",
            )
        except DomainError as error:
            form.add_error("cv", error.text())
        else:
            return redirect("jobs:profile")
    return _profile_page(request, seeker, cv_form=form)


@login_required
@require_GET
def my_applications(request):
    seeker = selectors.my_seeker(user=request.user)
    return render(
        request,
        "jobs/my_applications.html",
        {"seeker": seeker, "candidacies": selectors.candidacies_of_seeker(seeker=seeker)[:100]},
    )


SEEKER_ACTIONS = {
    "withdraw": lambda **kw: services.candidacy_withdraw(**kw),
    "accept-interview": lambda **kw: services.interview_answer(**kw, accept=True),
    "decline-interview": lambda **kw: services.interview_answer(**kw, accept=False),
}


@login_required
@require_POST
def my_application_act(request, number: str, action: str):
    if action not in SEEKER_ACTIONS:
        raise Http404(action)
    seeker = selectors.my_seeker(user=request.user)
    candidacy = selectors.candidacy_of_seeker(seeker=seeker, number=number)
    try:
        SEEKER_ACTIONS[action](
            actor=_seeker_actor(request), now=timezone.now(), candidacy=candidacy
        )
    except DomainError as error:
        messages.error(request, error.text())
    return redirect("jobs:my-applications")


# --- The employer's pages ------------------------------------------------------------------------


@login_required
@require_GET
def employer_vacancies(request, cr: str):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr)
    return render(
        request,
        "jobs/employer_vacancies.html",
        {
            "establishment": establishment,
            "vacancies": selectors.vacancies_of_establishment(establishment=establishment)[:100],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_vacancy(request, cr: str):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr)
    form = VacancyForm(
        request.POST or None,
        initial={"governorate": establishment.governorate_id, "wilayat": establishment.wilayat_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            posted = services.vacancy_post(
                actor=_employer_actor(request, cr),
                now=timezone.now(),
                establishment=establishment,
                title_ar=data["title_ar"],
                title_en=data["title_en"],
                occupation_code=data["occupation"],
                qualification_code=data["qualification"].code,
                specialisation=data["specialisation"],
                experience_years=data["experience_years"],
                governorate_code=data["governorate"].code,
                wilayat_code=data["wilayat"].code,
                wage_min_baisa=rials_to_baisa(data["wage_min"]),
                wage_max_baisa=rials_to_baisa(data["wage_max"]),
                posts=data["posts"],
                closing_date=data["closing_date"],
                description=data["description"],
            )
        except DomainError as error:
            form.add_error(None, error.text())
        else:
            return redirect("jobs:employer-vacancy", cr=cr, number=posted.number)
    return render_form(
        request,
        "jobs/post.html",
        {"establishment": establishment, "form": form},
        form,
    )


@login_required
@require_GET
def employer_vacancy(request, cr: str, number: str):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr)
    found = selectors.vacancy_of_establishment(establishment=establishment, number=number)
    return render(
        request,
        "jobs/employer_vacancy.html",
        {
            "establishment": establishment,
            "vacancy": found,
            "candidacies": selectors.candidacies_of_vacancy(vacancy=found)[:100],
            "matches": services.vacancy_matches_read(
                actor=_employer_actor(request, cr),
                now=timezone.now(),
                vacancy=found,
                limit=conf.MATCH_LIMIT.value,
            ),
            "match_limit": conf.MATCH_LIMIT.value,
            "interview_form": InterviewForm(),
            "offer_form": OfferForm(),
        },
    )


@login_required
@require_POST
def withdraw(request, cr: str, number: str):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr)
    found = selectors.vacancy_of_establishment(establishment=establishment, number=number)
    try:
        services.vacancy_withdraw(
            actor=_employer_actor(request, cr), now=timezone.now(), vacancy=found
        )
    except DomainError as error:
        messages.error(request, error.text())
    return redirect("jobs:employer-vacancy", cr=cr, number=number)


def _interview(request, **kw):
    form = InterviewForm(request.POST)
    if not form.is_valid():
        raise services.InvalidInterview(_form_problem())
    return services.interview_invite(
        **kw, interview_at=form.cleaned_data["interview_at"], place=form.cleaned_data["place"]
    )


def _offer(request, **kw):
    form = OfferForm(request.POST)
    if not form.is_valid():
        raise services.InvalidOffer(_form_problem())
    return services.candidacy_offer(
        **kw,
        wage_baisa=rials_to_baisa(form.cleaned_data["wage"]),
        start_date=form.cleaned_data["start_date"],
    )


def _form_problem():
    return gettext_lazy("Fill in every field of the form.")


EMPLOYER_ACTIONS = {
    "shortlist": lambda request, **kw: services.candidacy_shortlist(**kw),
    "reject": lambda request, **kw: services.candidacy_reject(**kw),
    "interview": _interview,
    "offer": _offer,
    "hire": lambda request, **kw: services.candidacy_hire(**kw),
}


@login_required
@require_POST
def candidate_act(request, cr: str, number: str, application: str, action: str):
    if action not in EMPLOYER_ACTIONS:
        raise Http404(action)
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr)
    found = selectors.vacancy_of_establishment(establishment=establishment, number=number)
    candidacy = selectors.candidacy_of_vacancy(vacancy=found, number=application)
    try:
        EMPLOYER_ACTIONS[action](
            request, actor=_employer_actor(request, cr), now=timezone.now(), candidacy=candidacy
        )
    except DomainError as error:
        messages.error(request, error.text())
    return redirect("jobs:employer-vacancy", cr=cr, number=number)


# --- The officers' pages -------------------------------------------------------------------------


@login_required
@require_GET
def officer(request):
    """The review queue, the register search and the counts per month."""
    actor = Actor.from_request(request)
    form = SearchForm(request.GET or None)
    page = None
    try:
        queue = list(selectors.vacancies_in_review(actor=actor)[:100])
        if form.is_bound and form.is_valid():
            page = services.job_seekers_search(
                actor=actor, now=timezone.now(), **_search_args(form)
            )
    except DomainError as error:
        return refusal(request, error)
    since = timezone.localdate() - dt.timedelta(days=365)
    return render_form(
        request,
        "jobs/officer.html",
        {
            "queue": queue,
            "form": form,
            "page": page,
            "review_form": ReviewForm(),
            "counts": selectors.counts_per_month(since=since.replace(day=1)),
        },
        form,
    )


@login_required
@require_POST
def review(request, number: str):
    actor = Actor.from_request(request)
    found = selectors.vacancy_in_review(actor=actor, number=number)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.vacancy_review(
                actor=actor,
                now=timezone.now(),
                vacancy=found,
                publish=form.cleaned_data["decision"] == "publish",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, error.text())
    else:
        messages.error(request, _form_problem())
    return redirect("jobs:officer")
