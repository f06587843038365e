"""The caller's profile and the establishments (and their workers) the caller may see.

Scoping lives in `selectors`: an establishment outside the caller's scope is a 404 problem
(`establishment_not_found`), the same as one that does not exist.
"""

import datetime as dt

from ninja import Router, Schema
from ninja.pagination import paginate

from manpower.accounts.api_auth import api_auth
from manpower.core.api import CodeName, Pagination

from . import selectors
from .models import Establishment

router = Router(auth=api_auth)


class EstablishmentRef(Schema):
    cr_number: str
    name_ar: str
    name_en: str


class MeOut(Schema):
    username: str
    role: str
    full_name_ar: str
    full_name_en: str
    language: str
    is_ministry_staff: bool
    establishments: list[EstablishmentRef]


class EstablishmentOut(EstablishmentRef):
    legal_form: str
    size: str
    status: str
    activity: CodeName
    governorate: CodeName
    wilayat: CodeName
    registered_at: dt.datetime


class WorkforceOut(Schema):
    active: int
    nationals: int
    non_nationals: int
    national_share: float


class EstablishmentDetailOut(EstablishmentOut):
    chamber_number: str
    chamber_expiry_date: dt.date | None
    workforce: WorkforceOut


class PersonOut(Schema):
    civil_number: str | None
    name_ar: str
    name_en: str
    is_national: bool
    gender: str
    nationality: CodeName


class EstablishmentWorkerOut(Schema):
    employment_id: int
    person: PersonOut
    occupation: CodeName
    start_date: dt.date
    basic_wage_baisa: int

    @staticmethod
    def resolve_employment_id(obj) -> int:
        return obj.pk


@router.get("/me", response=MeOut, tags=["me"])
def me(request):
    user = request.user
    # Only the establishments the user represents, even for staff (who may see all).
    user.establishments = Establishment.objects.filter(representatives__user=user).order_by(
        "cr_number"
    )
    return user


@router.get("/establishments", response=list[EstablishmentOut], tags=["establishments"])
@paginate(Pagination)
def list_establishments(request):
    return (
        selectors.establishments_visible_to(request.user)
        .select_related("activity", "governorate", "wilayat")
        .order_by("cr_number")
    )


@router.get("/establishments/{cr_number}", response=EstablishmentDetailOut, tags=["establishments"])
def get_establishment(request, cr_number: str):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr_number)
    establishment.workforce = selectors.establishment_workforce(establishment=establishment)
    return establishment


@router.get(
    "/establishments/{cr_number}/workers",
    response=list[EstablishmentWorkerOut],
    tags=["establishments"],
)
@paginate(Pagination)
def list_workers(request, cr_number: str):
    establishment = selectors.establishment_for_user(user=request.user, cr_number=cr_number)
    return selectors.establishment_workers(establishment=establishment)
