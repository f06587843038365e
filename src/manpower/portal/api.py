"""The service catalogue (public): what the ministry offers, to whom, where and at what fee;
and the signed-in user's requests across every service."""

from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from manpower.accounts.api_auth import api_auth
from manpower.core.api import Pagination

from . import overview, selectors
from .models import Audience, Channel, Service
from .overview import RequestKind, RequestState

router = Router(tags=["services"])
requests_router = Router(auth=api_auth, tags=["requests"])


class ServiceOut(Schema):
    code: str
    name_ar: str
    name_en: str
    category: Service.Category
    audiences: list[Audience]
    channels: list[Channel]
    fee_baisa: int | None
    is_free: bool
    is_online: bool


class ServiceDetailOut(ServiceOut):
    description_ar: str
    description_en: str
    required_data_ar: str
    required_data_en: str
    fee_note_ar: str
    fee_note_en: str
    expected_time_ar: str
    expected_time_en: str


@router.get("", response=list[ServiceOut], auth=None)
@paginate(Pagination)
def list_services(
    request,
    category: Service.Category | None = None,
    audience: Audience | None = None,
    channel: Channel | None = None,
    q: str = "",
):
    """The catalogue in the ministry's order; `q` matches words in either language."""
    found = selectors.services(audience=audience, channel=channel, text=q)
    if category:
        found = found.filter(category=category)
    return found.order_by("position", "code")


@router.get("/{code}", response=ServiceDetailOut, auth=None)
def get_service(request, code: str):
    return selectors.service_by_code(code)


@requests_router.get("", response=list[overview.RequestRow])
@paginate(Pagination)
def my_requests(
    request,
    kind: RequestKind | None = None,
    state: RequestState | None = None,
    cr_number: str | None = None,
):
    """Every request of the signed-in user and of the establishments they represent (or only
    of `cr_number`), newest first: licence applications, labour card requests, transfers,
    invoices, each with its status, the next step (in the request's language) and its page."""
    return overview.requests_of(
        user=request.user,
        cr_number=cr_number[:20] if cr_number else None,
        kind=kind or "",
        state=state or "",
        now=timezone.now(),
    )
