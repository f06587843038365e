"""The service catalogue (public): what the ministry offers, to whom, where and at what fee."""

from ninja import Router, Schema
from ninja.pagination import paginate

from manpower.core.api import Pagination

from . import selectors
from .models import Audience, Channel, Service

router = Router(tags=["services"])


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
