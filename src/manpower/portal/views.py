"""The portal's pages. Thin: each reads through selectors and renders; nothing here writes."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from manpower.accounts.models import Role
from manpower.core.errors import NotFound
from manpower.labourcards.selectors import HOUSEHOLD
from manpower.licensing import selectors as licensing
from manpower.registry import selectors as registry

from . import overview, selectors
from .models import Audience, Channel
from .overview import CHAMBER_WARNING_DAYS, RequestKind, RequestState
from .pagination import keyset_page

QUEUE_PAGE_SIZE = 10
HOME_FEATURED_SERVICES = 6


def not_found_page(view):
    """A record missing or outside the user's scope is one 404 page, saying nothing more."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            return render(request, "portal/not_found.html", {"error": error}, status=404)

    return wrapper


def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "headline": selectors.headline(),
            "featured": selectors.featured_services(HOME_FEATURED_SERVICES),
        },
    )


def _alerts(request) -> list[overview.Alert]:
    return overview.alerts_for(user=request.user, today=timezone.localdate(), now=timezone.now())


@login_required
def dashboard(request):
    role = request.user.role
    if role == Role.ESTABLISHMENT_REP:
        return _representative_dashboard(request)
    if request.user.is_ministry_staff:
        return _staff_dashboard(request)
    if role == Role.SANAD_OPERATOR:
        return render(
            request,
            "portal/dashboard_sanad.html",
            {"services": selectors.services(channel=Channel.SANAD)},
        )
    return render(
        request,
        "portal/dashboard_individual.html",
        {
            "alerts": _alerts(request),
            "employments": registry.employments_of_person(civil_number=request.user.civil_number)[
                : settings.PAGE_SIZE
            ],
            **_household(request.user),
        },
    )


def _household(user) -> dict:
    """An individual who holds a private licence (or employs domestic workers through one) is
    shown the household's workers and where their labour cards are."""
    household = registry.household_for_user(user=user)
    if household is None:
        return {}
    workers = registry.household_workers(household=household).count()
    if not workers and not licensing.licences_visible_to(user).filter(household=household).exists():
        return {}
    return {
        "household_workers": workers,
        "household_cards_url": reverse("labourcards:cards", args=[HOUSEHOLD]),
    }


def _representative_dashboard(request):
    establishments = registry.establishments_visible_to(request.user).select_related("governorate")
    page = Paginator(establishments.order_by("cr_number"), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    workforce = registry.workforce_by_establishment(
        establishment_ids=[establishment.pk for establishment in page]
    )
    rows = [(establishment, workforce[establishment.pk]) for establishment in page]
    return render(
        request,
        "portal/dashboard_representative.html",
        {"page": page, "rows": rows, "alerts": _alerts(request)},
    )


def _staff_dashboard(request):
    today = timezone.localdate()
    chamber = registry.chamber_membership_queue(
        user=request.user, today=today, within_days=CHAMBER_WARNING_DAYS
    ).select_related("governorate")
    suspended = registry.suspended_establishments(user=request.user).select_related("governorate")
    return render(
        request,
        "portal/dashboard_staff.html",
        {
            "chamber": Paginator(chamber, QUEUE_PAGE_SIZE).get_page(request.GET.get("chamber")),
            "suspended": Paginator(suspended, QUEUE_PAGE_SIZE).get_page(
                request.GET.get("suspended")
            ),
            "today": today,
            "warning_days": CHAMBER_WARNING_DAYS,
            "alerts": _alerts(request),
        },
    )


def catalogue(request):
    audience = request.GET.get("audience", "")
    channel = request.GET.get("channel", "")
    text = request.GET.get("q", "").strip()[:100]
    page = Paginator(
        selectors.services(audience=audience, channel=channel, text=text), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/catalogue.html",
        {
            "page": page,
            "audience": audience,
            "channel": channel,
            "q": text,
            "audiences": Audience.choices,
            "channels": Channel.choices,
        },
    )


@not_found_page
def service(request, code):
    return render(request, "portal/service.html", {"service": selectors.service_by_code(code)})


@login_required
@not_found_page
def establishment(request, cr):
    found = registry.establishment_for_user(user=request.user, cr_number=cr)
    return render(
        request,
        "portal/establishment.html",
        {
            "establishment": found,
            "workforce": registry.establishment_workforce(establishment=found),
            "chamber_warning": overview.chamber_warning(found, today=timezone.localdate()),
        },
    )


@login_required
def my_requests(request):
    """Every request of the user across services, filtered by kind and state, paged."""
    cr_number = request.GET.get("establishment", "")[:20] or None
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", "")
    rows = overview.requests_of(
        user=request.user, cr_number=cr_number, kind=kind, state=state, now=timezone.now()
    )
    return render(
        request,
        "portal/requests.html",
        {
            "page": Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page")),
            "kind": kind,
            "state": state,
            "cr_number": cr_number or "",
            "kinds": RequestKind.choices,
            "states": RequestState.choices,
            "establishments": registry.establishments_visible_to(request.user).order_by(
                "cr_number"
            ),
        },
    )


@login_required
@not_found_page
def workers(request, cr):
    found = registry.establishment_for_user(user=request.user, cr_number=cr)
    page = keyset_page(
        registry.establishment_workers(establishment=found),
        size=settings.PAGE_SIZE,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    return render(
        request,
        "portal/workers.html",
        {
            "establishment": found,
            "workforce": registry.establishment_workforce(establishment=found),
            "page": page,
        },
    )
